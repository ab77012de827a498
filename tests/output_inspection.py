"""Context-aware inspection of a built site for content that escaped its context.

Every output file that carries content text is parsed with the parser of its format, and the
payloads of tests/fixtures/hostile_site must come out as data of that format, never as structure:
- HTML (pages, and HTML fragments inside the search index and feeds): no event-handler attribute,
  no javascript:/data:/vbscript: URL, no <script> whose code contains a payload outside a string
  literal, JSON in <script> that parses and has '<' escaped (a raw '</script' or '<!--' inside a
  script changes how the browser tokenizes the rest of the page);
- JSON, GeoJSON, JSON-LD: parses;
- XML, Atom, RSS: well-formed; fields of type html pass the HTML rules;
- iCalendar: parses, and no content line was injected (a payload line 'X-INJECTED:1');
- CSV: parses; no cell starts with = + - @ TAB or CR unless it is a number (formula injection);
- BibTeX and RIS: parse, and no record was injected ('pwned');
- JavaScript files: payloads only inside string literals.
A file carrying a payload in a format this module does not know is itself a finding.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import html
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

# Fragments of the payloads in tests/fixtures/hostile_site; a file without any carries no content.
MARKERS = ("alert(1)", "7*7", "calc'", "X-INJECTED", "pwned")
_BAD_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.I)
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "cite", "background"}
_JSON_SCRIPT_TYPES = {"application/json", "application/ld+json", "importmap", "application/geo+json"}
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def carries_payload(text: str) -> bool:
    return any(marker in text for marker in MARKERS)


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.script: tuple[str, list[str]] | None = None  # type attribute, text
        self.scripts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event-handler attribute {name}={value!r}")
            if name in _URL_ATTRIBUTES and value and _BAD_SCHEME.match(re.sub(r"[\x00-\x20]", "", value)):
                self.problems.append(f"<{tag} {name}={value!r}> uses a script-capable scheme")
            if name == "srcdoc":
                self.problems.append(f"<{tag}> has srcdoc")
        if tag in ("iframe", "object", "embed", "frame", "frameset", "base"):  # (Material has its own search <form>)
            self.problems.append(f"<{tag}> element in the output")
        if tag == "meta" and (dict(attrs).get("http-equiv") or "").lower() == "refresh":
            # Redirect pages (former ids, merged events) refresh to a page of the site; content
            # must never choose where a page sends its reader.
            target = re.sub(r"^\s*\d*\s*;?\s*(url\s*=)?\s*", "", dict(attrs).get("content") or "", flags=re.I)
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|\\)", target.strip("'\" "), re.I):
                self.problems.append(f"<meta http-equiv=refresh> leaves the site: {target!r}")
        if tag == "script":
            self.script = ((dict(attrs).get("type") or "").lower().strip(), [])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None


def html_problems(text: str) -> list[str]:
    """Structure the payloads must never create in an HTML page or fragment."""
    parser = _Page()
    parser.feed(text)
    parser.close()
    problems = list(parser.problems)
    for kind, code in parser.scripts:
        problems.extend(script_problems(kind, code))
    return problems


def script_problems(kind: str, code: str) -> list[str]:
    problems = []
    lowered = code.lower()
    for breaker in ("<!--", "<script", "</script"):
        if breaker in lowered:
            problems.append(f"a <script> contains {breaker!r}: '<' must be escaped inside scripts")
    if carries_payload(code):
        # Content inside a script: as JSON string escapes, with every character that can end or
        # re-tokenize the script (or a string in older engines) escaped too.
        for char in ("<", ">", "&", "\u2028", "\u2029"):
            if char in code:
                problems.append(f"a <script> carrying content has a raw {char!r}")
    if kind in _JSON_SCRIPT_TYPES:
        try:
            json.loads(code)
        except ValueError as exc:
            problems.append(f"a <script type={kind}> is not valid JSON: {exc}")
    elif kind in _EXECUTABLE_TYPES:
        problems.extend(js_problems(code))
    return problems


def js_problems(code: str) -> list[str]:
    """A payload in JavaScript is harmless only inside a string literal (or a comment)."""
    outside = _code_outside_strings(code)
    return [f"JavaScript has {marker!r} outside a string literal" for marker in MARKERS if marker in outside]


def _code_outside_strings(code: str) -> str:
    """The code with string literals, template literals and comments blanked out (a small lexer:
    enough for generated data and minified bundles, which never put a payload in a regex)."""
    out: list[str] = []
    i, n = 0, len(code)
    while i < n:
        c = code[i]
        if c in "'\"`":
            j = i + 1
            while j < n and code[j] != c:
                j += 2 if code[j] == "\\" else 1
            if c == "`" and "${" in code[i:j]:
                out.append(code[i:j])  # an interpolation is code: keep it visible
            i = j + 1
            out.append(" ")
        elif code.startswith("//", i):
            j = code.find("\n", i)
            i = n if j < 0 else j
        elif code.startswith("/*", i):
            j = code.find("*/", i + 2)
            i = n if j < 0 else j + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def search_index_problems(text: str) -> list[str]:
    """Material's search index: every title and text is HTML that search results insert as HTML."""
    data = json.loads(text)
    problems = []
    for doc in data.get("docs", []):
        for key in ("title", "text"):
            value = doc.get(key, "")
            for problem in html_problems(value):
                problems.append(f"{doc.get('location')!r} {key}: {problem}")
            if re.search(r"<(?:img|svg|script|iframe)\b", value, re.I):
                problems.append(f"{doc.get('location')!r} {key}: raw markup from content: {value[:120]!r}")
    return problems


def xml_problems(text: str) -> list[str]:
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        return [f"not well-formed XML: {exc}"]
    problems = []
    for element in root.iter():
        is_html = element.get("type") in ("html", "text/html") or element.tag.endswith("}description") \
            or element.tag == "description"
        if is_html and element.text:
            problems.extend(f"<{element.tag}> (html): {p}" for p in html_problems(element.text))
        if element.get("type") == "xhtml":
            problems.extend(f"<{element.tag}> (xhtml): {p}" for p in
                            html_problems(ET.tostring(element, encoding="unicode")))
    return problems


def ics_problems(text: str) -> list[str]:
    import icalendar

    try:
        icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        return [f"iCalendar does not parse: {exc}"]
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    lines = [line for line in re.split(r"\r?\n", unfolded) if line]
    problems = [f"injected iCalendar line {line!r}" for line in lines if line.startswith("X-INJECTED")]
    if "BEGIN:VALARM" in lines:
        problems.append("injected BEGIN:VALARM line")
    return problems


def csv_problems(text: str) -> list[str]:
    problems = []
    for row_number, row in enumerate(csv.reader(io.StringIO(text)), 1):
        for cell in row:
            if cell.startswith(_FORMULA_START) and not _is_number(cell):
                problems.append(f"row {row_number}: cell {cell[:40]!r} starts like a spreadsheet formula")
    return problems


def _is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


def bibtex_problems(text: str) -> list[str]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    problems = [f"BibTeX does not parse: {block}" for block in library.failed_blocks]
    problems += [f"injected BibTeX entry {entry.key!r}" for entry in library.entries if "pwned" in entry.key]
    return problems


def ris_problems(text: str) -> list[str]:
    problems = []
    for line in text.splitlines():
        if line.strip() and not re.match(r"^[A-Z][A-Z0-9]  - ", line) and not line.startswith("ER  -"):
            problems.append(f"RIS line is not a tag line: {line[:60]!r}")
        if re.match(r"^TI  - pwned", line):
            problems.append("injected RIS record")
    return problems


def file_problems(name: str, data: bytes) -> list[str]:
    """Problems of one output file, by its format; [] when it carries no content at all."""
    if name.endswith(".gz"):
        return file_problems(name[:-3], gzip.decompress(data))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return ["not UTF-8"] if any(m.encode() in data for m in MARKERS) else []
    if not carries_payload(text):
        return []
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    if name.endswith("search/search_index.json"):
        return search_index_problems(text)
    if suffix in ("html", "htm"):
        return html_problems(text)
    if suffix in ("json", "geojson", "jsonld", "webmanifest", "map"):  # map: JavaScript source maps
        try:
            json.loads(text)
        except ValueError as exc:
            return [f"not valid JSON: {exc}"]
        return []
    if suffix in ("xml", "atom", "rss"):
        return xml_problems(text)
    if suffix == "ics":
        return ics_problems(text)
    if suffix == "csv":
        return csv_problems(text)
    if suffix == "bib":
        return bibtex_problems(text)
    if suffix == "ris":
        return ris_problems(text)
    if suffix in ("js", "mjs"):
        return js_problems(text)
    if suffix in ("txt", "md"):
        return []  # plain text is the payloads' own context
    return [f"carries content in a format the inspection does not know ({suffix or 'no extension'})"]


def inspect_site(site: Path) -> Iterator[str]:
    """'path: problem' for every problem in every file of the site, in path order."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        for problem in file_problems(name, path.read_bytes()):
            yield f"{name}: {problem}"


def visible_text(page: str) -> str:
    """The text of an HTML page's main content as a reader sees it (entities decoded, spaces collapsed)."""
    match = re.search(r'<article class="md-content__inner[^"]*">(.*)</article>', page, re.S)
    fragment = match.group(1) if match else page
    text = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(html.unescape(text).split())


# Below pagefind/, each part of the index (output/search.py) in its own folder.
PAGEFIND_UNSTABLE = re.compile(r"^pagefind/[^/]+/(filter/|pagefind-entry\.json$|[^/]*\.pf_meta$)")


def reproducible(path: Path) -> bool:
    """Not Pagefind's filter and metadata indexes, nor the entry file that names them: Pagefind
    1.5.2 writes them in an order that varies from run to run (Pagefind/pagefind#638). Its page
    fragments, word index and UI, compared, are stable."""
    return not PAGEFIND_UNSTABLE.match(path.as_posix())


def snapshot(folder: Path) -> dict[str, str]:
    """Every reproducible file of a built site: path -> sha256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and reproducible(p.relative_to(folder))}
