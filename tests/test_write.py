import hashlib
import os
from pathlib import Path

import pytest

from generator.errors import BuildFailed
from generator.write import StoredFile, spare_of, write_site
from generator.write.tree import fill

from conftest import tree_bytes


def test_writes_exactly_the_given_files(tmp_path):
    out = tmp_path / "site"
    assert write_site({"index.html": b"home", "a/index.html": b"a"}, out) == 2
    assert tree_bytes(out) == {"a/index.html": b"a", "index.html": b"home"}
    assert oct(out.stat().st_mode & 0o777) == "0o755"


def test_stale_files_from_earlier_builds_disappear(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"one", "old/index.html": b"old"}, out)
    (out / "stray.txt").write_text("left by hand")
    write_site({"index.html": b"two"}, out)
    assert tree_bytes(out) == {"index.html": b"two"}


def test_no_staging_folders_are_left_behind_only_the_spare(tmp_path):
    out = tmp_path / "site"
    write_site({"index.html": b"one"}, out)
    write_site({"index.html": b"two"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    assert tree_bytes(spare_of(out)) == {"index.html": b"one"}  # the site before


def stored(tmp_path: Path, files: dict[str, bytes]) -> dict[str, StoredFile]:
    """Files as a build's store holds them: finished files to hard-link."""
    store = tmp_path / "store"
    store.mkdir(exist_ok=True)
    sources = {}
    for number, (path, content) in enumerate(sorted(files.items())):
        blob = store / f"{number}-{len(content)}-{abs(hash(content))}"
        if not blob.exists():
            blob.write_bytes(content)
        sources[path] = StoredFile(str(blob), blob.stat().st_ino)
    return sources


def test_a_rebuild_touches_only_what_changed_and_a_no_op_nothing(tmp_path, monkeypatch):
    out = tmp_path / "site"
    pages = {f"p{n}/index.html": f"page {n}".encode() for n in range(20)}
    pages["index.html"] = b"home"
    write_site(stored(tmp_path, {**pages, "index.html": b"an earlier home"}), out)
    write_site(stored(tmp_path, pages), out)  # the earlier site is now the spare
    links = []
    original = os.link
    monkeypatch.setattr(os, "link", lambda a, b: (links.append(b), original(a, b)))
    site_inode = out.stat().st_ino
    write_site(stored(tmp_path, pages), out)
    assert links == [] and out.stat().st_ino == site_inode  # nothing changed: left alone
    changed = dict(pages, **{"p3/index.html": b"page three, edited"})
    write_site(stored(tmp_path, changed), out)
    # the spare is the site before last: it catches up on that build's change and this one's
    assert [Path(p).relative_to(spare_of(out)).as_posix() for p in links] == [
        "index.html", "p3/index.html"]
    assert tree_bytes(out) == changed
    del changed["p5/index.html"]
    write_site(stored(tmp_path, changed), out)
    assert tree_bytes(out) == changed and not (out / "p5").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("my work")
    with pytest.raises(BuildFailed) as failed:
        write_site({"index.html": b"x"}, out)
    assert str(failed.value.diagnostics[0]).endswith(
        "refusing to replace a folder that does not look like a built site (no index.html); "
        "expected an empty folder or an earlier build")
    assert (out / "notes.txt").read_text() == "my work"


def test_a_failure_while_writing_leaves_the_previous_site_whole(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_site({"index.html": b"old", "a/index.html": b"old a"}, out)
    before = tree_bytes(out)
    calls = {"n": 0}
    original = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return original(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(BuildFailed) as failed:
        write_site({"index.html": b"new", "a/index.html": b"new a", "b.html": b"b"}, out)
    assert str(failed.value.diagnostics[0]) == (
        f"{out.as_posix()}: cannot write the site: No space left on device; the previous site "
        "was left unchanged")
    monkeypatch.undo()
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) in (["site"], [".site.spare", "site"])


def test_paths_outside_the_output_folder_are_refused(tmp_path):
    with pytest.raises(ValueError, match="outside the output folder"):
        fill(tmp_path, {"../evil.html": b"x"})


def test_the_output_lock_excludes_and_leaves_no_file(tmp_path):
    import tempfile
    import threading
    import time

    from generator.write import output_lock

    inside = []
    overlaps = []
    key = hashlib.sha256(str((tmp_path / "site").resolve()).encode()).hexdigest()[:16]
    lock_file = Path(tempfile.gettempdir()) / f"explainer-{os.getuid()}-{key}.lock"

    def hold() -> None:
        for _ in range(20):
            with output_lock(tmp_path / "site"):
                if inside:
                    overlaps.append(True)
                inside.append(1)
                time.sleep(0.001)
                inside.pop()

    threads = [threading.Thread(target=hold) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
    assert not lock_file.exists()  # (other builds on this machine may hold their own)
