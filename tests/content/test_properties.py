"""Property-based tests: no input makes the loader, the validator, the date parser or the body
policy raise; every failure is a `path:line: field: message` error. And what the validator lets
through renders: pages, and the body's Markdown with the site's extensions.

Examples are derandomized, so the suite is the same on every run and in CI; raise max_examples
locally (HYPOTHESIS_EXAMPLES=5000) to search harder.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import string
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeweave.catalog.catalog import load_catalog
from timeweave.content.dates import DateError, parse_date, parse_time
from timeweave.content.external import host_label, host_problem, same_site
from timeweave.content.policy import body_problems
from timeweave.content.textchecks import find_invisible
from timeweave.output.sanitize import sanitize_html
from timeweave.site.pages import SiteOptions, generate_pages

from conftest import FIXTURES

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TODAY = date(2026, 1, 1)
ERROR_LINE = re.compile(r"^content/\S+:[1-9]\d*: \S.*: \S")
EXTENSIONS = ["toc", "admonition", "tables", "footnotes"]  # as in mkdocs.yml
TARGET = "events/2020/fuzzed.md"


@pytest.fixture(scope="module")
def content() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-")) / "content"
    shutil.copytree(FIXTURES / "small_site" / "content", folder)
    yield folder
    shutil.rmtree(folder.parent)


def _check(content: Path, data: bytes, relative: str = TARGET) -> None:
    """Load the content with one fuzzed file in it: no exception, well-formed errors, and pages
    render whenever the content is valid."""
    path = content / relative
    path.write_bytes(data)
    try:
        catalog, log = load_catalog(content, content.parent, TODAY)
    finally:
        path.unlink()
    for error in log.items:
        assert ERROR_LINE.match(error.format()), error
        assert "\n" not in error.path
    if catalog is not None:
        pages = generate_pages(catalog, SiteOptions())
        assert any(page.src_uri == "events/fuzzed.md" for page in pages) or relative != TARGET
        for record in (*catalog.events.values(), *catalog.actors.values(), *catalog.places.values(),
                       *catalog.sources.values()):
            sanitize_html(markdown.markdown(record.body, extensions=EXTENSIONS))


@SETTINGS
@given(st.binary(max_size=2048))
def test_random_bytes_as_a_content_file(content: Path, data: bytes) -> None:
    _check(content, data)


@SETTINGS
@given(st.text(max_size=2048))
def test_random_text_as_a_content_file(content: Path, text: str) -> None:
    _check(content, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.text(max_size=1024), st.text(max_size=1024))
def test_random_front_matter_and_body(content: Path, front: str, body: str) -> None:
    _check(content, f"---\n{front}\n---\n{body}".encode("utf-8", "surrogatepass"))


_YAMLISH = st.text(alphabet="abc:-[]{}!&*?|>#'\",. \n\t%@`0123456789~<", max_size=400)


@SETTINGS
@given(_YAMLISH)
def test_yaml_syntax_soup(content: Path, front: str) -> None:
    _check(content, f"---\n{front}\n---\nBody.\n".encode())
    _check(content, front.encode(), "vocabulary.yml")


_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40)
            | st.sampled_from(["2020-02-10", "2020-02~", "../2020-02", "14:30", "shelling", "beta-town",
                               "fixture-report", "alpha-army", "https://example.org/x", ".nan", "no"]))
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                       | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=20)

VALID_EVENT: dict[str, Any] = {
    "title": "Fuzzed event", "date": "2020-02-10", "type": "shelling", "status": "reported",
    "place": "beta-town", "actors": [{"actor": "alpha-army", "role": "initiator"}],
    "casualties": [{"who": "Soldiers", "killed": 1, "source": "fixture-report"}],
    "sources": [{"source": "fixture-report", "quote": "q", "locator": "p. 1"}],
    "tags": ["fuzz"], "annotations": [{"kind": "context", "text": "t"}],
    "related": [{"event": "phone-call", "relation": "follows"}],
}
_FIELDS = sorted(VALID_EVENT) + ["time", "coordinates", "location_precision", "withdrawn", "merged_into",
                                 "former_ids", "id", "body", "path", "unknown"]


@SETTINGS
@given(st.sampled_from(_FIELDS), _values, st.sampled_from(["set", "delete"]))
@example("actors", [{"\n": None}], "set")  # found by this test: a key "\n" made a two-line error
def test_an_event_with_one_field_replaced(content: Path, field: str, value: Any, action: str) -> None:
    """Mostly valid events reach every validator and, when valid, the page templates."""
    event = json.loads(json.dumps(VALID_EVENT))
    if action == "delete":
        event.pop(field, None)
    else:
        event[field] = value
    front = yaml.safe_dump(event, allow_unicode=True, sort_keys=False)
    _check(content, f"---\n{front}---\nAn account.\n".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(_values)
def test_any_yaml_document_as_front_matter(content: Path, value: Any) -> None:
    front = yaml.safe_dump(value, allow_unicode=True)
    _check(content, f"---\n{front}---\nBody.\n".encode("utf-8", "surrogatepass"))


_MARKUP = st.text(alphabet=string.ascii_letters[:6] + " \n\t*_[]()<>!#`~>-=|:/\\&;\"'.%1", max_size=600)


@SETTINGS
@given(_MARKUP)
def test_a_body_the_policy_accepts_renders(body: str) -> None:
    problems = list(body_problems(body))
    assert all(isinstance(line, int) and line >= 0 and message for line, message, _ in problems)
    if not problems:
        sanitize_html(markdown.markdown(body, extensions=EXTENSIONS))


@SETTINGS
@given(st.text(max_size=400))
@example("<![1")  # found by this test: html.parser raised AssertionError on it
@example("[example.org](http://[/)")  # urlsplit raised ValueError on the malformed IPv6 host
def test_the_body_policy_never_raises(body: str) -> None:
    list(body_problems(body))


_edtfish = st.text(alphabet="0123456789-/.~?%X ", max_size=24)


@SETTINGS
@given(st.one_of(st.text(max_size=30), _edtfish,
                 st.from_regex(r"\A(\.\.|\d{4}(-\d{2}(-\d{2})?)?[~?%]?)?(/(\.\.|\d{4}(-\d{2}(-\d{2})?)?[~?%]?)?)?\Z")))
def test_the_date_parser_raises_only_date_errors(text: str) -> None:
    try:
        parsed = parse_date(text)
    except DateError as exc:
        assert exc.message
        return
    assert parsed.earliest is None or parsed.latest is None or parsed.earliest <= parsed.latest
    assert parsed.label()
    assert re.match(r"^\d{4}(-\d{2})?$", parsed.month_key)


@SETTINGS
@given(st.one_of(st.text(max_size=8), st.integers(), st.none(), st.from_regex(r"\A\d{1,3}:\d{1,3}\Z")))
def test_the_time_parser_raises_only_date_errors(value: object) -> None:
    try:
        assert re.match(r"^\d\d:\d\d$", parse_time(value))
    except DateError as exc:
        assert exc.message


@SETTINGS
@given(st.text(max_size=60), st.text(max_size=30))
def test_text_and_url_checks_never_raise(text: str, shown: str) -> None:
    find_invisible(text)
    for url in (text, f"https://{text}", f"https://{text}/path", f"http://[{text}]/"):
        host_problem(url)
        host_label(url)
        same_site(url, shown)
