"""The fast YAML reader (fastyaml.read_front_matter, yaml-rs) against the exact one (parse_yaml,
PyYAML): whenever the fast reader accepts a text, the exact reader accepts it too and gives the
same data, types included; and errors found in records the fast reader read name the same lines.

The texts: every front matter in the real content and the test fixtures, a generated timeline in
flow and block style, texts PyYAML writes from random data in every style, texts assembled from
YAML's own punctuation, and random edits of real front matter. Examples are derandomized;
HYPOTHESIS_EXAMPLES=20000 searches harder, and HYPOTHESIS_RANDOM=1 somewhere new each run.
"""

from __future__ import annotations

import math
import os
import random
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from timeweave.catalog.catalog import load_catalog
from timeweave.content import fastyaml
from timeweave.content.fastyaml import read_front_matter
from timeweave.content.loader import load_content, split_front_matter
from timeweave.content.yamlread import parse_yaml
from timeweave.errors import ErrorLog

from conftest import FIXTURES, ROOT

EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "300"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize="HYPOTHESIS_RANDOM" not in os.environ,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def typed(value: Any) -> Any:
    """value with its types spelled out: 1, 1.0 and True are equal in Python, not in YAML."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    return (type(value).__name__, value)


def agrees(text: str) -> bool:
    """Assert the two readers agree on text; return whether the fast one accepted it."""
    fast = read_front_matter(text)
    if fast is None:
        return False
    errors = ErrorLog()
    exact = parse_yaml(text, "x.md", errors, offset=1)
    assert exact is not None, f"fast reader accepted what PyYAML refuses: {text!r}: {errors.items}"
    assert typed(exact[0]) == typed(fast), f"readers differ on {text!r}"
    return True


def front_matters(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        parts = split_front_matter(text.replace("\r\n", "\n"), "x", ErrorLog())
        if parts is not None:
            texts.append(parts[0])
    return texts


REAL = front_matters(ROOT / "content")
FIXTURE_TEXTS = front_matters(FIXTURES)


@pytest.mark.parametrize("name, texts", [("content", REAL), ("fixtures", FIXTURE_TEXTS)])
def test_real_and_fixture_front_matter(name: str, texts: list[str]) -> None:
    accepted = sum(agrees(text) for text in texts)
    assert texts
    if name == "content":  # the fast reader is what reads real content, not a detour
        assert accepted >= 0.9 * len(texts), f"only {accepted} of {len(texts)} read fast"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "bench" / "corpus.py"), "300", str(folder)],
                   check=True, capture_output=True)
    return front_matters(folder)


def test_generated_timeline_in_flow_and_block_style(corpus: list[str]) -> None:
    assert len(corpus) > 300
    block = [yaml.safe_dump(yaml.safe_load(text), sort_keys=False, allow_unicode=True,
                            default_flow_style=False, width=random.Random(i).choice([40, 80, 1000]))
             for i, text in enumerate(corpus)]
    assert all(agrees(text) for text in corpus), "every generated file is read fast"
    assert all(agrees(text) for text in block)


# Words on which YAML 1.1, YAML 1.2 and our own resolver disagree, or nearly.
TRICKY = ["007", "-01", "00", "0", "+7", "1_000", "1_0.5", "1e5", "1E+5", "1.5e3", ".", "-.", "+.", ".5",
          "1.", ".inf", "-.Inf", ".NaN", "inf", "nan", "Infinity", "0x1F", "0o17", "0b101", "_1", "1__0",
          "99999999999999999999", "-9223372036854775809", "9223372036854775807", "1" * 40, "yes", "no",
          "on", "off", "y", "n", "True", "TRUE", "tRue", "~", "null", "Null", "NULL", "nULL", "", "=", "<<",
          "2020-02-10", "2020-02-10T10:00:00Z", "12:30", "1:20:30", "0.", "+0", "-0", "+0.0", "1.0_0", ".e5",
          "1e", "3.", "-", "--", "- -", "-1-", "1-2", "1e-5", "0x_1", "+.inf", "1,000", "700,000", "a: b",
          "#x", "x #y", "@x", "`x", "%x", "|", ">", "?", "? x", ": x", "x:", "'", '"', "''", '""', "[", "]",
          "{", "}", ",", "&a", "*a", "!x", "!!str", "\\", "\\n", "\t", "é", "\u00a0", "\u2028", "\u0085",
          "\ufeff", "\u200b", "\x7f", "...", "---", "x\ny", "x\n\ny", " x", "x ", "  ", "1/2", "3%",
          "12 soldiers", "1:30", "2020-02?", "ON", "Yes", "NO", "Off", ",x", "]x", "}x", "|x", ">x", "-x", "?x",
          "-0.0", "0.10", "123456789012345.123456789012345", "1.5 km"]
WORD = st.one_of(st.sampled_from(TRICKY), st.text(
    alphabet=st.sampled_from(list("abcxyzABC019 _-+.:,#'\"[]{}?!&*|>%@`\\\n\té")), max_size=12))
SCALAR = st.one_of(WORD, st.integers(), st.floats(allow_nan=False), st.booleans(), st.none())
DATA = st.recursive(SCALAR, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(WORD, inner, max_size=4)), max_leaves=12)
STYLE = st.fixed_dictionaries({
    "default_flow_style": st.sampled_from([False, True, None]),
    "default_style": st.sampled_from([None, None, None, '"', "'", "|", ">"]),
    "width": st.sampled_from([20, 80, 1000]),
    "indent": st.sampled_from([2, 3, 4]),
    "allow_unicode": st.booleans(),
    "sort_keys": st.booleans(),
})


@SETTINGS
@given(data=st.dictionaries(WORD, DATA, max_size=6), style=STYLE)
def test_what_pyyaml_writes(data: dict[Any, Any], style: dict[str, Any]) -> None:
    try:
        text = yaml.safe_dump(data, **style)
    except yaml.YAMLError:
        return
    agrees(text)


# Texts assembled from YAML's punctuation and tricky words: mostly wrong, sometimes subtly right.
PIECE = st.one_of(st.sampled_from(TRICKY), st.sampled_from(
    ["\n", "\n", "\n  ", "\n    ", ": ", ":", "- ", "-", "[", "]", "{", "}", ", ", ",", "# ", "'", '"',
     "key", "title", "a", "b", " ", "  ", "? ", "| ", "|-\n  ", ">+\n  ", "\n- ", "\n  - "]))


@SETTINGS
@given(pieces=st.lists(PIECE, max_size=40))
@example(pieces=["a", ": ", "1", "\n", "a", ": ", "2"])  # a duplicate key
@example(pieces=["a", ": ", "-"])  # a lone dash as a value
@example(pieces=["a", ": ", "[", "700,000", "]"])
@example(pieces=["a", ":", "\n", "- ", "1", "\n", "b", ": ", "007"])
@example(pieces=["a", ": ", ">+\n  ", "x"])  # a block scalar ending the text: yaml-rs adds a line break
def test_texts_of_yaml_punctuation(pieces: list[str]) -> None:
    agrees("".join(pieces))


EDIT_SOURCES = REAL + FIXTURE_TEXTS


@SETTINGS
@given(index=st.integers(0, len(EDIT_SOURCES) - 1),
       edits=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 3), PIECE), min_size=1, max_size=4))
def test_edits_of_real_front_matter(index: int, edits: list[tuple[float, int, str]]) -> None:
    """What a contributor's typo makes of a real file: a character deleted, doubled, replaced, or
    a piece of YAML inserted."""
    text = EDIT_SOURCES[index]
    for where, how, piece in edits:
        at = int(where * len(text))
        if how == 0:
            text = text[:at] + text[at + 1:]
        elif how == 1:
            text = text[:at] + text[at:at + 1] * 2 + text[at + 1:]
        elif how == 2:
            text = text[:at] + piece + text[at + 1:]
        else:
            text = text[:at] + piece + text[at:]
    agrees(text)


def test_the_words_it_trusts_are_numbers_to_yaml_rs() -> None:
    """The fast reader trusts simple integers and decimals to be read alike; a yaml-rs that read
    them as text, or read more words as numbers, must fail here rather than in the loader."""
    for word, expected in [("12", 12), ("-3", -3), ("0", 0), ("1.25", 1.25), ("-0.5", -0.5),
                           ("123456789012345", 123456789012345)]:
        fast = read_front_matter(f"a: {word}\nb: [{word}]")
        assert fast == {"a": expected, "b": [expected]} and type(fast["a"]) is type(expected)
    for word in ["007", "0b101", "1e5", "1_000", ".5", "1" * 20, "+.inf", ".nan", "0x1F"]:
        assert read_front_matter(f"a: {word}") is None, word


def test_lines_are_found_when_first_asked(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "events" / "2020").mkdir(parents=True)
    (content / "events" / "2020" / "x.md").write_text(
        "---\ntitle: X\ndate: \"2020-02\"\nactors:\n  - actor: a\n    role: b\n---\nBody\n", encoding="utf-8")
    record = load_content(content, tmp_path).records[0]
    assert record.known_lines is None, "read by the fast reader, without lines"
    assert record.line_of(("actors", 0, "role")) == 6
    assert record.line_of(("date",)) == 3
    assert record.known_lines is not None


def _broken_content(tmp_path: Path) -> Path:
    """The invalid fixture's base with every broken file in it at once (48 errors)."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "invalid" / "base" / "content", content)
    shutil.copytree(FIXTURES / "invalid" / "broken" / "content", content, dirs_exist_ok=True)
    return content


@pytest.mark.parametrize("fixture", ["invalid", "pr_broken", "small_site"])
def test_errors_name_the_same_lines_with_either_reader(fixture: str, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    content = _broken_content(tmp_path) if fixture == "invalid" else FIXTURES / fixture / "content"

    def errors(fast: bool) -> list[Any]:
        monkeypatch.setattr(fastyaml, "FAST_READER", fast)
        loaded = load_content(content, content.parent)
        read_fast = sum(record.known_lines is None for record in loaded.records)
        assert (read_fast > 0) == fast
        _, log = load_catalog(content, content.parent, date(2026, 1, 1))
        return log.items

    exact = errors(False)
    assert errors(True) == exact
    if fixture != "small_site":
        assert len({e.line for e in exact}) > 5, "errors on many different lines"


def test_deep_block_nesting_never_reaches_yaml_rs(tmp_path: Path) -> None:
    """yaml-rs recurses without a limit on nested block sequences (30,000 '- ' crash the
    interpreter); such a file must get the loader's nesting error, from PyYAML's event stream."""
    content = tmp_path / "content"
    (content / "events" / "2020").mkdir(parents=True)
    (content / "events" / "2020" / "deep.md").write_text("---\ntags:\n  " + "- " * 60_000 + "x\n---\nBody\n",
                                                         encoding="utf-8")
    script = ("import sys; from pathlib import Path; from timeweave.content.loader import load_content; "
              "r = load_content(Path(sys.argv[1]), Path(sys.argv[2])); "
              "print([e.message for e in r.errors.items if e.path.endswith('deep.md')])")
    result = subprocess.run([sys.executable, "-c", script, str(content), str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-500:]
    assert "nested deeper than 20 levels" in result.stdout
