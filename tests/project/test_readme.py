"""The README's content reference stays true: its examples are valid records of the current models."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from timeweave.content.models import Term, Vocabulary, build_record
from timeweave.content.records import RawRecord
from timeweave.content.yamlread import parse_yaml
from timeweave.errors import ErrorLog

README = Path(__file__).resolve().parents[2] / "README.md"


def reference_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Content reference"):]
    section = section[: section.find("\n## ", 1)] if "\n## " in section[1:] else section
    return re.findall(r"```yaml\n(.*?)```", section, re.S)


KINDS = ["event", "actor", "place", "source"]


def test_there_is_one_example_per_record_type_and_the_vocabulary() -> None:
    assert len(reference_examples()) == len(KINDS) + 1


@pytest.mark.parametrize("kind", KINDS)
def test_record_example_is_valid(kind: str) -> None:
    example = reference_examples()[KINDS.index(kind)]
    front, body = example.removeprefix("---\n").split("---\n", 1)
    errors = ErrorLog()
    parsed = parse_yaml(front, "README.md", errors)
    assert parsed is not None, [e.format() for e in errors.items]
    data, lines = parsed
    path = "content/events/2020/example.md" if kind == "event" else f"content/{kind}s/example.md"
    record, problems = build_record(RawRecord(kind, "example", path, data, lines, body.strip()))
    assert problems == [] and record is not None


def test_vocabulary_example_is_a_valid_term() -> None:
    errors = ErrorLog()
    parsed = parse_yaml(reference_examples()[-1], "README.md", errors)
    assert parsed is not None
    ((group, terms),) = parsed[0].items()
    assert group in Vocabulary.model_fields
    for term in terms.values():
        assert Term.model_validate(term).label
