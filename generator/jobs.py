"""One explainer, start to finish: load, validate, render, check its pages; run anywhere.

A job depends only on its folder and a ``Setup`` (the site's configuration and shared
records, the templates, the store), so jobs run in any order, in any process, and their
results can be kept: everything a job makes is keyed by the digests of its inputs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.check import PageReport, check_fragment, check_page, with_fragment
from generator.errors import Diagnostic
from generator.load import load_explainer
from generator.model import Explainer, Listing, Site
from generator.render import (
    RELATED_SLOT,
    Renderer,
    attempt,
    prepare_renderer,
    render_explainer,
    render_site_pages,
)
from generator.render.cache import PictureStore
from generator.render.opendata import to_json
from generator.render.pictures import lead_files
from generator.store import Blob, Store, TemplateCodeCache, digest
from generator.validate import Context, validate_explainer


@dataclass(frozen=True, slots=True)
class Checked:
    """An explainer's validation: its summary (None when invalid) and every problem."""

    explainer: Explainer | None
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """An explainer's output files (kept as blobs) and what the site check needs of them."""

    files: dict[str, Blob]
    pages: dict[str, PageReport]
    problems: tuple[Diagnostic, ...]

    def intact(self) -> bool:
        return all(blob.intact() for blob in self.files.values())


@dataclass(frozen=True, slots=True)
class SitePages:
    """The pages that list every explainer (home, topics, feed…), kept as blobs, checked."""

    files: dict[str, Blob]
    pages: dict[str, PageReport]
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True)  # no slots: thousands are pickled per build, and slots pickle slowly
class Outcome:
    """What the build keeps of one explainer once its job is done: small, so that a site of
    thousands holds every outcome in memory (its records and page ids stay in the store)."""

    slug: str
    listing: Listing | None  # None when the explainer is invalid
    problems: tuple[Diagnostic, ...]
    checked_key: str  # where its records are kept: Checked in the store
    rendered_key: str  # where its pages' full reports (with ids) are kept: Rendered
    files: dict[str, Blob] = field(default_factory=dict)
    pages: dict[str, PageReport] = field(default_factory=dict)  # without ids
    validated: bool = False  # validated afresh by this build (not found in the store)


@dataclass(frozen=True, slots=True)
class Setup:
    """Everything a job needs besides its folder; sent once to each worker process."""

    content_dir: Path
    templates_dir: Path
    context: Context
    context_key: str  # digest of the configuration, shared records, seeds and the code
    templates_key: str  # digest of the templates folder
    store_root: Path
    store_version: str  # the generator's code: entries of other versions are never read
    render: bool  # False when the site cannot be rendered (no config or no templates)

    @property
    def pictures_root(self) -> Path:
        """Processed pictures and share cards, kept by content hash beside the entries."""
        return self.store_root / "pictures"


def validation_key(setup: Setup, folder: Path, folder_key: str) -> str:
    return digest("validate", setup.context_key, setup.content_dir.as_posix(), folder.name,
                  folder_key)


def render_key(setup: Setup, checked_key: str) -> str:
    return digest("render", checked_key, setup.templates_key,
                  setup.templates_dir.as_posix())


def fragments_key(checked_key: str) -> str:
    """Where an explainer's Markdown, rendered, is kept: the same records, any templates."""
    return digest("fragments", checked_key)


def outcome_key(setup: Setup, checked_key: str) -> str:
    """Where a whole outcome is kept, so a build that changes nothing runs no job at all."""
    return digest("outcome", render_key(setup, checked_key), str(setup.render))


class Worker:
    """The state a process keeps between jobs: the store and the prepared templates."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        self.store = Store(setup.store_root, setup.store_version)
        self.pictures = PictureStore(setup.pictures_root)
        self._renderer: Renderer | None = None

    def renderer(self) -> Renderer:
        if self._renderer is None:
            renderer, _problems = prepare_renderer(self.setup.templates_dir,
                                                  TemplateCodeCache(self.store))
            assert renderer is not None, "jobs render only when the templates are ready"
            self._renderer = renderer
        return self._renderer

    def validate(self, folder: Path, key: str) -> tuple[Checked, bool]:
        found = self.store.get(key)
        if isinstance(found, Checked):
            return found, False
        raw, problems = load_explainer(folder, self.setup.content_dir)
        explainer, invalid = validate_explainer(raw, self.setup.context)
        problems += invalid
        if any(p.is_error for p in problems):
            explainer = None  # a file could not be read: the records would be incomplete
        checked = Checked(explainer, tuple(problems))
        self.store.put(key, checked)
        return checked, True

    def render(self, explainer: Explainer, checked_key: str, key: str) -> Rendered:
        found = self.store.get(key)
        if isinstance(found, Rendered) and found.intact():
            return found
        renderer = self.renderer()
        config = self.setup.context.config
        kept_at = fragments_key(checked_key)
        found_fragments = self.store.get(kept_at)
        fragments = found_fragments if isinstance(found_fragments, dict) else {}
        known = len(fragments)
        files, problems = attempt(lambda: render_explainer(renderer, config, explainer,
                                                           fragments, self.pictures,
                                                           self.setup.context.today))
        if len(fragments) != known:
            self.store.put(kept_at, fragments)
        pages = {path: check_page(path, content, config.base_url)
                 for path, content in files.items() if path.endswith(".html")}
        blobs = {path: self.store.put_blob(content) for path, content in files.items()}
        rendered = Rendered(blobs, pages, tuple(problems))
        if not problems:
            self.store.put(key, rendered)
        return rendered

    def site_pages(self, site: Site, config_path: str, search_index: bool) -> SitePages:
        """Home, topics, authors, 404, feed, sitemap and the assets, rendered and checked."""
        files, problems = attempt(lambda: render_site_pages(
            self.renderer(), site, self.pictures, config_path, search_index))
        pages = {path: check_page(path, content, site.config.base_url)
                 for path, content in files.items() if path.endswith(".html")}
        return SitePages({p: self.store.put_blob(c) for p, c in files.items()}, pages,
                         tuple(problems))

    def run(self, folder: Path, folder_key: str) -> Outcome:
        """The outcome is not stored on its own: the build keeps all outcomes in one entry,
        and a job whose records and pages are kept rebuilds it from those two."""
        key = validation_key(self.setup, folder, folder_key)
        checked, afresh = self.validate(folder, key)
        explainer = checked.explainer
        listing = None
        if explainer is not None:
            listing = explainer.listing(lead_files(explainer, self.pictures)
                                        if self.setup.render else None,
                                        self.setup.context.today)
        later = render_key(self.setup, key)
        if explainer is None or not self.setup.render:
            return Outcome(folder.name, listing, checked.problems, key, later,
                           validated=afresh)
        rendered = self.render(explainer, key, later)
        pages = {path: replace(report, ids=frozenset())
                 for path, report in rendered.pages.items()}
        return Outcome(folder.name, listing, checked.problems + rendered.problems, key, later,
                       rendered.files, pages, afresh)


def add_related(store: Store, outcomes: dict[str, Outcome], blocks: dict[str, bytes],
                base_url: str, kept: dict[str, tuple[Blob, PageReport]] | None = None,
                last: dict[str, tuple[Outcome, bytes, Outcome, PageReport]] | None = None,
                ) -> tuple[dict[str, Outcome], dict[str, PageReport]]:
    """Each explainer page with its related explainers put in its slot (on the slot's line,
    so the page's other lines stay where its check found them), and its check report with
    the block's links and ids added (ids of the rest of the page stay in the store). Which
    explainers are related depends on the others, so this is done once all are known, and
    kept by the page's and the block's content: a job's page never depends on another
    explainer. ``outcomes``: those the site shows; a
    'related:' entry naming another (a draft) is left out of facts.json too. ``kept``: the
    pages of the last build (one store entry for a one-off build), replaced by this
    build's. ``last``: the preview's last results by slug, reused as they are for the very
    same outcome and block (a save touches one explainer of thousands)."""
    done: dict[str, Outcome] = {}
    reports: dict[str, PageReport] = {}
    used: dict[str, tuple[Blob, PageReport]] = {}
    kept = {} if kept is None else kept
    for slug, outcome in outcomes.items():
        page = f"{slug}/index.html"
        blob = outcome.files.get(page)
        if blob is None:
            done[slug] = outcome
            continue
        block = blocks.get(slug, b"")
        before = last.get(slug) if last is not None else None
        if before is not None and before[0] is outcome and before[1] is block:
            done[slug], reports[page] = before[2:]
            continue
        key = digest("related", blob.path, block)
        found = kept.get(key)
        if not (isinstance(found, tuple) and isinstance(found[0], Blob) and found[0].intact()):
            content = blob.read()
            at = content.find(RELATED_SLOT.encode())
            line = content.count(b"\n", 0, at) + 1
            found = (store.put_blob(content.replace(RELATED_SLOT.encode(), block, 1)),
                     with_fragment(outcome.pages[page],
                                   check_fragment(page, block.decode(), base_url, line)
                                   if at >= 0 else PageReport(frozenset(), (), frozenset(), ())))
        patched, reports[page] = used[key] = found
        done[slug] = replace(outcome, files={**outcome.files, page: patched,
                                             **_shown_related(store, outcome, outcomes)})
        if last is not None:
            last[slug] = (outcome, block, done[slug], reports[page])
    kept.clear()
    kept.update(used)
    return done, reports


def _shown_related(store: Store, outcome: Outcome,
                   shown: dict[str, Outcome]) -> dict[str, Blob]:
    """facts.json without the 'related:' explainers the site leaves out: a published
    build never names a draft."""
    facts = f"{outcome.slug}/facts.json"
    related = outcome.listing.meta.related if outcome.listing else ()
    if all(slug in shown for slug in related) or facts not in outcome.files:
        return {}
    document = json.loads(outcome.files[facts].read())
    document["explainer"]["related"] = [s for s in related if s in shown]
    return {facts: store.put_blob(to_json(document))}
