"""JSON Schema of every content type, generated from the pydantic models (pure; no MkDocs import).

The models stay the single source of truth: pydantic writes the schema and this module only adds
what pydantic cannot see through our validators (the id pattern, the EDTF subset, `date: 2020` given
as a number, a count given as a number or as {min, max}, the `from` alias) and a description for
every field. The same descriptions document the JSON exports on the Data page, so a field is
described once. The files are committed under schema/ (editors read them from the repository) and
published under /schema/; a test checks that the committed files equal what this module generates.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from . import models
from .loader import MAX_ID_LENGTH
from .models import RESERVED

SCHEMA_DIR = "schema"  # in the repository and in the built site
# Draft 7, not 2020-12: the YAML language server (what editors use for YAML) fully supports only
# draft 7, and the schemas need nothing newer.
DIALECT = "http://json-schema.org/draft-07/schema#"

# One EDTF point: YYYY, YYYY-MM or YYYY-MM-DD with an optional ~ ? or % qualifier.
# Month and day together, so that 2020-02-30 or 2020-04-31 is refused (only 29 February of a
# non-leap year gets through a regular expression; the validator catches it).
_MONTH_DAY = r"((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31|02-29)"
_POINT = rf"(?!0000)\d{{4}}(-{_MONTH_DAY}|-(0[1-9]|1[0-2]))?[~?%]?"
EDTF_PATTERN = rf"^(?!(\.\.)?/(\.\.)?$)({_POINT}|({_POINT}|\.\.)?/({_POINT}|\.\.)?)$"
DAY_PATTERN = rf"^(?!0000)\d{{4}}-{_MONTH_DAY}$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"

# content type -> (model, where its files live)
CONTENT_TYPES: dict[str, tuple[type[BaseModel], str, str]] = {
    "event": (
        models.Event,
        "content/events/<year>/<id>.md",
        "Front matter of one event; the Markdown after it is the account.",
    ),
    "actor": (
        models.Actor,
        "content/actors/<id>.md",
        "Front matter of one actor (person, state, force, group...); the Markdown after it is the profile.",
    ),
    "place": (
        models.Place,
        "content/places/<id>.md",
        "Front matter of one place; the Markdown after it describes the place.",
    ),
    "source": (
        models.Source,
        "content/sources/<id>.md",
        "Front matter of one source; the Markdown after it is a note on the source.",
    ),
    "vocabulary": (
        models.Vocabulary,
        "content/vocabulary.yml",
        "The controlled vocabulary: event types, actor roles, relations, annotation kinds, statuses.",
    ),
}

# Descriptions of every model field (model name -> field -> text). A model's own
# Field(description=...) wins; a test checks that no field is left undescribed.
FIELD_DOCS: dict[str, dict[str, str]] = {
    "Record": {
        "former_ids": "Ids this record had before a rename; each old URL keeps working.",
    },
    "Event": {
        "title": "One-line headline of the event.",
        "date": "When it happened, as EDTF: 2020-02-10, 2020-02, 2020, with ~ (approximate), ? (uncertain) "
        "or % (both), or an interval A/B where an end may be '..' (open) or empty (unknown).",
        "time": "Local time of day, HH:MM (24-hour), when the source gives one.",
        "type": "Event type: an id from event_types in the vocabulary.",
        "place": "Where it happened: a place id.",
        "coordinates": "[latitude, longitude] of the event itself, when more precise than its place.",
        "location_precision": "How precise the location is: exact, near, town, district, governorate, "
        "region or country.",
        "actors": "Who took part, each with a role from actor_roles in the vocabulary.",
        "status": "How established the account is: an id from statuses in the vocabulary "
        "(confirmed, reported, claimed, disputed...).",
        "casualties": "People killed or injured, by group, each figure exact or a range.",
        "sources": "The sources the account rests on (at least one), with quote and locator.",
        "related": "Links to other events, each with a relation from the vocabulary.",
        "tags": "Free tags (ids) grouping events across types.",
        "annotations": "Editorial notes on the account: context, corrections, uncertainty, disputes.",
        "withdrawn": "Set when the event was withdrawn: the page stays as a tombstone saying when and why.",
        "merged_into": "Set when the event was merged into another: the id of that event.",
    },
    "ActorRole": {"actor": "Actor id.", "role": "Role id from actor_roles in the vocabulary."},
    "SourceCitation": {
        "source": "Source id.",
        "quote": "The words of the source this event rests on.",
        "locator": "Where in the source: page, paragraph, timestamp.",
    },
    "RelatedEvent": {"event": "Id of the other event.", "relation": "Relation id from the vocabulary."},
    "Annotation": {"kind": "Annotation kind id from the vocabulary.", "text": "The note itself."},
    "Casualties": {
        "who": "The group the figures are about, e.g. 'Turkish soldiers'.",
        "killed": "People killed: a number, or {min, max} when the source gives a range or a bound.",
        "injured": "People injured: a number, or {min, max}.",
    },
    "CountRange": {"min": "Lowest figure given (inclusive).", "max": "Highest figure given (inclusive)."},
    "Withdrawal": {"date": "Day the event was withdrawn, YYYY-MM-DD.", "reason": "Why it was withdrawn."},
    "NameVariant": {"name": "The name in that language.", "lang": "Language code (BCP 47), e.g. ar, tr."},
    "Affiliation": {
        "actor": "Id of the other actor.",
        "relation": "member-of, leader-of, commander-of, part-of, backed-by or allied-with.",
        "from_": "Start of the affiliation (EDTF).",
        "to": "End of the affiliation (EDTF).",
    },
    "Actor": {
        "name": "Display name.",
        "kind": "person, state, government-body, armed-force, armed-group, political-party, organisation "
        "or media.",
        "aliases": "Other names, each with its language.",
        "wikidata": "Wikidata item id, e.g. Q123.",
        "affiliations": "Links to other actors (member of, part of, backed by...).",
    },
    "Place": {
        "name": "Display name.",
        "names": "Names in other languages: language code -> name.",
        "kind": "site, town, district, governorate, region or country.",
        "coordinates": "[latitude, longitude].",
        "location_precision": "How precise the coordinates are; by default that of the place's kind.",
        "within": "Id of the place this one lies in (its administrative parent).",
        "wikidata": "Wikidata item id, e.g. Q123.",
    },
    "Source": {
        "title": "Title of the source (in square brackets when it has none and the title is ours).",
        "kind": "news, analysis, official-statement, report, social-media, book or other.",
        "publisher": "Who published it.",
        "author": "Who wrote it.",
        "published": "When it was published (EDTF).",
        "url": "Where it can be read (http or https).",
        "archive_url": "An archived copy.",
        "accessed": "Day the url was last checked, YYYY-MM-DD.",
        "language": "Language code of the source (BCP 47).",
    },
    "Term": {
        "label": "Label shown to readers.",
        "definition": "What the term means, shown on the page that explains the vocabulary.",
    },
    "Vocabulary": {
        "event_types": "Event types: id -> term.",
        "actor_roles": "Roles an actor can have in an event: id -> term.",
        "relations": "Relations between events (must define response-to, follows, part-of, contradicts).",
        "annotation_kinds": "Kinds of editorial annotation: id -> term.",
        "statuses": "How established an account is (must define confirmed, reported, claimed, disputed).",
    },
}


def field_description(model: type[BaseModel], name: str) -> str:
    """The description of a model field: its own, else the FIELD_DOCS entry (searched up the MRO)."""
    info = model.model_fields[name]
    if info.description:
        return info.description
    for klass in model.__mro__:
        text = FIELD_DOCS.get(klass.__name__, {}).get(name)
        if text:
            return text
    return ""


def _constrain(schema: JsonSchemaValue, **extra: Any) -> JsonSchemaValue:
    """Add keywords to the string (or array) branch of a schema, wherever it is."""
    if "anyOf" in schema:
        return {
            **schema,
            "anyOf": [
                _constrain(branch, **extra) if branch.get("type") in ("string", "array") else branch
                for branch in schema["anyOf"]
            ],
        }
    return {**schema, **extra}


def _coordinates(inner: JsonSchemaValue) -> JsonSchemaValue:
    items = [
        {"type": "number", "minimum": -90, "maximum": 90, "description": "latitude"},
        {"type": "number", "minimum": -180, "maximum": 180, "description": "longitude"},
    ]
    return _constrain(inner, prefixItems=items)  # draft 7 "items" after _draft7


# What each validator function of models.py accepts, by the function's name (a renamed or new
# validator shows up in KNOWN_VALIDATORS' test, which generates every schema and lists the unknown).
_AFTER: dict[str, Any] = {
    "_check_id": lambda inner: _constrain(inner, pattern=ID_PATTERN, maxLength=MAX_ID_LENGTH),
    "_check_title": lambda inner: _constrain(inner, minLength=1, pattern=r"^[^\n]*\S[^\n]*$"),
    "_check_text": lambda inner: _constrain(inner, minLength=1, pattern=r"\S"),
    "_check_edtf": lambda inner: _constrain(inner, pattern=EDTF_PATTERN),
    # A bare year passes the before-validator but is never one exact day.
    "_check_day": lambda inner: {"type": "string", "pattern": DAY_PATTERN},
    "_check_url": lambda inner: _constrain(inner, format="uri", pattern=r"^https?://[^\s/]+"),
    "_check_time": lambda inner: _constrain(inner, pattern=TIME_PATTERN),
    "parse_time": lambda inner: _constrain(inner, pattern=TIME_PATTERN),
    "_check_coordinates": _coordinates,
    # pydantic's own ge/le checks after a before-validator: _tidy renames their keywords.
    "greater_than_or_equal_validator": lambda inner: inner,
    "less_than_or_equal_validator": lambda inner: inner,
    # Model-level rules: added by _MODEL_RULES and _REQUIRED_TERMS below; _findable needs the body,
    # which is not front matter, so no schema can check it.
    "_ordered": lambda inner: inner,
    "_some_figure": lambda inner: inner,
    "_required_terms": lambda inner: inner,
    "_findable": lambda inner: inner,
}
_BEFORE: dict[str, Any] = {
    # YAML reads `date: 2020` as a number; the model accepts it as the year.
    "_edtf_as_text": lambda inner: {"anyOf": [inner, {"type": "integer", "minimum": 1000, "maximum": 9999}]},
    "_count_as_range": lambda inner: {
        "anyOf": [{"type": "integer", "minimum": 0, "maximum": 10_000_000}, inner]
    },
    "_reject_bool": lambda inner: inner,  # JSON Schema's "number" already excludes true/false
}


class _ContentSchema(GenerateJsonSchema):
    """Pydantic's generator, taught what our validator functions accept."""

    unknown: set[str] = set()

    def _apply(self, table: dict[str, Any], schema: Any, inner: JsonSchemaValue) -> JsonSchemaValue:
        function = schema["function"].get("function")
        name = getattr(getattr(function, "func", function), "__name__", repr(function))
        if name not in table:
            type(self).unknown.add(name)
            return inner
        return table[name](inner)  # type: ignore[no-any-return]

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        return self._apply(_AFTER, schema, super().function_after_schema(schema))

    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        return self._apply(_BEFORE, schema, super().function_before_schema(schema))


def unknown_validators() -> set[str]:
    """Validator functions of the models that this module does not describe (a test keeps it empty)."""
    _ContentSchema.unknown = set()
    for kind in CONTENT_TYPES:
        content_schema(kind)
    return set(_ContentSchema.unknown)


_KEYWORDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _tidy(value: Any) -> Any:
    """Drop pydantic's auto titles ('Former Ids': noise in editor hovers; descriptions carry the
    meaning) and rename the constraints that pydantic leaves under its own names (ge, le) when
    they follow a before-validator, so that JSON Schema validators enforce them."""
    if isinstance(value, dict):
        typed = value.get("type") in ("integer", "number")
        out = {}
        for key, item in value.items():
            if key == "title" and isinstance(item, str) and "properties" not in value:
                continue
            out[_KEYWORDS.get(key, key) if typed else key] = _tidy(item)
        if len(out.get("patternProperties", {})) == 1:
            # patternProperties alone lets a key that does not match through: forbid it.
            out["propertyNames"] = {
                **out.get("propertyNames", {}),
                "pattern": next(iter(out["patternProperties"])),
            }
        return out
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def _draft7(value: Any) -> Any:
    """Pydantic writes draft 2020-12; the two keywords it uses that draft 7 spells differently."""
    if isinstance(value, dict):
        out = {("definitions" if k == "$defs" else k): _draft7(v) for k, v in value.items()}
        if "prefixItems" in out:
            out["items"] = out.pop("prefixItems")
            out["additionalItems"] = False
        return out
    if isinstance(value, list):
        return [_draft7(v) for v in value]
    return value


# Rules the models check in model validators, which pydantic cannot express in a schema.
_MODEL_RULES: dict[str, dict[str, Any]] = {
    "CountRange": {"anyOf": [{"required": ["min"]}, {"required": ["max"]}]},
    "Casualties": {"anyOf": [{"required": ["killed"]}, {"required": ["injured"]}]},
}
# Terms models.Vocabulary requires (its _required_terms validator).
_REQUIRED_TERMS = {
    "statuses": ["claimed", "confirmed", "disputed", "reported"],
    "relations": ["contradicts", "follows", "part-of", "response-to"],
}


def _describe(schema: dict[str, Any], model: type[BaseModel]) -> None:
    for name, info in model.model_fields.items():
        key = info.alias or name
        prop = schema.get("properties", {}).get(key)
        if prop is not None:
            text = field_description(model, name)
            if text:
                prop["description"] = text


def content_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one content type's front matter (or of the vocabulary file)."""
    model, where, about = CONTENT_TYPES[kind]
    schema: dict[str, Any] = model.model_json_schema(
        by_alias=True,
        schema_generator=_ContentSchema,
        mode="validation",
        ref_template="#/definitions/{model}",
    )
    schema = _draft7(_tidy(schema))
    # id, path and body come from the file, not the front matter: they must not be written there.
    for key in RESERVED:
        schema.get("properties", {}).pop(key, None)
    schema["required"] = [r for r in schema.get("required", []) if r not in RESERVED]
    _describe(schema, model)
    nested = {cls.__name__: cls for cls in _nested_models(model)}
    for name, definition in schema.get("definitions", {}).items():
        if name in nested:
            _describe(definition, nested[name])
        definition.update(_MODEL_RULES.get(name, {}))
    if model is models.Vocabulary:
        for group, terms in _REQUIRED_TERMS.items():
            schema["properties"][group]["required"] = terms
    return {
        "$schema": DIALECT,
        "$comment": "Generated from generator/models.py by `python -m generator schema`; do not edit.",
        "title": f"{kind.capitalize()} ({where})",
        "description": about,
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def _nested_models(model: type[BaseModel]) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    todo = [model]
    while todo:
        current = todo.pop()
        for info in current.model_fields.values():
            inner = models._inner_model(info.annotation)
            for candidate in _all_models(info.annotation) if inner is not None else []:
                if candidate not in found:
                    found.append(candidate)
                    todo.append(candidate)
    return found


def _all_models(annotation: Any) -> list[type[BaseModel]]:
    out: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        out.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        out.extend(_all_models(arg))
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and hasattr(annotation, "__metadata__"):
        out.extend(_all_models(origin))
    return out


def schema_bytes(kind: str) -> bytes:
    return (json.dumps(content_schema(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def schema_files() -> dict[str, bytes]:
    """File name -> bytes of every schema, e.g. 'event.schema.json'."""
    return {f"{kind}.schema.json": schema_bytes(kind) for kind in CONTENT_TYPES}
