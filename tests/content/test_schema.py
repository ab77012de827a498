"""The JSON Schema of each content type: committed = generated, accepts real content, rejects what the
validator rejects, and accepts the shorthand forms the models accept."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import BaseModel, ValidationError

from timeweave.cli.main import main
from timeweave.content.loader import load_content
from timeweave.content.models import MODELS, Vocabulary
from timeweave.content.schema import CONTENT_TYPES, field_description, schema_files, unknown_validators

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parents[1] / "fixtures"
CONTENT_DIRS = {
    "real": ROOT / "content",
    "small_site": FIXTURES / "small_site" / "content",
    "data_site": FIXTURES / "data_site" / "content",
}


@functools.cache
def validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads(schema_files()[f"{kind}.schema.json"])
    # Draft 7: the dialect the YAML language server fully supports.
    assert jsonschema.validators.validator_for(schema) is jsonschema.Draft7Validator
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_committed_schemas_are_the_generated_ones() -> None:
    generated = schema_files()
    committed = {p.name: p.read_bytes() for p in (ROOT / "schema").glob("*.schema.json")}
    assert committed == generated, "run `python -m timeweave schema` and commit schema/"
    assert main(["schema", "--check", "--out", str(ROOT / "schema")]) == 0


def test_every_validator_of_the_models_is_described() -> None:
    # A new or renamed validator in fields.py or models.py must be taught to schema.py, or editors
    # would accept what the validator refuses.
    assert unknown_validators() == set()


def test_schema_check_fails_when_stale(tmp_path: Path) -> None:
    assert main(["schema", "--out", str(tmp_path)]) == 0
    (tmp_path / "event.schema.json").write_text("{}")
    assert main(["schema", "--check", "--out", str(tmp_path)]) == 1


@pytest.mark.parametrize("name", CONTENT_DIRS)
def test_schema_accepts_real_content(name: str) -> None:
    loaded = load_content(CONTENT_DIRS[name])
    assert not loaded.errors.errors and loaded.records
    for raw in loaded.records:
        errors = list(validator(raw.kind).iter_errors(raw.data))
        assert not errors, (raw.path, [e.message for e in errors])
    assert loaded.vocabulary is not None
    assert not list(validator("vocabulary").iter_errors(loaded.vocabulary.data))


def test_every_field_is_described() -> None:
    for model, _, _ in CONTENT_TYPES.values():
        todo: list[type[BaseModel]] = [model]
        seen: set[type[BaseModel]] = set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for name, info in current.model_fields.items():
                if name in ("id", "path", "body"):
                    continue
                assert field_description(current, name), f"{current.__name__}.{name} has no description"
                for arg in _models_in(info.annotation):
                    todo.append(arg)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    if hasattr(annotation, "__metadata__"):
        found.extend(_models_in(annotation.__origin__))
    return found


BASE_EVENT = {
    "title": "A title",
    "date": "2020-02-10",
    "type": "shelling",
    "status": "reported",
    "sources": [{"source": "a-source"}],
}
BASE = {
    "event": BASE_EVENT,
    "actor": {"name": "Someone", "kind": "person"},
    "place": {"name": "Somewhere", "kind": "town"},
    "source": {"title": "A source", "kind": "news", "url": "https://example.org/a"},
}


def model_accepts(kind: str, data: dict[str, Any]) -> bool:
    if kind == "vocabulary":
        try:
            Vocabulary.model_validate(data)
        except ValidationError:
            return False
        return True
    try:
        MODELS[kind].model_validate({**data, "id": "an-id", "path": f"content/{kind}s/an-id.md", "body": "x"})
    except ValidationError:
        return False
    return True


# Shorthand forms the models accept: the schema must accept them too (editors must not flag them).
VALID = [
    ("event", {"date": 2020}),
    ("event", {"date": "2020-02~"}),
    ("event", {"date": "../2020-02"}),
    ("event", {"date": "2020-02-08/"}),
    ("event", {"date": "2020-02-03/2020-02-05"}),
    ("event", {"time": "14:30"}),
    ("event", {"coordinates": [36, 36.7]}),
    ("event", {"casualties": [{"who": "Soldiers", "killed": 5}]}),
    ("event", {"casualties": [{"who": "Soldiers", "killed": {"min": 2, "max": 4}, "injured": {"max": 9}}]}),
    ("event", {"withdrawn": {"date": "2020-03-01", "reason": "Duplicate."}}),
    ("actor", {"affiliations": [{"actor": "other", "relation": "part-of", "from": 1990, "to": "2020-02~"}]}),
    ("actor", {"aliases": [{"name": "Другой", "lang": "ru"}], "wikidata": "Q42"}),
    ("place", {"names": {"ar": "مكان"}, "coordinates": [35.0, 36.0], "within": "a-country"}),
    ("source", {"published": "2020-02?", "accessed": "2020-03-01", "language": "en"}),
]


@pytest.mark.parametrize("kind, change", VALID, ids=lambda v: json.dumps(v) if isinstance(v, dict) else v)
def test_schema_accepts_what_the_model_accepts(kind: str, change: dict[str, Any]) -> None:
    data = {**BASE[kind], **change}
    assert model_accepts(kind, data)
    assert not list(validator(kind).iter_errors(data)), list(validator(kind).iter_errors(data))


# Invalid front matter: the model rejects each, and so must the schema.
INVALID = [
    ("event", {"date": "10/02/2020"}),
    ("event", {"date": "2020-13"}),
    ("event", {"date": "/"}),
    ("event", {"date": 20}),
    ("event", {"date": "-0000-01"}),
    ("event", {"date": "2020-04-31"}),
    ("event", {"title": ""}),
    ("event", {"title": "two\nlines"}),
    ("event", {"type": "Not An Id"}),
    ("event", {"time": "25:00"}),
    ("event", {"coordinates": [95, 36]}),
    ("event", {"coordinates": [36]}),
    ("event", {"location_precision": "street"}),
    ("event", {"sources": []}),
    ("event", {"casualties": [{"who": "Soldiers"}]}),
    ("event", {"casualties": [{"who": "Soldiers", "killed": -1}]}),
    ("event", {"casualties": [{"who": "Soldiers", "killed": {}}]}),
    ("event", {"withdrawn": {"date": 2020, "reason": "x"}}),
    ("event", {"unknown_field": 1}),
    ("event", {"id": "set-in-front-matter"}),
    ("event", {"body": "not here"}),
    ("actor", {"kind": "alien"}),
    ("actor", {"wikidata": "42"}),
    ("actor", {"affiliations": [{"actor": "other", "relation": "friend-of"}]}),
    ("place", {"names": {"Arabic": "x"}}),
    ("source", {"url": "javascript:alert(1)"}),
    ("source", {"accessed": "2020-03"}),
    ("source", {"language": "English"}),
    (
        "vocabulary",
        {"event_types": {}, "actor_roles": {}, "relations": {}, "annotation_kinds": {}, "statuses": {}},
    ),
    (
        "vocabulary",
        {
            "event_types": {"Bad Id": {"label": "x", "definition": "y"}},
            "actor_roles": {},
            "relations": {},
            "annotation_kinds": {},
            "statuses": {},
        },
    ),
]


@pytest.mark.parametrize("kind, change", INVALID, ids=lambda v: json.dumps(v) if isinstance(v, dict) else v)
def test_schema_rejects_what_the_model_rejects(kind: str, change: dict[str, Any]) -> None:
    data = {**BASE.get(kind, {}), **change}
    if kind != "vocabulary":
        assert not model_accepts(kind, data) or set(change) & {"id", "body"}
    else:
        assert not model_accepts(kind, data)
    assert list(validator(kind).iter_errors(data)), f"schema accepted {data}"


def test_vocabulary_schema_requires_the_required_terms() -> None:
    loaded = load_content(FIXTURES / "small_site" / "content")
    assert loaded.vocabulary is not None
    data = json.loads(json.dumps(loaded.vocabulary.data))
    del data["statuses"]["disputed"]
    assert not model_accepts("vocabulary", data)
    assert list(validator("vocabulary").iter_errors(data))


INVALID = FIXTURES / "invalid"


def _fixture_files() -> list[Path]:
    return sorted((INVALID / "broken" / "content").rglob("*.md")) + sorted(
        (INVALID / "base" / "content").rglob("*.md")
    )


def _kind_of(path: Path) -> str:
    folders = {"events": "event", "actors": "actor", "places": "place", "sources": "source"}
    return next(folders[part] for part in reversed(path.parts) if part in folders)


# Model rules a schema of the front matter cannot express: they need the body or the file name (the id).
NEEDS_THE_BODY = {"no-url-no-note.md", "Invalid_File_Name.md"}


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.relative_to(INVALID).as_posix())
def test_schema_agrees_with_the_model_on_every_validation_fixture(path: Path) -> None:
    """tests/fixtures/invalid: each file breaks one rule. Where the model refuses the front matter,
    the schema must too; where only later checks refuse it (references, vocabulary, folders,
    dates in the future, the body's policy), the schema, which sees one file, must accept it."""
    from timeweave.content.loader import load_record
    from timeweave.content.models import build_record
    from timeweave.errors import ErrorLog

    log = ErrorLog()
    raw = load_record(path, _kind_of(path), path.name, log)
    if raw is None:  # not YAML the loader accepts (syntax, tabs, duplicate keys): no document to check
        assert log.errors
        return
    _, problems = build_record(raw)
    schema_errors = list(validator(raw.kind).iter_errors(raw.data))
    if path.name in NEEDS_THE_BODY:
        assert problems and not schema_errors
    else:
        assert bool(problems) == bool(schema_errors), (
            path.name,
            problems,
            [e.message for e in schema_errors],
        )


@pytest.mark.parametrize("path", sorted((INVALID / "vocabulary").glob("*.yml")), ids=lambda p: p.name)
def test_schema_agrees_with_the_model_on_every_invalid_vocabulary(path: Path) -> None:
    from timeweave.content.models import Vocabulary as VocabularyModel
    from timeweave.content.yamlread import parse_yaml
    from timeweave.errors import ErrorLog

    parsed = parse_yaml(path.read_text(encoding="utf-8"), path.name, ErrorLog())
    if parsed is None:
        return
    data = parsed[0]
    try:
        VocabularyModel.model_validate(data)
        accepted = True
    except ValidationError:
        accepted = False
    assert accepted == (not list(validator("vocabulary").iter_errors(data))), path.name
