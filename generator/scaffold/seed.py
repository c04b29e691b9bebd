"""A plain-text seed document as the Markdown of an article, without changing a word.

The first paragraph is the headline. Every other paragraph stays, in order; what the copy
of a web page brought along is marked, never dropped:

- a caption repeated on the next line (a picture's description and its caption) becomes a
  ``::: picture`` block, the repeat flagged in an editorial note;
- a caption-like line (not a sentence, its words taken from the text just above it)
  becomes a ``::: picture`` block too, flagged as probably a caption;
- leftovers of the page ("Click here to see…", "Posted on", "Image source", "Image
  caption") are wrapped in an editorial note that says what they are.

Characters Markdown would read as markup are escaped, so the page shows the text as
written. Pure functions: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LEFTOVERS: tuple[tuple[str, str], ...] = (
    (r"click here|tap here|click to see|watch:|watch the video",
     "A leftover of the web page, not part of the report: a link that stood in for "
     "something the copy could not show, such as an interactive graphic or a video."),
    (r"(?:posted|published|last updated|updated)(?:\s+(?:on|at))?"
     r"(?=\s*(?::|$|\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b))",
     "A leftover of the web page, not part of the report: a date label of the site that "
     "carried the text."),
    (r"image source|picture source|getty images|copyright(?=\s*(?:©|\(c\)|\d{4}|$))",
     "A leftover of the web page, not part of the report: the credit of a picture that "
     "is not reproduced here."),
    (r"image caption|media caption|caption(?=\s*[,:])",
     "A leftover of the web page, not part of the report: the label of a picture's "
     "caption."),
    (r"share this|share on|related topics|more on this story|related stories|"
     r"advertisement|read more|follow us|subscribe",
     "A leftover of the web page, not part of the report: a link for sharing or "
     "navigating the site."),
)
"""(the start of a line, case-insensitive; what it is): page furniture a copy brings along."""
_LEFTOVER_WORDS = 12  # a leftover is a short line; a sentence starting "Updated …" is text
_CAPTION_WORDS = 30
_CAPTION_OVERLAP = 0.6  # the share of a caption's words found in the paragraphs above
_LOOK_BACK = 3
_STOPWORDS = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in",
                        "into", "is", "it", "its", "of", "on", "or", "that", "the", "their",
                        "this", "to", "was", "were", "with"))
LEFTOVER_START = "{>>A leftover of the web page"
REPEAT_NOTE = ("The same caption again: the page gave this line twice, most likely a "
               "picture's description and its caption, both kept by the copy.")
CAPTION_NOTE = ("Probably the caption of a picture that is not reproduced: it is not a "
                "sentence and repeats the words of the text above it.")


@dataclass(frozen=True, slots=True)
class SeedArticle:
    headline: str  # the seed's first paragraph, as one line of plain text
    markdown: str
    pictures: int = 0  # '::: picture' blocks made of captions
    leftovers: int = 0  # lines of the web page flagged as not part of the report


def paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; a text with no blank line has one per line."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n")
             .lstrip("\ufeff").split("\n")]
    if "" not in lines[:-1] or not any(lines):
        return [line for line in lines if line]
    blocks, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            blocks.append("\n".join(current))
            current = []
    return blocks


def escape(text: str) -> str:
    """Text that Markdown (and our extensions: citations, notes, containers) shows as it is.

    Backslashes where Markdown takes them; character references where it does not or where
    our own patterns would still match ('[@', braces, ':::' at the start of a line)."""
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text)
    text = re.sub(r"([\\`*_\[\]])", r"\\\1", text)
    text = text.replace("\\[@", "&#91;@")
    text = text.replace("{", "&#123;").replace("}", "&#125;")  # CriticMarkup's marks
    text = re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r"^(#|>|[-+](?=\s|$)|-+$)", r"\\\1", line)
        line = re.sub(r"^:(?=::)", "&#58;", re.sub(r"^=(?==*$)", "&#61;", line))
        lines.append(re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", line))
    return "\n".join(lines)


def words(text: str) -> list[str]:
    return re.findall("[\\w\u2019'-]+", text.lower())


def leftover_note(paragraph: str) -> str | None:
    """What a line of page furniture is, or None for the report's own text."""
    if len(words(paragraph)) > _LEFTOVER_WORDS:
        return None
    for pattern, note in LEFTOVERS:
        if re.match(rf"(?:{pattern})\b", paragraph, re.IGNORECASE):
            return note
    return None


def is_caption_like(paragraph: str, before: list[str]) -> bool:
    """Not a sentence, short, and most of its words already said in the text above."""
    if re.search("[.!?\u2026:;][\"'\u201d\u2019)]*$", paragraph) or \
            len(words(paragraph)) > _CAPTION_WORDS:
        return False
    own = {w for w in words(paragraph) if w not in _STOPWORDS and len(w) > 2}
    said = {w for text in before[-_LOOK_BACK:] for w in words(text)}
    return bool(own) and len(own & said) / len(own) >= _CAPTION_OVERLAP


def noted(text: str, note: str) -> str:
    return f"{{=={escape(text)}==}}{{>>{note}<<}}"


def _leftover(paragraph: str, note: str) -> str:
    label = re.match(r"(image|media) caption\b[,:.]?", paragraph, re.IGNORECASE)
    if label is None or not paragraph[label.end():].strip():
        return noted(paragraph, note)
    caption = paragraph[label.end():].strip()
    return f"::: picture\n{noted(label[0], note)} {escape(caption)}\n:::"


def seed_markdown(text: str) -> SeedArticle:
    """The article.md of a seed: its headline as a '##' heading, then every paragraph."""
    found = paragraphs(text)
    if not found:
        return SeedArticle("", "")
    headline, rest = " ".join(found[0].split("\n")), found[1:]
    blocks = [f"## {escape(headline)}"]
    index = 0
    while index < len(rest):
        paragraph = rest[index]
        before = found[:index + 1]
        note = leftover_note(paragraph)
        repeats = 0  # a repeated leftover is flagged once per line, never skipped
        while note is None and index + repeats + 1 < len(rest) and \
                rest[index + repeats + 1].split() == paragraph.split():
            repeats += 1
        if note is not None:
            blocks.append(_leftover(paragraph, note))
        elif repeats:
            body = [escape(paragraph)] + [noted(p, REPEAT_NOTE)
                                          for p in rest[index + 1:index + 1 + repeats]]
            blocks.append("::: picture\n" + "\n\n".join(body) + "\n:::")
        elif is_caption_like(paragraph, before):
            body = [noted(paragraph, CAPTION_NOTE)]
            while index + 1 < len(rest) and leftover_note(rest[index + 1]) is None and \
                    is_caption_like(rest[index + 1], before):
                index += 1
                body.append(escape(rest[index]))
            blocks.append("::: picture\n" + "\n\n".join(body) + "\n:::")
        else:
            blocks.append(escape(paragraph))
        index += repeats + 1
    markdown = "\n\n".join(blocks) + "\n"
    return SeedArticle(headline, markdown, markdown.count("\n::: picture\n"),
                       markdown.count(LEFTOVER_START))
