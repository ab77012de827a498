"""Typed records: the single source of truth for every content field (and, later, the JSON Schema).

Each model forbids unknown fields and is frozen. Validation errors are mapped back to the YAML line
of the offending key or list item through the positions the loader recorded.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from timeweave.content.dates import EventDate, parse_date
from timeweave.content.fields import (
    AFFILIATION_WORDS,
    ActorKind,
    AffiliationRelation,
    Coordinates,
    Count,
    Day,
    Edtf,
    Id,
    LanguageCode,
    PlaceKind,
    Precision,
    SourceKind,
    Text,
    Time,
    Title,
    Url,
    WikidataId,
)
from timeweave.content.records import RawRecord
from timeweave.errors import ContentError, did_you_mean
from timeweave.kinds import KINDS

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
    label: Title = Field(description="The name readers see.")
    definition: Text = Field(description="One or two sentences saying when to use this term.")
    inverse: Title | None = Field(None, description="For relations and affiliations: the label read from the other "
                                  "event or actor.")
    implies_order: bool = Field(False, description="For relations: true when the relation says this event "
                                "came after the other, so the timeline puts it later where dates cannot tell.")


class Vocabulary(Strict):
    event_types: dict[Id, Term] = Field(description="Kinds of event: the values of an event's type.")
    actor_roles: dict[Id, Term] = Field(description="What an actor does in an event: the values of role.")
    relations: dict[Id, Term] = Field(description="How one event relates to another; each needs an inverse.")
    annotation_kinds: dict[Id, Term] = Field(description="Kinds of note on an event.")
    statuses: dict[Id, Term] = Field(description="How well established an event is.")
    tags: dict[Id, Term] = Field(default_factory=dict, description="Labels and definitions of the tags events "
                                 "use; a tag not listed is shown as its id.")
    affiliations: dict[AffiliationRelation, Term] = Field(
        default_factory=dict, validate_default=True,
        description="How actors' affiliations read: the label after '<actor> is' ('A member of'), the inverse on "
        "the other actor's page ('Members'). Those not listed keep their default words.")

    @field_validator("affiliations")
    @classmethod
    def _default_affiliations(cls, terms: dict[str, Term]) -> dict[str, Term]:
        defaults = {key: Term(label=label, inverse=inverse, implies_order=False,
                              definition=f"This actor is {label.lower()} the other actor.")
                    for key, (label, inverse) in AFFILIATION_WORDS.items()}
        return {**defaults, **terms}

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
    min: Count | None = Field(None, description="The lowest figure given (omit when the source gives only an "
                                                "upper bound).")
    max: Count | None = Field(None, description="The highest figure given (omit for \"at least\").")

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
    actor: Id = Field(description="The id of an actor in content/actors/.", examples=["turkish-armed-forces"])
    role: Id = Field(description="What the actor did in the event: one of the actor_roles in content/vocabulary.yml.",
                     examples=["initiator"])


class SourceCitation(Strict):
    source: Id = Field(description="The id of a source in content/sources/.",
                       examples=["idlib-feb-2020-news-analysis"])
    quote: Text | None = Field(None, description="The words of the source that support the event, copied exactly.",
                               examples=["five soldiers died"])
    locator: Text | None = Field(None, description="Where in the source: page, paragraph, timestamp.",
                                 examples=["paragraph 3"])


class RelatedEvent(Strict):
    event: Id = Field(description="The id of the other event.", examples=["turkish-soldiers-killed-in-idlib"])
    relation: Id = Field(description="How this event relates to it: one of the relations in content/vocabulary.yml "
                         "(the other event's page shows the inverse).", examples=["response-to"])


class Annotation(Strict):
    kind: Id = Field(description="One of the annotation_kinds in content/vocabulary.yml: context, correction, "
                     "uncertainty, dispute.", examples=["uncertainty"])
    text: Text = Field(description="The note itself, in plain words.",
                       examples=["The source says only \"this week\"; the date is inferred from its publication."])


class Casualties(Strict):
    who: Title = Field(description="Who was killed or injured, as the source says.", examples=["Turkish soldiers"])
    killed: CasualtyCount | None = Field(None, description="People killed: a number, or {min, max} when the "
                                         "source gives a range or \"at least\".", examples=[5])
    injured: CasualtyCount | None = Field(None, description="People injured, written like killed.",
                                          examples=[{"min": 2, "max": 4}])
    source: Id | None = Field(None, description="The source id that gives these figures.")

    @model_validator(mode="after")
    def _some_figure(self) -> Casualties:
        if self.killed is None and self.injured is None:
            raise ValueError("give killed, injured or both")
        return self


class Withdrawal(Strict):
    date: Day = Field(description="The day the event was withdrawn.")
    reason: Text = Field(description="Why, for readers who followed a link to it.")


class Archive(Strict):
    url: Url = Field(description="The archived copy, e.g. in the Wayback Machine.")
    date: Day = Field(description="The day it was archived.")


class Event(Record):
    title: Title = Field(description="What happened, in one line, as a reader would search for it.",
                         examples=["Turkish soldiers killed by shelling in Idlib"])
    date: Edtf = Field(description="When it happened, in EDTF: a day, month or year; ~ approximate, "
                       "? uncertain, % both; an interval start/end, with .. for an open end.",
                       examples=["2020-02-10"])
    time: Time | None = Field(None, description="Local time of day (24-hour HH:MM), only if the source gives it.",
                              examples=["14:30"])
    type: Id = Field(description="What kind of event: one of the event_types in content/vocabulary.yml.",
                     examples=["shelling"])
    place: Id | None = Field(None, description="The id of a place in content/places/ where it happened.",
                             examples=["idlib-governorate"])
    coordinates: Coordinates | None = Field(None, description="[latitude, longitude] of the event itself, "
                                            "when more precise than its place.", examples=[[35.93, 36.63]])
    location_precision: Precision | None = Field(None, description="How precise the location is; maps draw "
                                                 "anything but exact as a circle.", examples=["town"])
    actors: list[ActorRole] = Field(default_factory=list, description="Who took part, and in what role.")
    status: Id = Field(description="How well established the event is: one of the statuses in "
                       "content/vocabulary.yml (confirmed, reported, claimed, disputed).", examples=["reported"])
    casualties: list[Casualties] = Field(default_factory=list, description="People killed or injured, "
                                         "group by group, with the source of each figure.")
    sources: list[SourceCitation] = Field(min_length=1, description="At least one source the event rests on.")
    related: list[RelatedEvent] = Field(default_factory=list, description="Links to other events.")
    tags: list[Id] = Field(default_factory=list, description="Free keywords (ids) grouping events across types.",
                           examples=[["escalation"]])
    annotations: list[Annotation] = Field(default_factory=list, description="Notes for readers: context, "
                                          "corrections, uncertainty, disputes.")
    withdrawn: Withdrawal | None = Field(None, description="Set instead of deleting the file when an event "
                                         "turns out to be wrong: its page stays, saying why.")
    merged_into: Id | None = Field(None, description="Set instead of deleting the file when the event "
                                   "duplicates another: the id of the event that absorbed it.")
    archive: Archive | None = Field(None, description="An archived copy of this event's page, named by "
                                    "its Wikipedia citation (archive-url, archive-date).")

    @property
    def when(self) -> EventDate:
        return parse_date(self.date)

    @property
    def live(self) -> bool:
        return self.withdrawn is None and self.merged_into is None


class NameVariant(Strict):
    name: Title = Field(description="The name in that language or script.", examples=["جيش ألفا"])
    lang: LanguageCode = Field(description="Language code (BCP 47).", examples=["ar"])


class Affiliation(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    actor: Id = Field(description="The id of the other actor.", examples=["turkey"])
    relation: AffiliationRelation = Field(description="How this actor relates to the other one.")
    from_: Edtf | None = Field(None, alias="from", description="Since when (EDTF), if known.")
    to: Edtf | None = Field(None, description="Until when (EDTF), if it ended.")


class Actor(Record):
    name: Title = Field(description="The name readers know, in English.", examples=["Turkish Armed Forces"])
    kind: ActorKind = Field(description="What sort of actor this is.")
    aliases: list[NameVariant] = Field(default_factory=list, description="Other names, each with its language.")
    wikidata: WikidataId | None = Field(None, description="The Wikidata item id, if there is one.")
    affiliations: list[Affiliation] = Field(default_factory=list, description="Links to other actors.")


class Place(Record):
    name: Title = Field(description="The name readers know, in English.", examples=["Idlib Governorate"])
    names: dict[LanguageCode, Title] = Field(default_factory=dict, description="The name in other languages, "
                                             "by language code.", examples=[{"ar": "محافظة إدلب"}])
    kind: PlaceKind = Field(description="What sort of place this is; it sets the default precision.")
    coordinates: Coordinates | None = Field(None, description="[latitude, longitude] of the place (its centre "
                                            "for an area).", examples=[[35.83, 36.63]])
    location_precision: Precision | None = Field(None, description="Overrides the precision its kind implies.")
    within: Id | None = Field(None, description="The id of the larger place that contains it.",
                              examples=["syria"])
    wikidata: WikidataId | None = Field(None, description="The Wikidata item id, if there is one.")

    @property
    def precision(self) -> str:
        return self.location_precision or PLACE_KIND_PRECISION[self.kind]


class Source(Record):
    title: Title = Field(description="The title as published; your own description in [square brackets] "
                         "if it has none.")
    kind: SourceKind = Field(description="What sort of source this is.")
    publisher: Title | None = Field(None, description="Who published it: outlet, agency, ministry.",
                                    examples=["Reuters"])
    author: Title | None = Field(None, description="Who wrote it, if named.")
    published: Edtf | None = Field(None, description="When it was published (EDTF).", examples=["2020-02-28"])
    url: Url | None = Field(None, description="Where to read it (http or https). Without one, the body "
                            "must say where the source can be found.", examples=["https://example.org/article"])
    archive_url: Url | None = Field(None, description="A copy in a web archive, in case the page changes "
                                    "or disappears.")
    accessed: Day | None = Field(None, description="The day you read it at url (YYYY-MM-DD).",
                                 examples=["2020-03-01"])
    language: LanguageCode | None = Field(None, description="The language it is written in (BCP 47 code).",
                                          examples=["en"])

    @model_validator(mode="after")
    def _findable(self) -> Source:
        if self.url is None and not self.body.strip():
            raise ValueError("a source without a url needs a note (the body) saying where it can be found")
        return self


_RECORD_CLASSES: dict[str, type[Record]] = {cls.__name__: cls for cls in (Event, Actor, Place, Source)}
MODELS: dict[str, type[Record]] = {kind.name: _RECORD_CLASSES[kind.model_class] for kind in KINDS}
RESERVED = ("id", "path", "body")


def _friendly(error: ErrorDetails, model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[str, str]:
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
        if loc[-1] == "aliases" and "former_ids" in known:
            hint = "former ids (old URLs that must redirect here) go in `former_ids`; `aliases` is for actors' names"
        return f"unknown field '{loc[-1]}'", hint
    if kind in ("date_value", "hinted_value"):  # fields.py's problems that carry their own hint
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
    if "aliases" in loc and isinstance(error.get("input"), str):
        return message, ("aliases are other names, {name, lang}; a former id (an old URL that must "
                         "redirect here) goes in `former_ids`")
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
