"""``explainer publish``: commit the built site to a branch, the way ``mkdocs gh-deploy`` does.

Only git plumbing is used, with a private index, so the working tree, the real index and
the current branch are never touched. A publish that would not change the branch's tree
makes no commit.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildFailed, SourceLocation, error


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
                 remote: str = "origin", message: str | None = None) -> Published:
    """Commit ``site`` as the whole content of ``branch`` (created if needed), maybe push."""
    if not (site / "index.html").is_file():
        raise BuildFailed([error(SourceLocation(site.as_posix()),
                                 "no built site to publish; expected index.html")])
    repo = Path(_git(["rev-parse", "--show-toplevel"], repo))
    ref = f"refs/heads/{branch}"
    _git(["check-ref-format", ref], repo)
    tree = site_tree(repo, site)
    probe = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                           cwd=repo, capture_output=True, check=False)
    parent = probe.stdout.decode().strip() if probe.returncode == 0 else None
    changed = parent is None or _git(["rev-parse", f"{parent}^{{tree}}"], repo) != tree
    commit = parent or ""
    if changed:
        source = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=repo,
                                capture_output=True, check=False).stdout.decode().strip()
        text = message or f"Publish site built from {source or 'an uncommitted tree'}"
        commit = _git(["commit-tree", tree, *(["-p", parent] if parent else []), "-m", text],
                      repo, _identity(repo))
        _git(["update-ref", ref, commit, *([parent] if parent else [])], repo)
    if push:
        _git(["push", "--quiet", remote, f"{ref}:{ref}"], repo)
    return Published(branch, commit, changed, push)
