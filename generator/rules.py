"""Content rules every stage shares: what an id is, which files are ignored, which links and
base URLs are allowed, and the patterns of our Markdown extensions.

One rule, one place: the loader, the validator, the renderer and the preview's watcher all
ask this module, so they can never disagree.
"""

from __future__ import annotations

import html
import re
import unicodedata

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID = re.compile(ID_PATTERN)
ID_RULE = "lowercase letters, digits and single hyphens"

SITE_FOLDERS = ("assets", "authors", "pagefind", "search", "topics")
"""Folders of the site's own pages and files (stylesheet and favicon, author pages, search
index and page, topic pages): an explainer of that name would collide with them, so the
loader and ``explainer new`` refuse it."""

ALLOWED_SCHEMES = ("http", "https", "mailto")

CITATION_PATTERN = r"\[(?P<ids>@[^\[\]\n]*)\]"
"""``[@id]`` or ``[@one; @two]``: the Pandoc citation convention."""
NOTE_PATTERN = (r"\{==(?P<flag>(?:(?!\n\s*\n).)*?)==\}"
                r"\{>>(?P<note>(?:(?!\n\s*\n).)*?)<<\}")
"""CriticMarkup's highlight-and-comment: ``{==original words==}{>>the note<<}``."""
CONTAINER_OPEN_PATTERN = (r'^ {0,3}:::+[ \t]*(?P<kind>[A-Za-z][\w-]*)'
                          r'(?:[ \t]+(?P<ref>[^\s"]+))?'
                          r'(?:[ \t]+"(?P<title>[^"\n]*)")?[ \t]*$')
CONTAINER_CLOSE_PATTERN = r"^ {0,3}:::+[ \t]*$"
PLACEMENT_KINDS = ("image", "chart", "map")
"""Containers that place a record by its id, on one line of their own: '::: image <id>',
'::: chart <id>', '::: map <id>'. They have no body, so no closing ':::'."""
CONTAINER_KINDS = ("picture", "box", *PLACEMENT_KINDS)

IMAGE_FOLDER = "images"
"""An explainer's pictures live in its own ``images/`` folder."""
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

_EDITOR_DROPPINGS = ("~", ".swp", ".swx", ".tmp")
_BASE_URL = re.compile(r"https?://(?P<host>[^\s/?#@]+)(?P<path>/[^\s?#]*)?")


def image_path_problem(path: str, folder: str) -> str | None:
    """Why a picture's path is refused, or None. ``folder`` is where pictures must be:
    'images' for an explainer's (paths like 'images/photo.jpg'), '' for content/'s own."""
    example = f"{folder}/photo.jpg" if folder else "logo.png"
    where = f"this explainer's {folder}/ folder" if folder else "content/ itself"
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or ".." in parts or re.match(r"[A-Za-z]:", path):
        return f"'{path}' is outside {where}; expected a path such as '{example}'"
    if parts[:-1] != ([folder] if folder else []) or not parts[-1]:
        return f"'{path}' is not a file in {where}; expected a path such as '{example}'"
    suffix = "." + parts[-1].rpartition(".")[2].lower() if "." in parts[-1] else ""
    if suffix == ".svg":
        return ("SVG pictures are refused (they can carry scripts and links to other sites); "
                "expected a JPEG, PNG or WebP file: export the SVG as PNG")
    if suffix not in IMAGE_SUFFIXES:
        return (f"'{suffix or parts[-1]}' files are not supported; expected a picture ending in "
                f"{', '.join(IMAGE_SUFFIXES)}")
    return None


def is_id(text: str) -> bool:
    return ID.fullmatch(text) is not None


def suggest_id(text: str) -> str:
    """'Second_Explainer' -> 'second-explainer': the nearest name that follows the rule."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def slugify(text: str, empty: str = "section") -> str:
    """An anchor-safe name: 'Doha agreement' -> 'doha-agreement'; ``empty`` when the text
    has no Latin letters or digits."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or empty


def is_ignored(name: str) -> bool:
    """Editor droppings and hidden files are never content (vim's '4913', emacs' '.#x')."""
    return name.startswith((".", "#")) or name.endswith(_EDITOR_DROPPINGS) or name == "4913"


def url_problem(url: str) -> str | None:
    """Why a link target is refused, or None; 'javascript:' and friends never reach a page.

    The target is judged as a browser resolves it: character references decoded
    ('jav&#x61;script:', 'javascript&colon;') and whitespace and control characters
    dropped ('java<TAB>script:'), so no spelling of a scheme slips past."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", html.unescape(url)).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    if scheme is None or scheme[1] in ALLOWED_SCHEMES:
        return None
    shown = re.sub(r"[\x00-\x1f\x7f]", lambda m: repr(m[0])[1:-1], url[:40])
    return (f"link to '{shown}' is not allowed; expected an http(s) or mailto address, "
            "a page of this site or a #anchor")


def base_url_problem(text: str) -> str | None:
    """Why a base URL is refused, or None. The same rule for site.yaml and --base-url."""
    if _BASE_URL.fullmatch(text) is None:
        return f"'{text}' is not a web address; expected an absolute http(s) URL"
    return None


def normalise_base_url(text: str) -> str:
    """Links are made by appending paths, so a base URL always ends with '/'."""
    return text if text.endswith("/") else text + "/"


RAW_HTML_TAGS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp",
    "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
"""What a writer may write as raw HTML (with ``allow_raw_html: true``): an allow-list of
elements that show text, never ones that run, load or submit anything."""
RAW_HTML_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"title", "lang", "dir", "class", "id"}),
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "time": frozenset({"datetime"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "ol": frozenset({"start", "reversed"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
}
"""The attributes a writer's raw HTML may carry, by element ('*': on every element)."""
URL_ATTRIBUTES = ("href", "src")


def raw_html_problem(name: str, attributes: list[tuple[str, str]]) -> str | None:
    """Why a raw HTML tag a writer wrote is refused, or None: the same allow-list the renderer's
    sanitiser applies, so what validation accepts is exactly what reaches the page."""
    name = name.lower()
    if name not in RAW_HTML_TAGS:
        return f"'<{name}>' is not allowed in content; expected Markdown or harmless HTML"
    allowed = RAW_HTML_ATTRIBUTES["*"] | RAW_HTML_ATTRIBUTES.get(name, frozenset())
    for attribute, value in attributes:
        attribute = attribute.lower()
        if attribute.startswith("on"):
            return ("event-handler attributes (on…=) are not allowed in content; expected "
                    "HTML without scripts")
        if attribute not in allowed:
            return (f"attribute '{attribute[:30]}' is not allowed on '<{name}>'; expected only "
                    f"{', '.join(sorted(allowed))}")
        if attribute in URL_ATTRIBUTES:
            problem = url_problem(value)
            if problem:
                return problem
    return None
