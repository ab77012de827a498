"""What loading content gives: the raw record of a file (its data, body and the YAML line of every
key and list item), the result of loading a folder, and the rules for ids, folders and the
vocabulary file.

Apart from loader.py because most of the package works with records without reading any file:
the models, the checks and the catalog need these names, not the file walk or the parallel reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from timeweave.content.yamlread import Loc, parse_yaml
from timeweave.errors import ContentError, ErrorLog
from timeweave.kinds import KINDS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 80
# Ids that would put a record page on top of a generated index page: actors/index.md is the actor
# list, tags/index.md the tag list, types/index.md the vocabulary page.
RESERVED_IDS = frozenset({"index"})

# Folder under content/ -> record kind.
KIND_FOLDERS = {kind.content_folder: kind.name for kind in KINDS}
VOCABULARY_FILE = "vocabulary.yml"


@dataclass(frozen=True)
class RawRecord:
    kind: str
    id: str
    path: str
    data: dict[str, Any]
    # The YAML line of every key and list item, or None until a line is first asked for: the fast
    # reader gives none, and they are then found by parsing front_matter again (most records never
    # need one: only a problem is reported with its line).
    known_lines: dict[Loc, int] | None = field(compare=False)
    body: str = ""
    body_line: int = 1
    front_matter: str = field(default="", compare=False)  # the YAML between the '---' lines, from line 2

    @property
    def lines(self) -> dict[Loc, int]:
        if self.known_lines is None:
            found = parse_yaml(self.front_matter, self.path, ErrorLog(), offset=1)
            # The fast reader took only text the exact one reads the same (tests/content/test_fast_yaml.py),
            # so the second parse succeeds; were it ever to fail, lines fall back to the file's top.
            object.__setattr__(self, "known_lines", found[1] if found is not None else {(): 2})
        return self.known_lines  # type: ignore[return-value]

    def line_of(self, loc: Loc) -> int:
        """The line of the deepest known key or item on the way to loc (1 for the file's start)."""
        lines = self.lines
        loc = tuple(loc)
        while loc:
            if loc in lines:
                return lines[loc]
            loc = loc[:-1]
        return lines.get((), 1)


# A check of one record that needs nothing but the record (see load_content's check).
RecordCheck = Callable[["RawRecord"], list[ContentError]]


@dataclass
class LoadResult:
    records: list[RawRecord] = field(default_factory=list)
    vocabulary: RawRecord | None = None
    errors: ErrorLog = field(default_factory=ErrorLog)
    unreadable: set[tuple[str, str]] = field(default_factory=set)  # (kind, id) of files that failed to load
    # id(record) -> (that record, what load_content's check found in it), when it was given one.
    checked: dict[int, tuple[RawRecord, list[ContentError]]] = field(default_factory=dict)
    # id(record) -> (that record, what load_content's check_here made of it), for the records it ran on.
    kept: dict[int, tuple[RawRecord, Any]] = field(default_factory=dict)

    def checked_problems(self, record: RawRecord) -> list[ContentError] | None:
        hit = self.checked.get(id(record))
        return list(hit[1]) if hit is not None and hit[0] is record else None

    def kept_for(self, record: RawRecord) -> Any:
        """What check_here returned for record, or None if it did not run on it."""
        hit = self.kept.get(id(record))
        return hit[1] if hit is not None and hit[0] is record else None
