"""Allow-list sanitiser for the rich text of campaign news posts: what is not listed never reaches a page."""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

ALLOWED_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4", "blockquote", "a", "span"}
)
VOID_TAGS = frozenset({"br"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"})}
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto", ""})
# Everything inside these is dropped, text included.
DROP_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"})


def _safe_url(value: str) -> bool:
    value = "".join(value.split())  # "java\nscript:" is still javascript:
    try:
        return urlsplit(value).scheme.lower() in ALLOWED_SCHEMES
    except ValueError:
        return False


class _Sanitiser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping += 1
            return
        if self.dropping or tag not in ALLOWED_TAGS:
            return
        kept = []
        for name, value in attrs:
            if name in ALLOWED_ATTRIBUTES.get(tag, ()) and value is not None:
                if name == "href" and not _safe_url(value):
                    continue
                kept.append(f' {name}="{escape(value, quote=True)}"')
        if tag == "a":
            kept.append(' rel="noopener noreferrer nofollow"')
        self.out.append(f"<{tag}{''.join(kept)}>")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in DROP_CONTENT_TAGS:
            return
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS and self.open and self.open[-1] == tag:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in DROP_CONTENT_TAGS:
            self.dropping = max(0, self.dropping - 1)
            return
        if self.dropping or tag not in self.open:
            return
        while self.open:  # close anything left open inside, so the markup stays balanced
            current = self.open.pop()
            self.out.append(f"</{current}>")
            if current == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.out.append(escape(data, quote=False))

    def close(self) -> None:
        super().close()
        while self.open:
            self.out.append(f"</{self.open.pop()}>")


def sanitise_html(value: str) -> str:
    """Keep paragraphs, emphasis, lists, headings and http(s) links; drop scripts, styles, events and the rest."""
    parser = _Sanitiser()
    parser.feed(value or "")
    parser.close()
    return "".join(parser.out)
