"""``explainer publish``: commit the built site to a branch, the way ``mkdocs gh-deploy`` does.

Only git plumbing is used, with a private index, so the working tree, the real index and
the current branch are never touched. A publish that would not change the branch's tree
makes no commit. Before anything is committed it refuses a branch git would misread or that
holds the project's source, uncommitted changes to what the site is built from (unless
allowed, and then the commit message says so) and an example base URL.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from generator.errors import BuildFailed, SourceLocation, error

SOURCE_FOLDERS = ("content", "templates", "seeds")
"""What a site is built from: publishing with uncommitted changes here needs --allow-dirty."""
EXAMPLE_HOSTS = ("example.org", "example.com", "example.net", "localhost")


def refuse(where: str, message: str) -> BuildFailed:
    return BuildFailed([error(SourceLocation(where), message)])


def run_git(args: Sequence[str], repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True,
                          check=False)


def check_branch_name(branch: str) -> None:
    """Names git would read as something else: 'HEAD', a range ('a..b'), an option ('-f')."""
    problem = None
    if branch == "HEAD" or branch.endswith("/HEAD") or branch.startswith("refs/"):
        problem = "is a name git keeps for its own references"
    elif ".." in branch:
        problem = "contains '..', which git reads as a range of commits"
    elif branch.startswith("-"):
        problem = "starts with '-', which git reads as an option"
    elif not branch or re.search(r"[\s~^:?*\[\\\x00-\x1f\x7f]|@\{|//|/$|\.lock$|^\.|/\.",
                                 branch):
        problem = "is not a valid branch name"
    if problem:
        raise refuse("--branch", f"'{branch}' {problem}; expected a plain branch name such "
                                 "as gh-pages")


def check_target_branch(repo: Path, branch: str) -> None:
    """Never the checked-out branch, nor any branch whose tree holds the project's source:
    publishing replaces the branch's whole content with the site."""
    current = run_git(["symbolic-ref", "--quiet", "--short", "HEAD"], repo).stdout.strip()
    if branch == current:
        raise refuse("--branch", f"'{branch}' is the branch checked out here; publishing "
                                 "would replace its content with the built site; expected a "
                                 "branch of its own, such as gh-pages")
    found = run_git(["ls-tree", "--name-only", f"refs/heads/{branch}"], repo)
    if found.returncode == 0:
        names = set(found.stdout.split())
        held = sorted(names & {*SOURCE_FOLDERS, "generator", "pyproject.toml"})
        if held:
            raise refuse("--branch", f"branch '{branch}' holds the project's source "
                                     f"({', '.join(held)}), not a published site; publishing "
                                     "would replace it; expected a branch of its own, such "
                                     "as gh-pages")


def dirty_sources(repo: Path, folders: Sequence[Path]) -> list[str]:
    """Uncommitted changes (staged, unstaged or untracked) under the folders a site is built
    from, as git shows them."""
    inside = [str(f.resolve()) for f in folders if f.resolve().is_relative_to(repo)]
    if not inside:
        return []
    status = run_git(["status", "--porcelain", "--untracked-files=all", "--", *inside], repo)
    return [line[3:] for line in status.stdout.splitlines() if line.strip()]


def check_clean(repo: Path, folders: Sequence[Path], allow_dirty: bool) -> bool:
    """Refuses uncommitted changes to the site's sources unless allowed; True when dirty."""
    changed = dirty_sources(repo, folders)
    if changed and not allow_dirty:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5
                                          else "")
        raise refuse(changed[0], f"uncommitted changes in what the site is built from "
                                 f"({shown}); expected them committed, so the published site "
                                 "matches a commit (or publish with --allow-dirty)")
    return bool(changed)


def check_base_url(base_url: str, overridden: bool) -> None:
    """The example address would publish a site whose canonical links, feed and share cards
    point at someone else's domain."""
    host = (urlsplit(base_url).hostname or "").lower()
    if not overridden and any(host == h or host.endswith("." + h) for h in EXAMPLE_HOSTS):
        raise refuse("site.yaml", f"base_url '{base_url}' is an example address; expected the "
                                  "site's real address in content/site.yaml's base_url, or "
                                  "--base-url https://…")


def preflight(cwd: Path, branch: str, sources: Sequence[Path], allow_dirty: bool) -> bool:
    """Every refusal that needs no build, before building; True when publishing with
    uncommitted changes (allowed)."""
    check_branch_name(branch)
    top = run_git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise refuse(str(cwd), "is not inside a git repository; expected to publish from the "
                               "project's repository (git init, and commit the content)")
    repo = Path(top.stdout.strip())
    check_target_branch(repo, branch)
    return check_clean(repo, sources, allow_dirty)


def commit_message(source: str, dirty: bool) -> str:
    """What was published: the source commit, and whether uncommitted changes were in it."""
    built = f"Publish site built from {source or 'no commit'}"
    return built + (" with uncommitted changes (--allow-dirty)" if dirty else "")


@dataclass(frozen=True, slots=True)
class Published:
    branch: str
    commit: str
    changed: bool  # False when the branch already held exactly this site
    pushed: bool


def _git(args: list[str], cwd: Path, env: Mapping[str, str] | None = None,
         stdin: bytes | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True,
                          env=dict(env) if env is not None else None, check=False)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip() or f"git {args[0]} failed"
        raise BuildFailed([error(SourceLocation(str(cwd)), f"git {args[0]}: {message}")])
    return done.stdout.decode().strip()


def _identity(repo: Path) -> dict[str, str]:
    """Use the user's git identity; a machine without one still gets a clear author."""
    env = dict(os.environ)
    probe = subprocess.run(["git", "config", "user.name"], cwd=repo, capture_output=True,
                           check=False)
    if probe.returncode != 0 or not probe.stdout.strip():
        env.setdefault("GIT_AUTHOR_NAME", "explainer publish")
        env.setdefault("GIT_AUTHOR_EMAIL", "explainer@localhost")
        env.setdefault("GIT_COMMITTER_NAME", "explainer publish")
        env.setdefault("GIT_COMMITTER_EMAIL", "explainer@localhost")
    return env


def site_tree(repo: Path, site: Path) -> str:
    """A git tree of ``site`` plus an empty ``.nojekyll`` (GitHub Pages must not run Jekyll)."""
    git_dir = _git(["rev-parse", "--absolute-git-dir"], repo)
    with tempfile.TemporaryDirectory(prefix="explainer-publish-") as temp:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(temp) / "index"))
        plumbing = ["--git-dir", git_dir, "--work-tree", str(site.resolve())]
        _git([*plumbing, "add", "--all", "--force", "."], site, env)
        empty = _git(["hash-object", "-w", "--stdin"], repo, stdin=b"")
        _git(["update-index", "--add", "--cacheinfo", f"100644,{empty},.nojekyll"], repo, env)
        return _git(["write-tree"], repo, env)


def publish_site(repo: Path, site: Path, branch: str, *, push: bool = False,
                 remote: str = "origin", message: str | None = None,
                 dirty: bool = False) -> Published:
    """Commit ``site`` as the whole content of ``branch`` (created if needed), maybe push."""
    if not (site / "index.html").is_file():
        raise BuildFailed([error(SourceLocation(site.as_posix()),
                                 "no built site to publish; expected index.html")])
    check_branch_name(branch)
    repo = Path(_git(["rev-parse", "--show-toplevel"], repo))
    ref = f"refs/heads/{branch}"
    _git(["check-ref-format", ref], repo)
    check_target_branch(repo, branch)
    tree = site_tree(repo, site)
    probe = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           cwd=repo, capture_output=True, check=False)
    parent = probe.stdout.decode().strip() if probe.returncode == 0 else None
    changed = parent is None or _git(["rev-parse", f"{parent}^{{tree}}"], repo) != tree
    commit = parent or ""
    if changed:
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo,
                                capture_output=True, check=False).stdout.decode().strip()
        text = message or commit_message(source, dirty)
        commit = _git(["commit-tree", tree, *(["-p", parent] if parent else []), "-m", text],
                      repo, _identity(repo))
        _git(["update-ref", ref, commit, *([parent] if parent else [])], repo)
    if push:
        _git(["push", "--quiet", remote, f"{ref}:{ref}"], repo)
    return Published(branch, commit, changed, push)
