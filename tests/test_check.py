"""The built-site check: well-formed pages, links and anchors that resolve, no orphans."""

from generator.check import PageReport, check_files, parse_page
from generator.messages import check_lines, links_by_host

HEAD = '<html><head><title>T</title><meta name="description" content="D"></head>'


def page(body: str) -> bytes:
    return f"{HEAD}<body>\n{body}\n</body></html>".encode()


def messages(files: dict[str, bytes]) -> list[str]:
    return sorted(str(p) for p in check_files(files, "site").problems)


def test_unbalanced_tags_are_located():
    facts = parse_page("<p>\n<div>\n<span>x</div>\n</em></p><section>")
    assert sorted(facts.problems) == [
        ("<section> is never closed", 4, 10),
        ("<span> opened at line 3 is not closed before </div>", 3, 8),
        ("closing tag </em> without an opening tag", 4, 1),
    ]


def test_links_ids_and_the_description_are_read():
    facts = parse_page('<a href="b.html#x" id="one">a</a>\n<img src="i.png">'
                       '<a name="two"></a><meta name="description" content="a &amp; b">')
    assert facts.links == [("b.html#x", 1, 1), ("i.png", 2, 1)]
    assert facts.ids == {"one", "two"} and facts.description == "a & b"


def test_broken_links_anchors_duplicates_and_orphans():
    files = {
        "index.html": page('<a href="a/index.html#here">a</a> <a href="#top" id="top">t</a>'
                           ' <a href="a/index.html#nowhere">n</a> <a href="#missing">m</a>'
                           ' <a href="gone.html">g</a> <a href="../../etc/passwd">x</a>'),
        "a/index.html": page('<p id="here">x</p><p id="here">y</p>'),
        "lonely.html": page("nobody links here"),
    }
    assert messages(files) == [
        "site/a/index.html:2:19: malformed HTML: duplicate id 'here'",
        "site/index.html:2:102: broken link '#missing': no id 'missing' in 'index.html'",
        "site/index.html:2:127: broken link 'gone.html': no file 'gone.html' in the site",
        "site/index.html:2:153: link '../../etc/passwd' leaves the site; expected a page of "
        "this site",
        "site/index.html:2:65: broken link 'a/index.html#nowhere': no id 'nowhere' in "
        "'a/index.html'",
        "site/lonely.html: orphan page: no other page links to it; expected a link from the "
        "home page or another page",
    ]


def test_external_links_are_counted_by_host_most_linked_first():
    urls = ["https://www.bbc.com/a", "https://bbc.com/b", "http://reuters.com/x",
            "//apnews.com/y", "https://BBC.com/c", "https://reuters.com/z"]
    assert links_by_host(urls) == [("bbc.com", 3), ("reuters.com", 2), ("apnews.com", 1)]


def test_check_names_the_ten_most_linked_hosts_and_counts_the_rest():
    urls = [f"https://host{n:02}.org/{i}" for n in range(14) for i in range(14 - n)]
    lines = check_lines(urls)
    text = " ".join(line.strip() for line in lines)
    assert text == ("105 external links on 14 hosts, not fetched (no network): host00.org 14, "
                    "host01.org 13, host02.org 12, host03.org 11, host04.org 10, "
                    "host05.org 9, host06.org 8, host07.org 7, host08.org 6, host09.org 5, "
                    "and 10 links on 4 other hosts; --list-external lists them all")
    assert all(len(line) <= 88 for line in lines)
    assert not any("https://" in line for line in lines)
    assert check_lines(urls, every_link=True)[0] == "  https://host00.org/0"
    assert check_lines([]) == ["0 external links on 0 hosts, not fetched (no network); "
                               "--list-external lists them all"]


def test_a_fragment_put_on_a_line_is_checked_as_the_whole_page_would_be():
    """Related explainers are put into a page after it was checked: the page's report plus
    the fragment's must be what checking the whole page finds."""
    from generator.check import check_fragment, check_page, with_fragment

    head = ('<!DOCTYPE html><html><head><title>T</title><meta name="description" '
            'content="D"></head><body>\n<p id="top"><a href="../b/index.html">b</a></p>\n')
    slot, tail = "<!-- slot -->", '\n<p><a href="#top">top</a> <a href="../c/">c</a></p>\n'
    fragment = ('<aside id="rel"><a href="../d/index.html#x">d</a> <a href="#rel">here</a> '
                '<a href="https://example.net/">out</a> <a href="../../out.html">up</a></aside>')
    page = "a/index.html"
    before = check_page(page, (head + slot + tail + "</body></html>").encode(), "")
    after = check_page(page, (head + fragment + tail + "</body></html>").encode(), "")
    merged = with_fragment(before, check_fragment(page, fragment, "", line=3))
    assert merged.ids == after.ids and merged.external == after.external
    assert set(merged.problems) == set(after.problems) != set()
    # a link into the page itself is left to the site check, which has every id
    assert set(merged.links) - set(after.links) == {(page, "rel", "#rel", 3, 51)}
    assert set(after.links) <= set(merged.links)


def test_a_source_on_the_sites_own_host_is_an_external_page_not_a_broken_link():
    """A newsroom cites its own older reporting at addresses under base_url; those pages are
    not part of this site, so they are listed like any external link. The site's own
    absolute links (canonical, share images) are still checked."""
    base = "https://example.org/news/"
    page = ('<!DOCTYPE html><html><head><title>T</title><meta name="description" content="d">'
            f'<link rel="canonical" href="{base}index.html"></head><body>'
            f'<a href="{base}2019/old-story.html">our 2019 story</a></body></html>')
    report = check_files({"index.html": page.encode()}, "site", base)
    assert report.problems == ()
    assert report.external_links == (f"{base}2019/old-story.html",)
    broken = page.replace(f'href="{base}index.html"', f'href="{base}missing.html"')
    assert check_files({"index.html": broken.encode()}, "site", base).problems


def test_a_remembering_site_check_finds_what_a_fresh_one_finds():
    """The preview's check walks only pages that could have changed; after each kind of
    change it must report exactly what a check from scratch reports."""
    from generator.check import SiteCheck, check_page, check_site

    def reports(files: dict[str, bytes]) -> dict[str, PageReport]:
        return {path: check_page(path, content, "") for path, content in files.items()}

    files = {"index.html": page('<a href="a/index.html">A</a> <a href="b/index.html#x">B</a>'),
             "a/index.html": page('<a href="../b/index.html#x">B</a>'),
             "b/index.html": page('<p id="x">x</p>')}
    pages = reports(files)
    checker = SiteCheck()

    def agree(pages: dict[str, PageReport], names: set[str]) -> list[str]:
        kept = [str(p) for p in checker.check(pages, names, "site").problems]
        assert kept == [str(p) for p in check_site(pages, names, "site").problems]
        return kept

    assert agree(pages, set(files)) == []
    assert agree(pages, set(files)) == []  # nothing changed
    pages["b/index.html"] = check_page("b/index.html", page('<p id="y">y</p>'), "")
    assert len(agree(pages, set(files))) == 2  # both unchanged pages' #x links now break
    pages["b/index.html"] = check_page("b/index.html", page('<p id="x">x</p>'), "")
    assert agree(pages, set(files)) == []
    del pages["b/index.html"]
    assert len(agree(pages, set(files) - {"b/index.html"})) == 2  # the file is gone
    pages = reports(files)
    pages["a/index.html"] = check_page("a/index.html", page('<a href="../c/">C</a>'), "")
    assert agree(pages, set(files)) == ["site/a/index.html:2:1: broken link '../c/': "
                                        "no file 'c/index.html' in the site"]
