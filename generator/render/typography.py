"""Curly quotes for text written in YAML: writers type straight quotes, readers should see
the same typographic quotes as in the Markdown article."""

from __future__ import annotations

import re

_OPENING_CONTEXT = r"(^|(?<=[\s(\[{\u2014\u2013/-]))"
_DOUBLE_OPEN = re.compile(_OPENING_CONTEXT + r'(?:"|&quot;)')
_SINGLE_OPEN = re.compile(_OPENING_CONTEXT + r"(?:'|&#x27;|&#39;)(?=\w)")
_TAG = re.compile(r"(<[^>]*>)")


def curly_quotes(text: str) -> str:
    """Straight quotes become opening quotes after a space or an opening bracket, and
    closing quotes or apostrophes everywhere else."""
    if "'" not in text and '"' not in text and "&quot;" not in text and "&#" not in text:
        return text
    text = _DOUBLE_OPEN.sub("\u201c", text)
    text = re.sub(r'"|&quot;', "\u201d", text)
    text = _SINGLE_OPEN.sub("\u2018", text)
    return re.sub(r"'|&#x27;|&#39;", "\u2019", text)


def curly_quotes_html(html: str) -> str:
    """The same in HTML, leaving tags (and their attributes) exactly as they are."""
    parts = _TAG.split(html)
    return "".join(part if index % 2 else curly_quotes(part)
                   for index, part in enumerate(parts))
