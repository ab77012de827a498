"""Content errors: every problem names its file, line and field, and all are reported at once."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class ContentError:
    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" fails the build; "warning" is reported and lets it pass

    def format(self) -> str:
        # Field names and messages quote content (keys, values): one error must stay one line of
        # `path:line: field: message`, whatever a hostile key or value contains.
        field = self.field or "(file)"
        if not _PLAIN_FIELD.fullmatch(field):  # fullmatch: "$" would accept a trailing newline
            field = repr(field)
        text = f"{_one_line(self.path)}:{self.line}: {field}: {_one_line(self.message)}"
        if self.hint:
            text += f" (hint: {_one_line(self.hint)})"
        if self.severity != "error":
            text = f"{text} [{self.severity}]"
        return text

    def format_github(self) -> str:
        # GitHub workflow commands: the message part must escape %, CR and LF; properties also , and :
        # Other controls (and the bidi ones) are shown as \uXXXX, as format() does: a log line must
        # not be rewritten by what a hostile value contains.
        def prop(value: str) -> str:
            return _one_line(data(value).replace(":", "%3A").replace(",", "%2C"))

        def data(value: str) -> str:
            return _one_line(value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))

        level = "error" if self.severity == "error" else "warning"
        body = f"{self.field}: {self.message}" if self.field else self.message
        if self.hint:
            body += f" (hint: {self.hint})"
        return f"::{level} file={prop(self.path)},line={self.line},title={prop(self.field or 'content')}::{data(body)}"


_PLAIN_FIELD = re.compile(r"[\w.\[\]()-]+")
# Line breaks, controls and the bidi controls that reorder what a terminal shows.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _one_line(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class ContentErrors(Exception):
    """Raised once, with every error found, when content cannot be built."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = sorted(errors)
        super().__init__(format_errors(self.errors))


def format_errors(errors: Iterable[ContentError]) -> str:
    errors = sorted(errors)
    lines = [e.format() for e in errors]
    n_err = sum(1 for e in errors if e.severity == "error")
    n_warn = len(errors) - n_err
    lines.append(f"{n_err} error(s), {n_warn} warning(s)")
    return "\n".join(lines)


def errors_as_json(errors: Iterable[ContentError]) -> str:
    return json.dumps([asdict(e) for e in sorted(errors)], ensure_ascii=False, indent=2)


def did_you_mean(wrong: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest known value, or the empty string."""
    matches = difflib.get_close_matches(wrong, list(candidates), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'?" if matches else ""


class ErrorLog:
    """Collects errors across every stage; nothing stops at the first one."""

    def __init__(self) -> None:
        self.items: list[ContentError] = []

    def add(self, path: str, line: int, field: str, message: str, hint: str = "",
            severity: str = "error") -> None:
        self.items.append(ContentError(path, line, field, message, hint, severity))

    def extend(self, errors: Iterable[ContentError]) -> None:
        self.items.extend(errors)

    @property
    def errors(self) -> list[ContentError]:
        return sorted(e for e in self.items if e.severity == "error")

    @property
    def warnings(self) -> list[ContentError]:
        return sorted(e for e in self.items if e.severity != "error")

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentErrors(self.items)
