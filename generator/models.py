"""Typed records: the single source of truth for every content field (and, later, the JSON Schema).

Each model forbids unknown fields and is frozen. Validation errors are mapped back to the YAML line
of the offending key or list item through the positions the loader recorded.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError,
                      ValidationInfo, field_validator, model_validator)
from pydantic_core import PydanticCustomError

from .dates import DateError, EventDate, parse_date, parse_time
from .errors import ContentError, did_you_mean
from .loader import ID_PATTERN, MAX_ID_LENGTH, RawRecord

# Characters that change text direction or are invisible: a title or id containing them can show
# a reader something other than what reviewers saw in the pull request.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad\u180e]")


_JOINERS = "\u200c\u200d"


def _joining(text: str, index: int) -> bool:
    """ZWNJ/ZWJ between two non-Latin letters is correct spelling (Persian, Indic scripts),
    not a trick; anywhere else it only hides something."""
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return all(c and c.isalpha() and ord(c) > 0x24F for c in (before, after))


def find_invisible(text: str) -> str | None:
    for match in _INVISIBLE.finditer(text):
        if match.group() in _JOINERS and _joining(text, match.start()):
            continue
        return f"U+{ord(match.group()):04X} {unicodedata.name(match.group(), 'invisible character')}"
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in "\n\t":
            return f"control character U+{ord(char):04X}"
    return None


def _check_id(value: str) -> str:
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.match(value):
        raise ValueError(f"'{value}' is not a valid id: lowercase ASCII letters, digits and single hyphens")
    return value


def _check_title(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    found = find_invisible(value)
    if found:
        raise ValueError(f"contains an invisible or direction-changing character ({found}); remove it")
    if "\n" in value:
        raise ValueError("must be one line")
    return value


def _check_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    return value


def _date_problem(exc: DateError) -> PydanticCustomError:
    # Carries the hint separately, so it reaches ContentError.hint instead of the message.
    return PydanticCustomError("date_value", "{message}", {"message": exc.message, "hint": exc.hint})


def _check_edtf(value: str) -> str:
    try:
        parse_date(value)
    except DateError as exc:
        raise _date_problem(exc) from None
    return value


def _check_time(value: str) -> str:
    try:
        return parse_time(value)
    except DateError as exc:
        raise _date_problem(exc) from None


def _edtf_as_text(value: Any) -> Any:
    # `date: 2020` arrives from YAML as a number; an EDTF year is text.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _check_day(value: str) -> str:
    _check_edtf(value)
    if parse_date(value).precision != "day" or parse_date(value).is_fuzzy:
        raise ValueError(f"'{value}' must be one exact day, YYYY-MM-DD")
    return value


def _check_url(value: str) -> str:
    value = value.strip()
    if find_invisible(value) or any(c.isspace() for c in value):
        raise ValueError("URL contains spaces or invisible characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"'{value}' is not an http(s) URL with a host")
    return value


def _check_coordinates(value: tuple[float, float]) -> tuple[float, float]:
    lat, lon = value
    if not (-90 <= lat <= 90):
        raise ValueError(f"latitude {lat} is outside -90..90 (coordinates are [latitude, longitude])")
    if not (-180 <= lon <= 180):
        raise ValueError(f"longitude {lon} is outside -180..180")
    return value


def _reject_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("expected a number, not true/false")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Title = Annotated[str, AfterValidator(_check_title)]
Text = Annotated[str, AfterValidator(_check_text)]
Edtf = Annotated[str, BeforeValidator(_edtf_as_text), AfterValidator(_check_edtf)]
Day = Annotated[str, BeforeValidator(_edtf_as_text), AfterValidator(_check_day)]
Url = Annotated[str, AfterValidator(_check_url)]
Number = Annotated[float, BeforeValidator(_reject_bool)]
Coordinates = Annotated[tuple[Number, Number], AfterValidator(_check_coordinates)]
Time = Annotated[str, AfterValidator(_check_time)]
LanguageCode = Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
WikidataId = Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")]
Count = Annotated[int, BeforeValidator(_reject_bool), Field(ge=0, le=10_000_000)]

Precision = Literal["exact", "near", "town", "district", "governorate", "region", "country"]
ActorKind = Literal["person", "state", "government-body", "armed-force", "armed-group",
                    "political-party", "organisation", "media"]
PlaceKind = Literal["site", "town", "district", "governorate", "region", "country"]
SourceKind = Literal["news", "analysis", "official-statement", "report", "social-media", "book", "other"]
AffiliationRelation = Literal["member-of", "leader-of", "commander-of", "part-of", "backed-by", "allied-with"]

# Radius in metres a reader should read into a point of this precision (maps draw it as a circle).
PRECISION_RADIUS_M: dict[str, int] = {
    "exact": 0, "near": 2_000, "town": 5_000, "district": 20_000, "governorate": 50_000,
    "region": 150_000, "country": 300_000,
}
PLACE_KIND_PRECISION: dict[str, str] = {
    "site": "exact", "town": "town", "district": "district", "governorate": "governorate",
    "region": "region", "country": "country",
}
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Record(Strict):
    """Fields every record has; id, path and body come from the file, not the front matter."""

    id: Id
    path: str
    body: str = ""
    former_ids: list[Id] = Field(default_factory=list,
                                 description="Former ids of this record; each old URL redirects here.")


class Term(Strict):
    label: Title
    definition: Text
    inverse: Title | None = Field(None, description="For relations: the label read from the other event.")


class Vocabulary(Strict):
    event_types: dict[Id, Term]
    actor_roles: dict[Id, Term]
    relations: dict[Id, Term]
    annotation_kinds: dict[Id, Term]
    statuses: dict[Id, Term]

    # A field validator, not a model validator, so the error points at the group's line.
    @field_validator("statuses", "relations")
    @classmethod
    def _required_terms(cls, terms: dict[str, Term], info: ValidationInfo) -> dict[str, Term]:
        required = {
            "statuses": ("confirmed", "reported", "claimed", "disputed"),
            "relations": ("response-to", "follows", "part-of", "contradicts"),
        }
        missing = [t for t in required[str(info.field_name)] if t not in terms]
        if missing:
            raise ValueError(f"{info.field_name} must define {', '.join(missing)}")
        return terms


class CountRange(Strict):
    min: Count | None = None
    max: Count | None = None

    @model_validator(mode="after")
    def _ordered(self) -> CountRange:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self

    @property
    def exact(self) -> bool:
        return self.min is not None and self.min == self.max

    def label(self) -> str:
        if self.exact:
            return str(self.min)
        if self.max is None:
            return f"at least {self.min}"
        if self.min is None:
            return f"up to {self.max}"
        return f"{self.min}–{self.max}"


def _count_as_range(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return {"min": value, "max": value}
    return value


CasualtyCount = Annotated[CountRange, BeforeValidator(_count_as_range)]


class ActorRole(Strict):
    actor: Id
    role: Id


class SourceCitation(Strict):
    source: Id
    quote: Text | None = None
    locator: Text | None = None


class RelatedEvent(Strict):
    event: Id
    relation: Id


class Annotation(Strict):
    kind: Id
    text: Text


class Casualties(Strict):
    who: Title
    killed: CasualtyCount | None = None
    injured: CasualtyCount | None = None
    source: Id | None = Field(None, description="The source id that gives these figures.")

    @model_validator(mode="after")
    def _some_figure(self) -> Casualties:
        if self.killed is None and self.injured is None:
            raise ValueError("give killed, injured or both")
        return self


class Withdrawal(Strict):
    date: Day
    reason: Text


class Event(Record):
    title: Title
    date: Edtf
    time: Time | None = None
    type: Id
    place: Id | None = None
    coordinates: Coordinates | None = None
    location_precision: Precision | None = None
    actors: list[ActorRole] = Field(default_factory=list)
    status: Id
    casualties: list[Casualties] = Field(default_factory=list)
    sources: list[SourceCitation] = Field(min_length=1)
    related: list[RelatedEvent] = Field(default_factory=list)
    tags: list[Id] = Field(default_factory=list)
    annotations: list[Annotation] = Field(default_factory=list)
    withdrawn: Withdrawal | None = None
    merged_into: Id | None = None

    @property
    def when(self) -> EventDate:
        return parse_date(self.date)

    @property
    def live(self) -> bool:
        return self.withdrawn is None and self.merged_into is None


class NameVariant(Strict):
    name: Title
    lang: LanguageCode


class Affiliation(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    actor: Id
    relation: AffiliationRelation
    from_: Edtf | None = Field(None, alias="from")
    to: Edtf | None = None


class Actor(Record):
    name: Title
    kind: ActorKind
    aliases: list[NameVariant] = Field(default_factory=list)
    wikidata: WikidataId | None = None
    affiliations: list[Affiliation] = Field(default_factory=list)


class Place(Record):
    name: Title
    names: dict[LanguageCode, Title] = Field(default_factory=dict)
    kind: PlaceKind
    coordinates: Coordinates | None = None
    location_precision: Precision | None = None
    within: Id | None = None
    wikidata: WikidataId | None = None

    @property
    def precision(self) -> str:
        return self.location_precision or PLACE_KIND_PRECISION[self.kind]


class Source(Record):
    title: Title
    kind: SourceKind
    publisher: Title | None = None
    author: Title | None = None
    published: Edtf | None = None
    url: Url | None = None
    archive_url: Url | None = None
    accessed: Day | None = None
    language: LanguageCode | None = None

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if self.url is None and not self.body.strip():
            raise ValueError("a source without a url needs a note (the body) saying where it can be found")
        return self


MODELS: dict[str, type[Record]] = {"event": Event, "actor": Actor, "place": Place, "source": Source}
RESERVED = ("id", "path", "body")


def _friendly(error: dict[str, Any], model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "missing":
        return "missing required field", ""
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        known = sorted(parent.model_fields) if parent else []
        known = [k for k in known if k not in RESERVED]
        if parent is Affiliation:
            known = ["actor", "relation", "from", "to"]
        hint = did_you_mean(str(loc[-1]), known) or (f"known fields: {', '.join(known)}" if known else "")
        return f"unknown field '{loc[-1]}'", hint
    if kind == "date_value":
        return error["ctx"]["message"], error["ctx"]["hint"]
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{error['input']!r} is not allowed", f"use one of {expected}"
    if kind in ("model_type", "model_attributes_type") and loc and loc[-1] in ("killed", "injured"):
        return (f"expected a number or a range, got {error['input']!r}",
                "e.g. killed: 5, or killed: {min: 5, max: 8}")
    if kind in ("model_type", "model_attributes_type"):
        # pydantic names the class ("instance of CountRange"); a contributor needs to know it is a mapping.
        return f"expected a mapping of fields (key: value), got {error['input']!r}", ""
    message = error["msg"]
    message = message.removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        message = f"{error['input']!r} has the wrong form (expected pattern {error['ctx']['pattern']})"
    elif kind in ("string_type", "int_type", "float_type", "list_type", "dict_type", "model_type",
                  "tuple_type", "int_parsing", "float_parsing"):
        message = f"{message}; got {error['input']!r}"
    elif kind == "too_short" and loc and loc[-1] == "sources":
        return "an event needs at least one source", "add `sources: [{source: <source id>}]`"
    return message, ""


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    current: Any = model
    keyed = False  # the previous field was a dict: this part is one of its keys, not a field name
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part) or next(
            (f for f in current.model_fields.values() if f.alias == part), None)
        if field is None:
            return None
        keyed = _is_dict(field.annotation)
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _is_dict(annotation: Any) -> bool:
    if getattr(annotation, "__origin__", None) is dict:
        return True
    return any(_is_dict(arg) for arg in getattr(annotation, "__args__", ()) or ())


def _inner_model(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def validation_errors(exc: ValidationError, raw: RawRecord, model: type[BaseModel]) -> list[ContentError]:
    found = []
    errors = exc.errors()
    # A misspelt key gives two errors: "unknown field 'titel'" and "missing required field 'title'".
    # The first, with its line and its "did you mean 'title'?", says it all; drop the second.
    typos = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            message, hint = _friendly(error, model, loc)
            if hint.startswith("did you mean '"):
                typos.add(loc[:-1] + (hint.split("'")[1],))
    for error in errors:
        # '[key]' marks an error in a dict key (e.g. a vocabulary term id); the key itself is the field.
        loc = tuple(p for p in error["loc"] if isinstance(p, (str, int)) and p != "[key]")
        if error["type"] == "missing" and loc in typos:
            continue
        message, hint = _friendly(error, model, loc)
        field = ""
        for part in loc:
            field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
        found.append(ContentError(raw.path, raw.line_of(loc), field, message, hint))
    return found


def build_record(raw: RawRecord) -> tuple[Record | None, list[ContentError]]:
    """Validate one raw record against its model; returns the model or every error it has."""
    model = MODELS[raw.kind]
    errors = [
        ContentError(raw.path, raw.line_of((key,)), key, f"'{key}' cannot be set in front matter",
                     "the id is the file name and the body follows the front matter")
        for key in RESERVED if key in raw.data
    ]
    if errors:
        return None, errors
    try:
        record = model.model_validate({**raw.data, "id": raw.id, "path": raw.path, "body": raw.body})
    except ValidationError as exc:
        return None, validation_errors(exc, raw, model)
    return record, []


def build_vocabulary(raw: RawRecord) -> tuple[Vocabulary | None, list[ContentError]]:
    try:
        return Vocabulary.model_validate(raw.data), []
    except ValidationError as exc:
        return None, validation_errors(exc, raw, Vocabulary)
