"""Malicious content files (tests/fixtures/hostile/): each is refused with a `path:line: field:
message` error, never a traceback, a hang or a crash; plus the file-system tricks (symbolic
links, FIFOs, oversized and deeply nested files) that a repository can carry."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeweave.catalog.catalog import load_catalog
from timeweave.cli.main import main
from timeweave.content.loader import MAX_FILE_BYTES
from timeweave.content.policy import inline_links, long_prefix_lines

from conftest import FIXTURES

CORPUS = FIXTURES / "hostile"
TODAY = date(2026, 1, 1)
FORMAT = re.compile(r"^content/\S+:\d+: \S.*: .+$")

# file -> (line, field, part of the message)
EXPECTED: dict[str, tuple[int, str, str]] = {
    "event-bidi-title.md": (2, "title", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "event-zero-width-title.md": (2, "title", "U+200B ZERO WIDTH SPACE"),
    "event-tag-characters-title.md": (2, "title", "U+E0041 TAG LATIN CAPITAL LETTER A"),
    "event-line-separator-title.md": (2, "title", "must be one line"),
    "event-yaml-python-object.md": (2, "title", "unsupported YAML tag 'tag:yaml.org,2002:python/object/apply"),
    "event-yaml-python-name.md": (7, "tags", "unsupported YAML tag 'tag:yaml.org,2002:python/name"),
    "event-yaml-billion-laughs.md": (7, "b[0]", "YAML aliases (*name) are not allowed"),
    "event-yaml-merge-key.md": (8, "annotations[0]", "merge keys"),
    "event-yaml-duplicate-key.md": (7, "title", "duplicate key 'title'"),
    "event-yaml-set-tag.md": (7, "tags", "unsupported YAML tag 'tag:yaml.org,2002:set'"),
    "event-yaml-binary.md": (2, "title", "unsupported YAML tag 'tag:yaml.org,2002:binary'"),
    "event-yaml-complex-key.md": (7, "", "keys must be plain text"),
    "event-yaml-huge-int.md": (9, "casualties[0].killed", "cannot read this value"),
    "event-yaml-count-overflow.md": (9, "casualties[0].killed.min", "less than or equal to 10000000"),
    "event-yaml-tab-indent.md": (8, "", "YAML syntax error"),
    "event-nan-coordinates.md": (7, "coordinates", "finite"),
    "event-inf-coordinates.md": (7, "coordinates", "finite"),
    "event-no-front-matter.md": (1, "", "missing front matter"),
    "event-unclosed-front-matter.md": (1, "", "front matter is not closed"),
    "event-front-matter-list.md": (2, "", "front matter must be a mapping"),
    "event-not-utf8.md": (2, "", "not UTF-8 (byte 0xe9"),
    "event-nul-byte.md": (2, "", "NUL character"),
    # Accepted encodings: the error is the deliberate one, on the line an editor shows.
    "event-bom-crlf.md": (4, "type", "'shellling' is not in the vocabulary"),
    "event-lone-cr.md": (4, "type", "'shellling' is not in the vocabulary"),
    "event-escaping-ids.md": (4, "type", "'../../etc/passwd' is not a valid id"),
    "event-body-script.md": (8, "body", "raw <script> is not allowed"),
    "event-body-onerror.md": (8, "body", "attribute 'onmouseover' is not allowed"),
    "event-body-slash-handler.md": (8, "body", "attribute 'onclick' is not allowed"),
    "event-body-js-link.md": (8, "body", "forbidden scheme"),
    "event-body-js-reference.md": (10, "body", "forbidden scheme"),
    "event-body-entity-js.md": (8, "body", "link 'javascript:alert(1)' uses a forbidden scheme"),
    "event-body-tab-js.md": (8, "body", "forbidden scheme"),
    "event-body-autolink-js.md": (8, "body", "forbidden scheme"),
    "event-body-data-link.md": (8, "body", "forbidden scheme"),
    "event-body-vbscript.md": (8, "body", "forbidden scheme"),
    "event-body-unclosed-comment.md": (8, "body", "HTML comments are not allowed"),
    "event-body-cdata.md": (8, "body", "'<!' and '<?' are not allowed"),
    "event-body-iframe.md": (8, "body", "raw <iframe> is not allowed"),
    "event-body-style.md": (8, "body", "attribute 'style' is not allowed"),
    "event-body-config-id.md": (8, "body", "attribute 'id' is not allowed"),
    "event-body-class.md": (8, "body", "attribute 'class' is not allowed"),
    "event-body-heading-id.md": (8, "body", "a heading cannot start with '_'"),
    "event-body-misleading-link.md": (8, "body", "the link text shows 'bbc.co.uk/news' but the link goes elsewhere"),
    "event-body-image.md": (8, "body", "images are not allowed"),
    "event-body-svg.md": (8, "body", "raw <svg> is not allowed"),
    "event-body-unbalanced.md": (8, "body", "<details> is never closed"),
    "event-body-unfinished-tag.md": (8, "body", "a tag is not finished with '>'"),
    "event-body-file-link.md": (8, "body", "points to a file"),
    "event-body-bdo.md": (8, "body", "raw <bdo> is not allowed"),
    "event-body-meta-refresh.md": (8, "body", "raw <meta> is not allowed"),
    "event-body-base.md": (8, "body", "raw <base> is not allowed"),
    "event-body-form.md": (8, "body", "raw <form> is not allowed"),
    "event-body-emphasis-run.md": (8, "body", "a run of more than 32 '*'"),
    "event-body-brackets.md": (8, "body", "more than 500 '['"),
    "event-body-angles.md": (8, "body", "more than 500 '<'"),
    "source-url-credentials.md": (4, "url", "user name or password"),
    "source-url-backslash.md": (4, "url", "URL contains '\\\\'"),
    "source-url-javascript.md": (4, "url", "not an http(s) URL with a host"),
    "source-url-data.md": (4, "url", "not an http(s) URL with a host"),
    "source-url-percent-host.md": (4, "url", "not a valid host name"),
    "source-url-no-host.md": (4, "url", "not an http(s) URL with a host"),
    "source-url-bad-idn.md": (4, "url", "invisible"),
}


def _content(tmp_path: Path) -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "small_site" / "content", content)
    return content


def _place(content: Path, name: str, data: bytes) -> str:
    folder = "events/2020" if name.startswith("event-") else "sources"
    (content / folder / name).write_bytes(data)
    return f"content/{folder}/{name}"


def _errors(content: Path) -> list[str]:
    catalog, log = load_catalog(content, content.parent, TODAY)
    assert catalog is None
    formatted = [e.format() for e in log.errors]
    assert formatted and all(FORMAT.match(line) for line in formatted), formatted
    return formatted


def test_the_corpus_is_what_the_expectations_cover() -> None:
    assert sorted(p.name for p in CORPUS.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_malicious_file_gets_a_pointed_error(tmp_path: Path, name: str) -> None:
    content = _content(tmp_path)
    shown = _place(content, name, (CORPUS / name).read_bytes())
    line, field, message = EXPECTED[name]
    errors = _errors(content)
    wanted = f"{shown}:{line}: {field or '(file)'}: "
    assert any(e.startswith(wanted) and message in e for e in errors), errors
    assert all(e.startswith(shown) for e in errors), errors  # the rest of the site is fine


def test_escaping_ids_are_all_reported(tmp_path: Path) -> None:
    content = _content(tmp_path)
    _place(content, "event-escaping-ids.md", (CORPUS / "event-escaping-ids.md").read_bytes())
    errors = "\n".join(_errors(content))
    for field in ("type", "place", "sources[0].source", "tags[0]", "tags[1]", "merged_into", "former_ids[0]"):
        assert f": {field}: " in errors


def test_the_validate_command_reports_without_a_traceback(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    content = _content(tmp_path)
    for name in EXPECTED:
        _place(content, name, (CORPUS / name).read_bytes())
    assert main(["validate", "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(EXPECTED) <= err.count("\n")


def test_billion_laughs_cannot_expand() -> None:
    """Aliases share nodes in the composed YAML (nothing expands there) and are refused when the
    values are built: the 9^8 = 43 million strings of the fixture are never made."""
    import yaml

    text = (CORPUS / "event-yaml-billion-laughs.md").read_text().split("---")[1]
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    distinct = set()

    def walk(n: yaml.Node) -> None:
        if id(n) in distinct:
            return
        distinct.add(id(n))
        for child in n.value if isinstance(n.value, list) else []:
            for part in child if isinstance(child, tuple) else (child,):
                walk(part)

    walk(node)
    assert len(distinct) < 200


def test_the_limits_stop_what_would_crash_markdown() -> None:
    """Why the body limits exist: well past them, Python-Markdown with the site's extensions fails."""
    extensions = ["toc", "admonition", "tables", "footnotes"]  # as in mkdocs.yml
    with pytest.raises(RecursionError):
        markdown.markdown("*" * 3000 + "x" + "*" * 3000, extensions=extensions)
    with pytest.raises(RecursionError):
        markdown.markdown("".join(f"{'    ' * i}- x\n" for i in range(300)), extensions=extensions)


def test_a_deeply_nested_list_body_is_refused(tmp_path: Path) -> None:
    content = _content(tmp_path)
    body = "".join(f"{'    ' * i}- x\n" for i in range(300))
    data = (CORPUS / "event-body-script.md").read_text().replace("Text <script>alert(1)</script> more.", body)
    shown = _place(content, "event-body-deep-list.md", data.encode())
    errors = _errors(content)
    assert any(e.startswith(f"{shown}:") and "nested deeper than 64 columns" in e for e in errors)


def test_deep_yaml_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """libyaml's composer recursed in C until the interpreter died (SIGSEGV); run in a child
    process so that, should it ever come back, this test fails instead of the whole session."""
    content = _content(tmp_path)
    depth = 60_000
    data = f"---\ntitle: Deep\ndate: 2020-02-10\ntags: {'[' * depth}{']' * depth}\n---\nBody.\n"
    shown = _place(content, "event-deep-yaml.md", data.encode())
    (content / "sources/source-deep-block.md").write_text("---\n" + "- " * 100_000 + "x\n---\n")
    run = subprocess.run([sys.executable, "-m", "timeweave", "validate", "--content", str(content)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 1, run.stderr[-2000:]
    assert f"{shown}:4: (file): nested deeper than 20 levels" in run.stderr
    assert "content/sources/source-deep-block.md:2: (file): nested deeper than 20 levels" in run.stderr


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    content = _content(tmp_path)
    data = b"---\ntitle: Big\n---\n" + b"x" * MAX_FILE_BYTES
    shown = _place(content, "event-big.md", data)
    assert f"{shown}:1: (file): file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}" in _errors(content)[0]


def test_symbolic_links_cannot_leave_the_content_folder(tmp_path: Path) -> None:
    content = _content(tmp_path)
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: secret\n---\nssh key\n")
    (content / "events/2020/event-link-out.md").symlink_to(outside)
    (content / "events/2020/event-link-dev-zero.md").symlink_to("/dev/zero")
    (content / "events/2021").symlink_to(tmp_path, target_is_directory=True)
    (content / "actors").rename(tmp_path / "actors")
    (content / "actors").symlink_to(tmp_path / "actors", target_is_directory=True)
    (content / "vocabulary.yml").rename(tmp_path / "vocabulary.yml")
    (content / "vocabulary.yml").symlink_to(tmp_path / "vocabulary.yml")
    # A link that stays inside the content folder is allowed.
    (content / "events/2020/event-link-in.md").symlink_to(content / "events/2020/phone-call.md")
    catalog, log = load_catalog(content, content.parent, TODAY)
    errors = "\n".join(e.format() for e in log.errors)
    assert "content/events/2020/event-link-out.md:1: (file): symbolic link leaves the content folder" in errors
    assert "content/events/2020/event-link-dev-zero.md:1: (file): symbolic link leaves the content folder" in errors
    assert "content/events/2021:1: (file): symbolic links to folders are not followed" in errors
    assert "content/actors:1: (file): symbolic links to folders are not followed" in errors
    assert "content/vocabulary.yml:1: (file): symbolic link leaves the content folder" in errors
    assert "content/events/2020/event-link-in.md:1:" not in errors
    assert "ssh key" not in errors


def test_a_fifo_does_not_hang_the_loader(tmp_path: Path) -> None:
    content = _content(tmp_path)
    os.mkfifo(content / "events/2020/event-fifo.md")
    errors = _errors(content)
    assert "content/events/2020/event-fifo.md:1: (file): not a regular file" in errors[0]


def test_reserved_ids(tmp_path: Path) -> None:
    content = _content(tmp_path)
    (content / "actors/index.md").write_text((content / "actors/alpha-army.md").read_text())
    errors = _errors(content)
    assert any(e.startswith("content/actors/index.md:1: id: 'index' is reserved") for e in errors)


def test_the_format_character_list_matches_unicodedata() -> None:
    """textchecks._FORMAT lists category Cf by hand (computing it costs 0.7 s at every start)."""
    import unicodedata

    from timeweave.content.textchecks import _FORMAT

    listed = {c for c in range(0x110000) if _FORMAT.match(chr(c))}
    actual = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    assert listed == actual


# The two patterns as they were before they were made to start with a literal character.
_OLD_INLINE = re.compile(r"(!?)\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\(\s*(<[^>\n]*>|[^)\s]+)")
_OLD_LONG_PREFIX = re.compile(r"^[ \t>*+\-\d.)]{16}", re.M)
_BODY_PIECES = ["!", "[", "]", "(", ")", "<", ">", " ", "\n", "a", "x.md", "http://e", "\t", "*", "-", "1.",
                "    ", "        ", "\u0663", "](", "!["]


@settings(max_examples=3000, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(_BODY_PIECES), max_size=30))
def test_link_and_prefix_searches_find_what_the_slower_patterns_found(pieces: list[str]) -> None:
    body = "".join(pieces)
    assert list(inline_links(body)) == [(m.start(), bool(m.group(1)), m.group(2), m.group(3))
                                        for m in _OLD_INLINE.finditer(body)]
    assert list(long_prefix_lines(body)) == [m.start() for m in _OLD_LONG_PREFIX.finditer(body)]
