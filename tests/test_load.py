from pathlib import Path

from generator.errors import Diagnostic
from generator.load import KNOWN_FILES, load_explainer, load_frame
from generator.load.files import MAX_FILE_BYTES, read_text
from generator.raw import RawExplainer

from conftest import write_files


def load_all(content: Path) -> tuple[list[RawExplainer], list[Diagnostic]]:
    frame, problems = load_frame(content)
    explainers = []
    for folder in frame.folders:
        raw, found = load_explainer(folder, content)
        explainers.append(raw)
        problems += found
    return explainers, problems


def problems_of(content: Path) -> list[str]:
    _raw, problems = load_all(content)
    return [str(p) for p in problems]


def explainer_files(extra: dict[str, str] | None = None) -> dict[str, str]:
    files = {
        "site.yaml": "title: T\n",
        "one/explainer.yaml": "title: One\n",
        "one/article.md": "Text.\n",
        "one/sources.yaml": "- id: a\n",
    }
    files.update(extra or {})
    return files


def test_loads_every_explainer_folder_in_name_order(tmp_path):
    write_files(tmp_path / "c", explainer_files({"b-two/explainer.yaml": "x: 1\n",
                                                 "b-two/article.md": "A\n",
                                                 "b-two/sources.yaml": "- id: a\n"}))
    explainers, problems = load_all(tmp_path / "c")
    assert problems == []
    assert [e.slug for e in explainers] == ["b-two", "one"]
    assert set(explainers[1].documents.yaml) == {"explainer.yaml", "sources.yaml"}
    assert explainers[1].documents.markdown["article.md"].text == "Text.\n"


def test_missing_content_folder(tmp_path):
    assert problems_of(tmp_path / "nowhere") == [
        f"{(tmp_path / 'nowhere').as_posix()}: content folder not found; expected a folder "
        "with site.yaml and one folder per explainer"]


def test_missing_required_files_and_unknown_files(tmp_path):
    files = explainer_files({"one/timline.yaml": "[]\n"})
    del files["one/sources.yaml"]
    write_files(tmp_path / "c", files)
    root = (tmp_path / "c").as_posix()
    assert problems_of(tmp_path / "c") == [
        f"{root}/one/timline.yaml: unknown file 'timline.yaml' in an explainer folder; did you "
        f"mean 'timeline.yaml'? (expected: {', '.join(KNOWN_FILES)}, images/)",
        f"{root}/one/sources.yaml: missing required file 'sources.yaml' for explainer 'one'; "
        "every explainer needs explainer.yaml, article.md, sources.yaml",
    ]


def test_editor_droppings_are_ignored(tmp_path):
    write_files(tmp_path / "c", explainer_files({"one/.article.md.swp": "x",
                                                 "one/article.md~": "x", "one/.#lock": "x"}))
    assert problems_of(tmp_path / "c") == []


def test_byte_order_mark_and_bad_utf8_are_located(tmp_path):
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbfHello")
    (tmp_path / "latin1.md").write_bytes(b"Line one\nCaf\xe9 au lait\n")
    _, bom = read_text(tmp_path / "bom.md", tmp_path)
    _, latin = read_text(tmp_path / "latin1.md", tmp_path)
    assert [str(p) for p in bom] == [
        f"{(tmp_path / 'bom.md').as_posix()}:1:1: file starts with a byte-order mark; expected "
        "UTF-8 without BOM (re-save it as plain UTF-8)"]
    assert [str(p) for p in latin] == [
        f"{(tmp_path / 'latin1.md').as_posix()}:2:4: not valid UTF-8 (byte 0xe9); expected the "
        "file to be saved as UTF-8"]


def test_windows_line_endings_are_normalised(tmp_path):
    (tmp_path / "a.md").write_bytes(b"one\r\ntwo\r\n")
    text, problems = read_text(tmp_path / "a.md", tmp_path)
    assert (text, problems) == ("one\ntwo\n", [])


def test_huge_files_are_refused(tmp_path):
    (tmp_path / "big.md").write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    _, problems = read_text(tmp_path / "big.md", tmp_path)
    assert "file is too large" in str(problems[0])


def test_links_out_of_the_content_folder_are_refused(tmp_path):
    write_files(tmp_path / "c", explainer_files())
    secret = tmp_path / "secret.md"
    secret.write_text("private")
    (tmp_path / "c" / "one" / "background.md").symlink_to(secret)
    problems = problems_of(tmp_path / "c")
    assert problems == [f"{(tmp_path / 'c').as_posix()}/one/background.md: is a link to a file "
                        f"outside {(tmp_path / 'c').as_posix()}/; expected a real file"]


def test_bad_slug_and_no_explainers(tmp_path):
    write_files(tmp_path / "c", {"site.yaml": "title: T\n"})
    assert problems_of(tmp_path / "c")[-1].endswith(
        "no explainers found; expected at least one folder such as "
        f"{(tmp_path / 'c').as_posix()}/my-explainer/")
