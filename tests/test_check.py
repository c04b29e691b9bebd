"""The built-site check: well-formed pages, links and anchors that resolve, no orphans."""

from generator.check import check_files, parse_page

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
