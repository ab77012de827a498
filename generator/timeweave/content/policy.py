"""What Markdown a contributor may write in a body, enforced with line numbers.

Policy (README, "Security and integrity"): bodies are Markdown. Raw HTML is allowed only for
harmless inline markup and must be balanced; the validator refuses, anywhere in a body (code
spans included: write `&lt;` to show a '<' before a letter):
- elements outside the allow-list (script, iframe, object, embed, style, link, meta, base, form,
  svg, math, template and every other element the sanitizer would drop), h1, the landmark
  elements (nav, header, footer, aside, article, section) and bdo (a direction override in
  markup, like U+202E);
- attributes outside the allow-list: every on* handler, style, and also id, name and class, so an
  account cannot take the id of an element the theme's scripts look up (Material reads its
  configuration from `#__config`), nor dress itself up as a status badge or a warning;
- links, images and HTML URL attributes whose scheme is not http, https or mailto (javascript:,
  data:, vbscript:, file: ...), after undoing entity and whitespace tricks;
- images (one from another site makes every reader's browser tell that site who reads the page,
  and content has no folder of its own for images) and relative links to files ('x.md',
  'map.png'): MkDocs would stop a strict build over a missing one, outside the validator; link to
  pages by their URL instead ('../other-event/');
- link text that shows an address other than the one the link goes to ('bbc.co.uk' -> evil), read as
  the reader sees it (entities decoded, look-alike dots such as U+3002 read as '.'); every link
  form is checked: inline, reference definitions (in quotes and lists too), autolinks, raw <a>;
  a link escaped as '\\[text\\](...)' is text, not a link, and is not refused;
- HTML comments, CDATA, processing instructions and declarations, and tags left unfinished at
  the end ('<details', '<div title="x'): an unclosed '<!--' or an unfinished tag swallows the rest
  of the page, the sources and the annotations included;
- headings whose anchor would start with '_' (the theme's own ids do), headings of level 1 ('#',
  '=' underlines: the page's title is the only one), and headings whose anchor is the id of one of
  the page's own sections (markup.py: '## Sources' would take 'sources' and push the real
  section to 'sources_1');
- admonitions other than '!!! type' or '!!! type "Title"' with a type from markup.ADMONITION_TYPES: an
  extra class ('!!! note md-dialog') is the theme's or the page's own ('tl-withdrawn');
- shapes that make Python-Markdown recurse past Python's limit or run for minutes: nesting deeper
  than MAX_NESTING columns, runs of more than MAX_EMPHASIS_RUN '*' or '_', more than
  MAX_BRACKETS '[' or MAX_ANGLES '<', MAX_HEADINGS headings in one body (each costs time quadratic in
  their number), lines of more than MAX_LINE characters. Within these, every check is linear in size.
After MkDocs renders a page, nh3 (see sanitize.py) removes whatever slipped past: the validator
tells the contributor, the sanitizer protects the reader.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from timeweave.content.allowed_html import ALLOWED_TAGS
from timeweave.content.external import same_site, shown_text
from timeweave.content.htmlscan import event_attributes
from timeweave.content.markup import BLOCK_PREFIX, admonition_problems, heading_problems

FORBIDDEN_ELEMENTS = ("script", "iframe", "object", "embed", "style", "link", "meta", "base", "form",
                      "input", "button", "textarea", "select", "frame", "frameset", "applet", "svg",
                      "math", "template")
ALLOWED_SCHEMES = ("http", "https", "mailto")
BODY_TAGS = frozenset(ALLOWED_TAGS - {"h1", "nav", "header", "footer", "aside", "article", "section", "bdo",
                                      "img"})
_GLOBAL_ATTRIBUTES = {"lang", "dir", "title"}
BODY_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "hreflang"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
_URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "xlink:href", "poster", "background",
                   "data", "ping", "longdesc", "srcset", "codebase", "manifest", "lowsrc", "dynsrc"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen"}

MAX_NESTING = 64        # columns of indentation, '>' and list markers before a line's text
MAX_EMPHASIS_RUN = 32   # 3,000 '*' in a row exceed Python's recursion limit in Python-Markdown
MAX_BRACKETS = 500      # Python-Markdown's time grows much faster than the number of '['
MAX_ANGLES = 500        # likewise for '<a '
MAX_LINE = 20_000       # characters in one line: scans that stop at a line's end cost at most this each
MAX_HEADINGS = 1_000    # Python-Markdown's unique heading ids cost time quadratic in their number
_HELD_BACK_WORK = 4_000_000  # characters html.parser may scan after an unfinished tag

_TAG = re.compile(r"<\s*([a-zA-Z][a-zA-Z0-9-]*)", re.S)  # opening tags: <script></script> is one problem
# Browsers split attributes on '/' and after a closing quote too: <img/onerror=...>, <a href="x"onclick=...>
_MD_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^)\s]+)")
# A backslash escape of a bracket (or of a backslash): Python-Markdown shows the character as text.
_ESCAPE = re.compile(r"\\[\\\[\]()]")
# Starts with its '[' (an image's '!' is read before it): a literal first character lets the regex
# engine jump from one '[' to the next, where '(!?)' had it try every position (20 times slower).
_MD_INLINE = re.compile(r"\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^)\s]+)")
# A label starting with '^' is a footnote, whose text is Markdown, not a destination.
_MD_REF = re.compile(rf"^{BLOCK_PREFIX}\[([^\]\n^][^\]\n]*)\]:[ \t]*\n?[ \t>]*(<[^>\n]*>|\S+)", re.M)
_MD_REF_USE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\](?:[ ]?\[([^\]\n]*)\])?(?![(:])")
_AUTOLINK = re.compile(r"<([a-zA-Z][a-zA-Z0-9+.-]*:[^<>\s]*)>")
_EMAIL_AUTOLINK = re.compile(r"<[^<>\s@]+@[^<>\s@]+>")
_ANGLE_DESTINATION = re.compile(r"\]\(\s*<[^>\n]*>")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ENTITY = re.compile(r"&#(x[0-9a-fA-F]+|[0-9]+);?|&(colon|tab|newline);", re.I)
_DECLARATION = re.compile(r"<[!?]")
# Lines Python-Markdown may make a heading of (in lists and quotes too) and setext underlines and rules
_HEADING_LIKE = re.compile(r"^[ \t>]*(?:#|(?:=+|-+)[ \t]*$)", re.M)
_NESTING_PREFIX = re.compile(r"(?:[ \t]|>|[*+-][ \t]|\d{1,9}[.)][ \t])*")
_LONG_PREFIX = re.compile(r"\n[ \t>*+\-\d.)]{16}")  # after a newline: '^' with re.M tries every position
_EMPHASIS_RUN = re.compile(rf"\*{{{MAX_EMPHASIS_RUN + 1},}}|_{{{MAX_EMPHASIS_RUN + 1},}}")
# Link text that reads as an address: a URL, or a bare domain such as bbc.co.uk or www.example.org/x
_ADDRESS = re.compile(r"^(?:[a-z][a-z0-9+.-]*://\S+|(?:[\w-]+\.)+[^\W\d_]{2,}\.?(?:[/?#]\S*)?)$", re.I)
_IP_ADDRESS = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}\.?(?:[/:?#]\S*)?$")


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
    # html.unescape knows every named entity (&Tab;, &colon; ...); the pattern then catches numeric
    # references written without their ';' that it leaves alone in attribute-like text.
    url = _ENTITY.sub(repl, html.unescape(url) if "&" in url else url)
    return re.sub(r"[\x00-\x20\\]", "", url)


def unsafe_url(url: str) -> bool:
    scheme = _SCHEME.match(_decode(url))
    return bool(scheme) and scheme.group(1).lower() not in ALLOWED_SCHEMES  # type: ignore[union-attr]


def _external(url: str) -> bool:
    """An absolute URL or a protocol-relative one: the browser would fetch it from another host."""
    decoded = _decode(url)
    return decoded.startswith("//") or bool(_SCHEME.match(decoded))


_FILE_LINK_HINT = "link to a page by its URL, e.g. ../other-event-id/ from an event's account"


def _file_link(url: str) -> bool:
    """A relative link to a file ('other.md', 'map.png#x'): MkDocs checks those itself and stops a
    strict build when one is missing; page URLs end with '/'."""
    decoded = _decode(url)
    if _external(url) or decoded.startswith(("#", "?")):
        return False
    path = decoded.split("#", 1)[0].split("?", 1)[0]
    last = path.rstrip("/").rsplit("/", 1)[-1] if not path.endswith("/") else ""
    return "." in last.strip(".")


def _destination(raw: str) -> str:
    return raw[1:-1] if raw.startswith("<") and raw.endswith(">") else raw


# File names look like domains ('report.pdf') but name no site. Not in this list on purpose: zip and
# mov, which are also top-level domains and used for exactly this trick.
_FILE_EXTENSIONS = {"pdf", "html", "htm", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv", "txt", "jpg",
                    "jpeg", "png", "gif", "json", "xml", "md", "ppt", "pptx", "mp3", "mp4"}


def _link_text(text: str) -> str:
    """Markdown link text as shown: no emphasis marks, no escaping backslashes ('bbc\\.co\\.uk')."""
    if "\\" in text:
        text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    return re.sub(r"[*_`]", "", text)


def _looks_like_address(text: str) -> bool:
    text = shown_text(_link_text(text)).strip()
    if _IP_ADDRESS.match(text):
        return True
    if not _ADDRESS.match(text):
        return False
    if "://" in text:
        return True
    last = text.split("/", 1)[0].rstrip(".").rsplit(".", 1)[-1].lower()
    return last not in _FILE_EXTENSIONS


class _RawHtml(HTMLParser):
    """Walks the raw HTML in a body the way a browser tokenizes it (attribute values unescaped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[tuple[int, str, str]] = []
        self.stack: list[tuple[str, int]] = []
        self.link: tuple[str, int, list[str]] | None = None  # href, line, text inside <a>

    def _add(self, message: str, hint: str) -> None:
        self.problems.append((self.getpos()[0] - 1, message, hint))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag not in _VOID and tag in BODY_TAGS:  # a refused element is reported once, not also as unclosed
            self.stack.append((tag, self.getpos()[0]))
        if tag == "a":
            self.link = (dict(attrs).get("href") or "", self.getpos()[0], [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_ELEMENTS or tag not in BODY_TAGS:
            if tag in FORBIDDEN_ELEMENTS:
                hint = "write plain Markdown; embeds and scripts cannot be published"
            else:
                hint = ("to show '<' before a letter as text, write &lt;; allowed elements: " +
                        ", ".join(sorted(BODY_TAGS)))
            self._add(f"raw <{tag}> is not allowed in an account", hint)
        known_tag = tag in BODY_TAGS
        allowed = _GLOBAL_ATTRIBUTES | BODY_ATTRIBUTES.get(tag, set())
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self._add(f"HTML attribute '{name}' is not allowed", "remove event handlers and inline styles")
            elif name in ("id", "name", "class"):
                self._add(f"HTML attribute '{name}' is not allowed in an account",
                          "the page's own ids and classes belong to the theme and its scripts")
            elif name not in allowed and known_tag:  # an element refused already says enough
                self._add(f"HTML attribute '{name}' is not allowed on <{tag}>",
                          f"allowed: {', '.join(sorted(allowed))}")
            if name in _URL_ATTRIBUTES and value is not None:
                if unsafe_url(value):
                    self._add(f"link '{value[:60]}' uses a forbidden scheme", "links must be http(s) or mailto")
                elif _file_link(value) and known_tag:
                    self._add(f"link '{value[:60]}' points to a file", _FILE_LINK_HINT)
            if name == "srcset":
                self._add("HTML attribute 'srcset' is not allowed", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.link is not None:
            href, _, text = self.link
            shown = "".join(text)
            if href and _looks_like_address(shown) and not same_site(href, shown):
                self._add(f"the link text shows '{shown.strip()[:60]}' but the link goes elsewhere",
                          "make the text name the site the link goes to")
            self.link = None
        if tag in _VOID or tag not in BODY_TAGS:
            return
        if self.stack and self.stack[-1][0] == tag:
            self.stack.pop()
        elif any(open_tag == tag for open_tag, _ in self.stack):
            while self.stack and self.stack[-1][0] != tag:
                open_tag, line = self.stack.pop()
                self._add(f"<{open_tag}> opened on line {line} of the account is not closed before </{tag}>",
                          "raw HTML in an account must be balanced")
            self.stack.pop()
        else:
            self._add(f"</{tag}> closes an element that is not open", "raw HTML in an account must be balanced")

    def handle_data(self, data: str) -> None:
        if self.link is not None:
            self.link[2].append(data)


def _blank(match: re.Match[str]) -> str:
    """Replace a match with spaces, keeping its newlines so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group())


def _raw_html_problems(body: str) -> list[tuple[int, str, str]]:
    # Autolinks and <...> link destinations are Markdown, not tags; their URLs are checked elsewhere.
    text = _AUTOLINK.sub(_blank, body)
    text = _EMAIL_AUTOLINK.sub(_blank, text)
    text = _ANGLE_DESTINATION.sub(_blank, text)
    # '<!' and '<?' are refused by body_problems already, and html.parser asserts on some of them
    # ('<![1' raises AssertionError): it never sees them.
    text = _DECLARATION.sub("  ", text)
    parser = _RawHtml()
    try:
        parser.feed(text)
        # What the parser holds back is an unfinished construct. An unfinished tag at the end of an
        # account ('<details', '<div title="x') would take the page that follows it, sources and
        # annotations included, as its attributes or contents.
        if re.match(r"\s*</?[a-zA-Z]", parser.rawdata):
            start = len(text) - len(parser.rawdata.lstrip())
            parser.problems.append((text.count("\n", 0, start), "a tag is not finished with '>'",
                                    "finish the tag, or write &lt; to show '<' as text"))
        # close() reads on from an unfinished tag as text up to the next '<' and tries a tag there, a
        # scan to the end from each: past this bound, the unfinished tag reported is the one to fix.
        if parser.rawdata.count("<") * len(parser.rawdata) <= _HELD_BACK_WORK:
            parser.close()
    except (AssertionError, ValueError, IndexError):  # a parser bug must not become a traceback
        return parser.problems + [(parser.getpos()[0] - 1, "raw HTML that cannot be read",
                                   "write plain Markdown; to show '<' as text, write &lt;")]
    problems = parser.problems
    for tag, line in parser.stack:
        problems.append((line - 1, f"<{tag}> is never closed", "raw HTML in an account must be balanced"))
    return problems


def _markdown_link_problems(body: str, line_at: _LineAt) -> Iterator[tuple[int, str, str]]:
    if "[" not in body:  # no Markdown link, image or reference without one
        return
    # An escaped bracket is text ('\\[text\\](javascript:...)' renders as it reads, the TimelineJS
    # importer writes such text): the patterns run on a copy where escapes are blanked, of the same
    # length, and what they quote is taken from the body itself.
    source = body
    if "\\" in body:
        body = _ESCAPE.sub("\x00\x00", body)
    # Each pattern is searched for only when the text it cannot match without is there: scanning
    # every body with all four was a noticeable share of validation.
    definitions: dict[str, str] = {}
    for match in _MD_REF.finditer(body) if "]:" in body else ():
        url = source[match.start(2):match.end(2)]
        definitions.setdefault(match.group(1).strip().lower(), _destination(url))
        if unsafe_url(url):
            yield (line_at(match.start(2)), f"link '{url[:60]}' uses a forbidden scheme",
                   "links must be http(s) or mailto")
    inline = "](" in body
    for match in _MD_LINK.finditer(body) if inline else ():
        url = source[match.start(1):match.end(1)]
        if unsafe_url(_destination(url)):
            yield (line_at(match.start(1)), f"link '{url[:60]}' uses a forbidden scheme",
                   "links must be http(s) or mailto")
    uses: list[tuple[int, bool, str, str]] = []
    for start, image, text, url in inline_links(body) if inline else ():
        uses.append((start, image, text, _destination(url)))
    for match in _MD_REF_USE.finditer(body) if definitions else ():  # a use of no definition is no link
        label = (match.group(3) or match.group(2)).strip().lower()
        if label in definitions:
            uses.append((match.start(), bool(match.group(1)), match.group(2), definitions[label]))
    for start, image, text, url in uses:
        if image:
            yield (line_at(start), "images are not allowed in an account",
                   "an image from another site tells that site who reads the page; link to it instead")
        elif _file_link(url):
            yield (line_at(start), f"link '{url[:60]}' points to a file", _FILE_LINK_HINT)
        elif not image and _looks_like_address(text) and not same_site(url, _link_text(text)):
            yield (line_at(start), f"the link text shows '{shown_text(_link_text(text)).strip()[:60]}' but the "
                   "link goes elsewhere", "make the text name the site the link goes to")


class _LineAt:
    """Line offset (0-based) of a character position. Most bodies have no problem at all, so the
    newline positions are only gathered when a first line number is asked for."""

    def __init__(self, text: str):
        self.text = text
        self.newlines: list[int] | None = None

    def __call__(self, pos: int) -> int:
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self.newlines, pos)


def inline_links(body: str) -> Iterator[tuple[int, bool, str, str]]:
    """(start, is an image, text, destination as written) of each inline link or image."""
    for match in _MD_INLINE.finditer(body):
        start = match.start()
        image = start > 0 and body[start - 1] == "!"  # a '!' before '[' ends no earlier match
        yield (start - 1 if image else start), image, match.group(1), match.group(2)


def long_prefix_lines(body: str) -> Iterator[int]:
    """Where each line starting with 16 or more indentation, quote and list-marker characters starts."""
    if _LONG_PREFIX.match("\n" + body[:16]):
        yield 0
    for match in _LONG_PREFIX.finditer(body):
        yield match.start() + 1


def _limit_problems(body: str, line_at: _LineAt) -> Iterator[tuple[int, str, str]]:
    # A tab is 4 columns, so only a line starting with 16 prefix characters or more can pass the
    # limit: one cheap search, and the exact width only for those lines.
    for start in long_prefix_lines(body):
        if len(_NESTING_PREFIX.match(body, start).group().expandtabs(4)) > MAX_NESTING:  # type: ignore[union-attr]
            yield (line_at(start), f"nested deeper than {MAX_NESTING} columns of indentation, "
                   "quotes and list markers", "flatten the lists or quotes")
            break
    match = _EMPHASIS_RUN.search(body) if ("*" * (MAX_EMPHASIS_RUN + 1) in body
                                           or "_" * (MAX_EMPHASIS_RUN + 1) in body) else None
    if match:
        yield (line_at(match.start()), f"a run of more than {MAX_EMPHASIS_RUN} '{match.group()[0]}'",
               "use a horizontal rule (---) or fewer characters")
    for char, limit in (("[", MAX_BRACKETS), ("<", MAX_ANGLES)):
        count = body.count(char)
        if count > limit:
            yield (0, f"more than {limit} '{char}' in one account ({count})",
                   "split the account; Markdown's link parser slows down with each one")
    start = 0
    for line in body.split("\n") if len(body) > MAX_LINE else ():  # a shorter body has no line this long
        if len(line) > MAX_LINE:
            yield (line_at(start), f"more than {MAX_LINE} characters in one line ({len(line)})",
                   "break the line: a paragraph can go on over several lines")
        start += len(line) + 1
    headings = sum(1 for _ in _HEADING_LIKE.finditer(body)) if body.count("\n") >= MAX_HEADINGS else 0  # or fewer
    if headings > MAX_HEADINGS:
        yield (0, f"more than {MAX_HEADINGS} headings or horizontal rules in one account ({headings})",
               "split the account; Markdown's heading ids slow down with each one")


def body_problems(body: str) -> Iterator[tuple[int, str, str]]:
    """Yield (line offset within the body, message, hint) for every policy breach, in body order."""
    line_at = _LineAt(body)
    found: list[tuple[int, str, str]] = []
    found.extend(_limit_problems(body, line_at))
    if any(message.startswith("more than") for _, message, _ in found):
        # Too many '<', '[' or headings, or too long a line, to be worth tokenizing: enough to fix.
        yield from sorted(set(found))
        return
    if "<" not in body:
        found.extend(_markdown_link_problems(body, line_at))
        found.extend(heading_problems(body, line_at))
        found.extend(admonition_problems(body, line_at))
        yield from sorted(set(found))
        return
    for match in _TAG.finditer(body):
        name = match.group(1).lower()
        if name in FORBIDDEN_ELEMENTS:
            found.append((line_at(match.start()), f"raw <{name}> is not allowed in an account",
                          "write plain Markdown; embeds and scripts cannot be published"))
    for start, name in event_attributes(body):
        found.append((line_at(start), f"HTML attribute '{name.lower()}' is not allowed",
                      "remove event handlers and inline styles"))
    for match in _DECLARATION.finditer(body):
        found.append((line_at(match.start()), "HTML comments are not allowed in an account"
                      if body.startswith("<!--", match.start()) else
                      "'<!' and '<?' are not allowed in an account",
                      "to show '<' as text, write &lt;"))
    for match in _AUTOLINK.finditer(body):
        if unsafe_url(match.group(1)):
            found.append((line_at(match.start(1)), f"link '{match.group(1)[:60]}' uses a forbidden scheme",
                          "links must be http(s) or mailto"))
    found.extend(_raw_html_problems(body))
    found.extend(_markdown_link_problems(body, line_at))
    found.extend(heading_problems(body, line_at))
    found.extend(admonition_problems(body, line_at))
    yield from sorted(set(found))
