"""Content rules every stage shares: what an id is, which files are ignored, which links and
base URLs are allowed, and the patterns of our Markdown extensions.

One rule, one place: the loader, the validator, the renderer and the preview's watcher all
ask this module, so they can never disagree.
"""

from __future__ import annotations

import re
import unicodedata

ID_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID = re.compile(ID_PATTERN)
ID_RULE = "lowercase letters, digits and single hyphens"

ALLOWED_SCHEMES = ("http", "https", "mailto")

CITATION_PATTERN = r"\[(?P<ids>@[^\[\]\n]*)\]"
"""``[@id]`` or ``[@one; @two]``: the Pandoc citation convention."""
NOTE_PATTERN = (r"\{==(?P<flag>(?:(?!\n\s*\n).)*?)==\}"
                r"\{>>(?P<note>(?:(?!\n\s*\n).)*?)<<\}")
"""CriticMarkup's highlight-and-comment: ``{==original words==}{>>the note<<}``."""
CONTAINER_OPEN_PATTERN = (r'^ {0,3}:::+[ \t]*(?P<kind>[A-Za-z][\w-]*)'
                          r'(?:[ \t]+"(?P<title>[^"\n]*)")?'
                          r'(?:[ \t]+(?P<ref>[^\s"]+))?[ \t]*$')
CONTAINER_CLOSE_PATTERN = r"^ {0,3}:::+[ \t]*$"
PLACING_CONTAINERS = ("chart", "map")
"""``::: chart <id>`` and ``::: map <id>``: one line that places a record, never closed."""
CONTAINER_KINDS = ("picture", "box", *PLACING_CONTAINERS)

_EDITOR_DROPPINGS = ("~", ".swp", ".swx", ".tmp")
_BASE_URL = re.compile(r"https?://(?P<host>[^\s/?#@]+)(?P<path>/[^\s?#]*)?")


def is_id(text: str) -> bool:
    return ID.fullmatch(text) is not None


def suggest_id(text: str) -> str:
    """'Second_Explainer' -> 'second-explainer': the nearest name that follows the rule."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def slugify(text: str) -> str:
    """An anchor-safe name: 'Doha agreement' -> 'doha-agreement'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower())) or "section"


def is_ignored(name: str) -> bool:
    """Editor droppings and hidden files are never content (vim's '4913', emacs' '.#x')."""
    return name.startswith((".", "#")) or name.endswith(_EDITOR_DROPPINGS) or name == "4913"


def url_problem(url: str) -> str | None:
    """Why a link target is refused, or None; 'javascript:' and friends never reach a page."""
    cleaned = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    if scheme is None or scheme[1] in ALLOWED_SCHEMES:
        return None
    return (f"link to '{url[:40]}' is not allowed; expected an http(s) or mailto address, "
            "a page of this site or a #anchor")


def base_url_problem(text: str) -> str | None:
    """Why a base URL is refused, or None. The same rule for site.yaml and --base-url."""
    if _BASE_URL.fullmatch(text) is None:
        return f"'{text}' is not a web address; expected an absolute http(s) URL"
    return None


def normalise_base_url(text: str) -> str:
    """Links are made by appending paths, so a base URL always ends with '/'."""
    return text if text.endswith("/") else text + "/"
