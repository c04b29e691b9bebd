"""The benchmark corpus: N pages of about 1,000 words, and each generator's layout of it.

Deterministic (a seeded generator, no network). Every page has headings, emphasis, links,
a list, a table and a quote, as a real article does. The same pages are laid out for
explainer (one explainer per page), Hugo, Eleventy, MkDocs and Pelican.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "content" / "afghanistan-tajikistan-2021"
NOT_FACTS = ("explainer.yaml", "article.md", "sources.yaml")
REAL_FACT_FILES = tuple(sorted(p.name for p in REAL.iterdir()
                               if p.suffix in (".yaml", ".md") and p.name not in NOT_FACTS))
SHARED_FILES = tuple(sorted(p.name for p in REAL.parent.glob("*.yaml") if p.name != "site.yaml"))
WORDS = ("border", "province", "soldiers", "talks", "withdrawal", "district", "capital",
         "agreement", "report", "officials", "crossing", "forces", "security", "envoy",
         "the", "of", "and", "in", "to", "a", "government", "military", "village", "river",
         "statement", "morning", "week", "refugees", "commanders", "ammunition", "roads")


@dataclass(frozen=True)
class Page:
    number: int
    title: str
    date: str
    tags: tuple[str, str]
    body: str  # Markdown, about 1,000 words

    @property
    def slug(self) -> str:
        return f"page-{self.number:05d}"


def _sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(WORDS) for _ in range(length)]
    if rng.random() < 0.3:
        at = rng.randrange(length)
        words[at] = f"*{words[at]}*"
    if rng.random() < 0.2:
        at = rng.randrange(length)
        words[at] = f"[{words[at]}](https://example.net/{rng.randrange(10_000)})"
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng, rng.randint(10, 22)) for _ in range(rng.randint(3, 6)))


def make_page(number: int) -> Page:
    rng = random.Random(number)
    parts = [_paragraph(rng)]
    for section in range(4):
        parts.append(f"## Section {section + 1}: {_sentence(rng, 4)[:-1]}")
        parts += [_paragraph(rng) for _ in range(2)]
        if section == 1:
            parts.append("\n".join(f"- {_sentence(rng, 8)}" for _ in range(4)))
        if section == 2:
            rows = [f"| {rng.choice(WORDS)} | {rng.randrange(10_000):,} |" for _ in range(4)]
            parts.append("\n".join(["| Item | Count |", "| --- | ---: |", *rows]))
        if section == 3:
            parts.append("> " + _sentence(rng, 18))
        parts.append(f"### Detail {section + 1}")
        parts.append(_paragraph(rng))
    return Page(number, f"Benchmark page {number}", f"2024-{number % 12 + 1:02d}-"
                f"{number % 28 + 1:02d}", (rng.choice(WORDS), rng.choice(WORDS)),
                "\n\n".join(parts) + "\n")


def pages(count: int) -> list[Page]:
    return [make_page(number) for number in range(count)]


def lay_out_explainer(root: Path, corpus: list[Page], realistic: bool = False) -> Path:
    """One explainer per page; realistic ones also carry the real explainer's facts."""
    content = root / "content"
    content.mkdir(parents=True)
    (content / "site.yaml").write_text("title: Benchmark\ndescription: A benchmark site.\n"
                                       "language: en\nbase_url: https://bench.example.net/\n")
    shutil.copytree(REPO / "templates", root / "templates")
    real_sources = (REAL / "sources.yaml").read_text() if realistic else ""
    for name in SHARED_FILES if realistic else ():  # the site's shared people, sources…
        shutil.copy(REAL.parent / name, content / name)
    for sibling in _real_explainers() if realistic else ():  # the copied facts link to them
        shutil.copytree(sibling, content / sibling.name)
    if realistic:
        shutil.copytree(REPO / "seeds", root / "seeds")
    for page in corpus:
        folder = content / page.slug
        folder.mkdir()
        (folder / "explainer.yaml").write_text(
            f"title: {page.title}\nsummary: A page of the benchmark corpus.\n"
            f"published: {page.date}\ntags: [{page.tags[0]}, {page.tags[1]}]\n")
        (folder / "article.md").write_text(
            page.body + "\nThis page is a page of the benchmark corpus [@bench-corpus].\n")
        (folder / "sources.yaml").write_text(
            "- id: bench-corpus\n  title: The benchmark corpus\n  publisher: explainer\n"
            f"  date: 2024\n{real_sources}")
        if realistic:
            for name in REAL_FACT_FILES:
                shutil.copy(REAL / name, folder / name)
            text = (folder / "article.md").read_text()
            cited = " ".join(f"[@{i}]" for i in _uncited_real_sources(folder))
            (folder / "article.md").write_text(text + (f"\nAlso {cited}.\n" if cited else ""))
    return root


def _real_explainers() -> list[Path]:
    """The real explainers, all three: the copied facts link to the other two, they to it."""
    return sorted(p for p in REAL.parent.iterdir()
                  if p.is_dir() and (p / "explainer.yaml").exists())


def _uncited_real_sources(folder: Path) -> list[str]:
    """Real sources the copied fact files do not cite (the article did): cite them once."""
    import re

    ids = re.findall(r"^- id: (\S+)", (REAL / "sources.yaml").read_text(), re.M)
    cited = set()
    for name in REAL_FACT_FILES:
        cited |= set(re.findall(r"[@\[ ,]([a-z0-9]+(?:-[a-z0-9]+)+)", (folder / name)
                                .read_text()))
    return [i for i in ids if i not in cited]


def _front_matter(page: Page, style: str) -> str:
    if style == "pelican":
        return (f"Title: {page.title}\nDate: {page.date}\nTags: {', '.join(page.tags)}\n"
                f"Slug: {page.slug}\n\n")
    return (f"---\ntitle: \"{page.title}\"\ndate: {page.date}\ntags: [{page.tags[0]}, "
            f"{page.tags[1]}]\n---\n\n")


def lay_out_peer(tool: str, root: Path, corpus: list[Page]) -> Path:
    """The same pages for Hugo, Eleventy, MkDocs or Pelican, with a minimal theme."""
    root.mkdir(parents=True)
    if tool == "hugo":
        (root / "layouts" / "_default").mkdir(parents=True)
        (root / "hugo.toml").write_text('baseURL = "https://bench.example.net/"\n'
                                        'title = "Benchmark"\ndisableKinds = ["taxonomy", '
                                        '"term", "RSS", "sitemap"]\n')
        (root / "layouts" / "_default" / "single.html").write_text(
            "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><h1>"
            "{{ .Title }}</h1>{{ .Content }}</body></html>\n")
        (root / "layouts" / "_default" / "list.html").write_text(
            "<!DOCTYPE html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">"
            "{{ .Title }}</a>{{ end }}</body></html>\n")
        folder = root / "content" / "posts"
    elif tool == "eleventy":
        (root / "pages" / "_includes").mkdir(parents=True)
        (root / "pages" / "_includes" / "page.njk").write_text(
            "<!DOCTYPE html><html><head><title>{{ title }}</title></head><body><h1>"
            "{{ title }}</h1>{{ content | safe }}</body></html>\n")
        folder = root / "pages"
        (folder / "pages.json").write_text('{"layout": "page.njk"}\n')
    elif tool == "mkdocs":
        (root / "mkdocs.yml").write_text("site_name: Benchmark\nnav: [index.md]\n"
                                         "theme: {name: mkdocs}\n")
        folder = root / "docs"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text("# Benchmark\n")
    elif tool == "pelican":
        (root / "pelicanconf.py").write_text(
            "SITENAME = 'Benchmark'\nSITEURL = ''\nPATH = 'content'\nTIMEZONE = 'UTC'\n"
            "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\nTRANSLATION_FEED_ATOM = None\n"
            "AUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\nDEFAULT_PAGINATION = False\n"
            "CACHE_CONTENT = False\nLOAD_CONTENT_CACHE = False\n")
        folder = root / "content"
    else:
        raise ValueError(tool)
    folder.mkdir(parents=True, exist_ok=True)
    style = "pelican" if tool == "pelican" else "yaml"
    for page in corpus:
        (folder / f"{page.slug}.md").write_text(_front_matter(page, style) + page.body)
    return root
