"""What Markdown a contributor may write in a body, enforced with line numbers.

Policy: bodies are Markdown. Raw HTML is allowed only for harmless inline markup; these are
refused anywhere in a body, Markdown links and images included:
- the elements script, iframe, object, embed, style, link, meta, base, form, input, button,
  textarea, select, frame, frameset, applet, svg, math, template;
- any on* event-handler attribute, and style attributes;
- links or sources with a scheme other than http, https or mailto (javascript:, data:,
  vbscript:, file: ...).
After MkDocs renders a page, nh3 (see sanitize.py) removes whatever slipped past: the validator
tells the contributor, the sanitizer protects the reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

FORBIDDEN_ELEMENTS = ("script", "iframe", "object", "embed", "style", "link", "meta", "base", "form",
                      "input", "button", "textarea", "select", "frame", "frameset", "applet", "svg",
                      "math", "template")
ALLOWED_SCHEMES = ("http", "https", "mailto")

_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)", re.S)  # opening tags: <script></script> is one problem
_EVENT_ATTR = re.compile(r"<[^>]*?\s(on[a-z]+|style)\s*=", re.I | re.S)
_HTML_URL_ATTR = re.compile(r"""(?:href|src|action|formaction|xlink:href|srcset|poster)\s*=\s*["']?\s*([^"'\s>]+)""", re.I)
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_MD_REF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^>\s]*)>")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ENTITY = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);?|&(colon|tab|newline);", re.I)


def _decode(url: str) -> str:
    """Undo the entity and whitespace tricks browsers forgive ('java&#115;cript:', 'java\\tscript:')."""
    def repl(match: re.Match[str]) -> str:
        if match.group(1):
            num = match.group(1)
            try:
                return chr(int(num[1:], 16) if num[0] in "xX" else int(num))
            except (ValueError, OverflowError):
                return ""
        return {"colon": ":", "tab": "", "newline": ""}[match.group(2).lower()]
    url = _ENTITY.sub(repl, url)
    return re.sub(r"[\x00-\x20\\]", "", url)


def unsafe_url(url: str) -> bool:
    scheme = _SCHEME.match(_decode(url))
    return bool(scheme) and scheme.group(1).lower() not in ALLOWED_SCHEMES  # type: ignore[union-attr]


def body_problems(body: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line offset within the body, message, hint) for every policy breach."""
    def line_at(pos: int) -> int:
        return body.count("\n", 0, pos)

    # Each pattern needs a literal character ('<', '=', '](', ']:'); skipping a scan when the body
    # lacks it gives the same result and saves most of the time on plain prose.
    has_tag, has_equals = "<" in body, "=" in body
    for match in (_TAG.finditer(body) if has_tag else ()):
        name = match.group(1).lower()
        if name in FORBIDDEN_ELEMENTS:
            yield (line_at(match.start()), f"raw <{name}> is not allowed in an account",
                   "write plain Markdown; embeds and scripts cannot be published")
    for match in (_EVENT_ATTR.finditer(body) if has_tag else ()):
        yield (line_at(match.start(1)), f"HTML attribute '{match.group(1)}' is not allowed",
               "remove event handlers and inline styles")
    for pattern, needed in ((_HTML_URL_ATTR, has_equals), (_MD_LINK, "](" in body), (_MD_REF, "]:" in body),
                            (_AUTOLINK, has_tag)):
        for match in (pattern.finditer(body) if needed else ()):
            if unsafe_url(match.group(1)):
                yield (line_at(match.start(1)), f"link '{match.group(1)[:60]}' uses a forbidden scheme",
                       "links must be http(s) or mailto")
