"""`validate --changed`: the errors a pull request is responsible for.

The set checked is every content file that differs from the base branch (committed on this branch,
staged, unstaged or untracked, deleted ones included) plus every record that refers to one of them:
an edited or deleted actor puts the events that name it in the set, because that is where a broken
reference shows. Cross-reference checks need the whole catalog, so everything is still loaded and
validated; only the report is narrowed to the set.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from timeweave.content.records import VOCABULARY_FILE, LoadResult, RawRecord
from timeweave.errors import ContentError
from timeweave.kinds import KIND_BY_CONTENT_FOLDER


class GitError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    if done.returncode != 0:
        raise GitError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


def changed_paths(root: Path, base: str) -> set[str]:
    """Paths (relative to root, POSIX) that differ from base: the branch's commits since it left base
    (base...HEAD, so later commits on base are not counted), plus staged, unstaged and untracked."""
    top = Path(_git(["rev-parse", "--show-toplevel"], root).strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], root)
    except GitError:
        raise GitError(f"the base '{base}' is not a branch or commit here; pass --base "
                       f"(for example --base origin/{base} after `git fetch`)") from None
    names: set[str] = set()
    # git diff names paths from the top of the repository, ls-files from where it runs; without
    # --no-renames a renamed file would list only its new name, and the old id is what others name.
    for args, cwd in ((["diff", "--name-only", "--no-renames", "-z", f"{base}...HEAD"], top),
                      (["diff", "--name-only", "--no-renames", "-z", "HEAD"], top),
                      (["ls-files", "--others", "--exclude-standard", "-z"], root)):
        for name in filter(None, _git(args, cwd).split("\0")):
            try:
                names.add((cwd / name).resolve().relative_to(root.resolve()).as_posix())
            except ValueError:
                continue  # outside the folder being validated
    return names


@dataclass(frozen=True)
class RecordKey:
    kind: str
    id: str


def key_of_path(path: str, content: str) -> RecordKey | None:
    """The record a content path holds (existing or deleted), from its folder and file name."""
    parts = PurePosixPath(path).parts
    prefix = PurePosixPath(content).parts
    if parts[: len(prefix)] != prefix or len(parts) < len(prefix) + 2 or not path.endswith(".md"):
        return None
    kind = KIND_BY_CONTENT_FOLDER.get(parts[len(prefix)])
    return RecordKey(kind.name, PurePosixPath(path).stem) if kind else None


def references(raw: RawRecord) -> Iterator[RecordKey]:
    """Every record this raw (possibly invalid) record names, read from its data as written."""
    data = raw.data

    def items(key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []

    def one(kind: str, value: Any) -> Iterator[RecordKey]:
        if isinstance(value, str):
            yield RecordKey(kind, value)

    former = data.get("former_ids")
    for old in former if isinstance(former, list) else []:
        yield from one(raw.kind, old)
    if raw.kind == "event":
        yield from one("place", data.get("place"))
        yield from one("event", data.get("merged_into"))
        for item in items("actors"):
            yield from one("actor", item.get("actor"))
        for item in items("sources") + items("casualties"):
            yield from one("source", item.get("source"))
        for item in items("related"):
            yield from one("event", item.get("event"))
    elif raw.kind == "actor":
        for item in items("affiliations"):
            yield from one("actor", item.get("actor"))
    elif raw.kind == "place":
        yield from one("place", data.get("within"))


@dataclass
class Selection:
    changed: set[str]                                  # changed paths under the content folder
    paths: set[str] = field(default_factory=set)       # every path whose errors are reported
    referrers: set[str] = field(default_factory=set)   # paths added because they refer to a change
    everything: bool = False                           # the vocabulary changed: all records depend on it

    def covers(self, error: ContentError) -> bool:
        # A folder's error (content/event/: no such content folder) is the change's when it holds
        # a changed file: the file itself is never read, so it has no error of its own.
        return self.everything or error.path in self.paths or any(
            path.startswith(f"{error.path}/") for path in self.changed)


def select(loaded: LoadResult, changed: Iterable[str], content: str) -> Selection:
    """The changed content files and the records that refer to them."""
    content = PurePosixPath(content).as_posix()
    in_content = {p for p in changed if PurePosixPath(p).is_relative_to(content)}
    selection = Selection(changed=in_content, paths=set(in_content))
    if f"{content}/{VOCABULARY_FILE}" in in_content:
        selection.everything = True
    keys = {key for key in (key_of_path(p, content) for p in in_content) if key is not None}
    for raw in loaded.records:
        mine = RecordKey(raw.kind, raw.id)
        if mine in keys:
            selection.paths.add(raw.path)  # a duplicate id elsewhere is part of the same problem
        elif any(ref in keys for ref in references(raw)):
            selection.paths.add(raw.path)
            selection.referrers.add(raw.path)
    return selection


def relative_content(content_dir: Path, root: Path) -> str:
    try:
        return content_dir.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return content_dir.as_posix()
