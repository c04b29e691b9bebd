from generator.load.yamlparse import parse_yaml
from generator.raw import YamlMapping, YamlScalar, YamlSequence


def messages(text: str) -> list[str]:
    _node, problems = parse_yaml("f.yaml", text)
    return [str(p) for p in problems]


def test_positions_are_one_based_and_kept_for_every_value():
    node, problems = parse_yaml("f.yaml", "title: Hello\nitems:\n  - one\n  - 2\n")
    assert problems == []
    assert isinstance(node, YamlMapping)
    title = node.get("title")
    assert isinstance(title, YamlScalar)
    assert (title.location.line, title.location.column) == (1, 8)
    items = node.get("items")
    assert isinstance(items, YamlSequence)
    second = items.items[1]
    assert isinstance(second, YamlScalar)
    assert (second.text, second.kind, second.location.line, second.location.column) == (
        "2", "integer", 4, 5)


def test_scalar_text_keeps_what_was_written_before_type_conversion():
    node, _ = parse_yaml("f.yaml", "date: 2001-09-11\nyear: 2001\nflag: yes\n")
    assert isinstance(node, YamlMapping)
    kinds = {k.text: (v.text, v.kind) for k, v in node.entries if isinstance(v, YamlScalar)}
    assert kinds == {"date": ("2001-09-11", "date"), "year": ("2001", "integer"),
                     "flag": ("yes", "boolean")}


def test_duplicate_keys_are_reported_not_silently_overwritten():
    assert messages("title: a\nsummary: b\ntitle: c\n") == [
        "f.yaml:3:1: duplicate key 'title' (first written at line 1); expected each key once"]


def test_aliases_are_refused():
    text = "a: &x [1, 2]\nb: *x\n"
    assert messages(text) == [
        "f.yaml:2:4: YAML aliases (*name) are not supported; write the value out in full"]


def test_billion_laughs_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev = chr(ord("a") + index - 1)
        name = chr(ord("a") + index)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert messages("\n".join(lines) + "\n") == [
        "f.yaml:2:8: YAML aliases (*name) are not supported; write the value out in full"]


def test_python_tags_are_refused():
    assert messages("x: !!python/object/apply:os.system ['echo hi']\n") == [
        "f.yaml:1:4: YAML tag '!!python/object/apply:os.system' is not allowed; expected "
        "plain values without '!' tags"]


def test_tab_indentation_gets_a_human_message():
    assert messages("a:\n\t- b\n") == [
        "f.yaml:2:1: a tab character; YAML must be indented with spaces"]


def test_unclosed_quote_is_reported_where_it_opened():
    assert messages('title: "unclosed\nother: x\n') == [
        "f.yaml:1:8: unclosed quote; expected a closing quote before the end of the text"]


def test_colon_in_plain_text_gets_a_hint():
    assert messages("title: Kabul: the fall\n") == [
        "f.yaml:1:13: unexpected ':'; put text that contains ': ' in quotes"]


def test_empty_file():
    assert messages("\n# only a comment\n") == ["f.yaml:1:1: file is empty; expected YAML content"]


def test_locate_finds_text_inside_block_scalars():
    node, _ = parse_yaml("f.yaml", "text: >-\n  first line\n  second [@x] line\n")
    assert isinstance(node, YamlMapping)
    text = node.get("text")
    assert isinstance(text, YamlScalar)
    where = text.locate("@x")
    assert (where.line, where.column) == (3, 11)
