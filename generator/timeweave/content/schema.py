"""JSON Schema of every content type, generated from the pydantic models (pure; no MkDocs import).

The models stay the single source of truth: pydantic writes the schema, with the description of
every field from models.py, and this module only adds what pydantic cannot see through our
validators (the id pattern, the EDTF subset, `date: 2020` given as a number, a count given as a
number or as {min, max}, the `from` alias). The same descriptions document the JSON exports on
the Data page, so a field is described once. The files are committed under schema/ (editors read
them from the repository) and published under /schema/; a test checks that the committed files
equal what this module generates.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from timeweave.content import models
from timeweave.content.models import MODELS, RESERVED
from timeweave.content.records import MAX_ID_LENGTH
from timeweave.kinds import KINDS

SCHEMA_DIR = "schema"  # in the repository and in the built site
# Draft 7, not 2020-12: the YAML language server (what editors use for YAML) fully supports only
# draft 7, and the schemas need nothing newer.
DIALECT = "http://json-schema.org/draft-07/schema#"

# One EDTF point: YYYY, YYYY-MM or YYYY-MM-DD with an optional ~ ? or % qualifier.
# Month and day together, so that 2020-02-30 or 2020-04-31 is refused (only 29 February of a
# non-leap year gets through a regular expression; the validator catches it).
_MONTH_DAY = r"((0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31|02-29)"
# Years as EDTF writes them: four digits, '-' before BCE ones (not -0000), Y and more digits beyond.
_POINT = rf"((?!-0000)-?\d{{4}}(-{_MONTH_DAY}|-(0[1-9]|1[0-2]))?|Y-?[1-9]\d{{4,}})[~?%]?"
EDTF_PATTERN = rf"^(?!(\.\.)?/(\.\.)?$)({_POINT}|({_POINT}|\.\.)?/({_POINT}|\.\.)?)$"
DAY_PATTERN = rf"^(?!0000)\d{{4}}-{_MONTH_DAY}$"
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"

# What each schema says its files hold.
_ABOUT = {
    "event": "Front matter of one event; the Markdown after it is the account.",
    "actor": ("Front matter of one actor (person, state, force, group...); "
              "the Markdown after it is the profile."),
    "place": "Front matter of one place; the Markdown after it describes the place.",
    "source": "Front matter of one source; the Markdown after it is a note on the source.",
}
# content type -> (model, where its files live, what they hold)
CONTENT_TYPES: dict[str, tuple[type[BaseModel], str, str]] = {
    **{kind.name: (MODELS[kind.name], f"content/{kind.file_pattern}", _ABOUT[kind.name]) for kind in KINDS},
    "vocabulary": (
        models.Vocabulary,
        "content/vocabulary.yml",
        "The controlled vocabulary: event types, actor roles, relations, annotation kinds, statuses.",
    ),
}

def field_description(model: type[BaseModel], name: str) -> str:
    """The description a model gives a field (models.py is the one place fields are described)."""
    return model.model_fields[name].description or ""


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


# What each validator function of fields.py and models.py accepts, by the function's name (a renamed
# or new validator shows up in KNOWN_VALIDATORS' test, which generates every schema and lists the
# unknown).
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
    # Fills in the affiliation words a vocabulary leaves out: any set of terms is valid.
    "_default_affiliations": lambda inner: inner,
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
        "$comment": ("Generated from generator/timeweave/content/models.py by `python -m timeweave schema`; "
                     "do not edit."),
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
