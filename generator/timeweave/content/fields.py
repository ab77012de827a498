"""The value types of content fields: what one id, title, date, URL or figure must look like.

Each type is a pydantic annotation whose validators say, in a contributor's words, what is wrong.
The JSON Schema (schema.py) recognises each validator by its function's name, so a new or renamed
validator must be taught to it too.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field
from pydantic_core import PydanticCustomError

from timeweave.content.dates import DateError, parse_date, parse_time
from timeweave.content.external import host_problem
from timeweave.content.records import ID_PATTERN, MAX_ID_LENGTH, RESERVED_IDS
from timeweave.content.textchecks import find_invisible

# Ids already found valid: a site names each actor, place and source id in many events, and each
# check is a regex match. Bounded for a long-running preview.
_VALID_IDS: set[str] = set()


def _check_id(value: str) -> str:
    if value in _VALID_IDS:
        return value
    if len(value) > MAX_ID_LENGTH or not ID_PATTERN.match(value):
        raise ValueError(f"'{value}' is not a valid id: lowercase ASCII letters, digits and single hyphens")
    if value in RESERVED_IDS:
        raise ValueError(f"'{value}' is reserved for the list pages; choose a more specific id")
    if len(_VALID_IDS) < 200_000 and type(value) is str:
        _VALID_IDS.add(value)
    return value


# Far above any real title or name: a title is copied into every page and file that lists its
# record, so one of 200 KB made the site megabytes larger without a word.
MAX_TITLE_LENGTH = 500
# Category Cc but tab and newline: a terminal or a log obeys them, and the strict build refuses them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _check_title(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    if len(value) > MAX_TITLE_LENGTH:
        raise PydanticCustomError("hinted_value", "{message}", {
            "message": f"is {len(value)} characters long; the limit is {MAX_TITLE_LENGTH}",
            "hint": "shorten it to a line a reader would search for; details belong in the account"})
    found = find_invisible(value)
    if found:
        raise ValueError(f"contains an invisible or direction-changing character ({found}); remove it")
    # U+2028/U+2029 and NEL are line breaks to YAML and to some readers' tools, not just "\n".
    if any(c in value for c in "\n\u2028\u2029\x85"):
        raise ValueError("must be one line")
    return value


def _check_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("must not be empty")
    control = _CONTROL.search(value)
    if control:
        raise PydanticCustomError("hinted_value", "{message}", {
            "message": f"contains the control character U+{ord(control.group()):04X}",
            "hint": "remove it (a YAML escape such as \\x1b or \\a writes one)"})
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
    problem = host_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _check_coordinates(value: tuple[float, float]) -> tuple[float, float]:
    lat, lon = value
    # YAML reads .nan and .inf as floats; NaN passes no comparison, so say it plainly.
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValueError("coordinates must be finite numbers, not .nan or .inf")
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
# group: people the content knows only together (unnamed researchers, a leader's allies), neither
# one person nor a formal body.
ActorKind = Literal["person", "group", "state", "government-body", "armed-force", "armed-group",
                    "political-party", "organisation", "media"]
PlaceKind = Literal["site", "town", "district", "governorate", "region", "country"]
SourceKind = Literal["news", "analysis", "official-statement", "report", "social-media", "book", "other"]
AffiliationRelation = Literal["member-of", "leader-of", "commander-of", "part-of", "backed-by", "allied-with"]

# How each affiliation reads when a vocabulary does not reword it: the label after "<actor> is"
# ("Turkey is a member of NATO"), the inverse as the heading on the other actor's page ("Members").
AFFILIATION_WORDS: dict[str, tuple[str, str]] = {
    "member-of": ("A member of", "Members"),
    "leader-of": ("The leader of", "Led by"),
    "commander-of": ("The commander of", "Commanded by"),
    "part-of": ("Part of", "Made up of"),
    "backed-by": ("Backed by", "Backs"),
    "allied-with": ("Allied with", "Allies"),
}

# The one place the kinds of actor, place and source get the words readers see.
KIND_LABELS: dict[str, str] = {
    "person": "Person", "group": "Group", "state": "State", "government-body": "Government body",
    "armed-force": "Armed force", "armed-group": "Armed group", "political-party": "Political party",
    "organisation": "Organisation", "media": "Media",
    "site": "Site", "town": "Town", "district": "District", "governorate": "Governorate",
    "region": "Region", "country": "Country",
    "news": "News", "analysis": "Analysis", "official-statement": "Official statement", "report": "Report",
    "social-media": "Social media", "book": "Book", "other": "Other",
}
