"""Check a rendered site before it is published: well-formed pages, links that resolve.

Works on the in-memory files of a build, so a broken link fails the build before anything
is written, and on a folder on disk for sites built earlier. ``page`` reads one page;
``site`` puts the pages' reports together.
"""

from generator.check.page import (
    VOID_ELEMENTS,
    PageFacts,
    PageReport,
    Problem,
    check_fragment,
    check_page,
    is_external,
    parse_page,
    resolve_link,
    with_fragment,
)
from generator.check.site import SiteCheck, SiteReport, check_files, check_site

__all__ = ["VOID_ELEMENTS", "PageFacts", "PageReport", "Problem", "SiteCheck", "SiteReport",
           "check_files", "check_fragment", "check_page", "check_site", "is_external",
           "parse_page", "resolve_link", "with_fragment"]
