"""Read content files: the walk of the content folder, each file's text, front matter and Markdown
body, and load_content, which turns the folder into records (in this process, or shared with a
second one through the runner).

The loader is the first line of defence against hostile files: it refuses oversized or non-UTF-8
files, files with NUL, anything that is not a regular file, and symbolic links that leave the
content folder; front matter goes to the fast reader (fastyaml.py) or to the exact, safe one
(yamlread.py). It never raises on bad input: every problem becomes a ContentError and the file is
skipped, so the validator can report all of them at once.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from timeweave.content.fastyaml import read_front_matter
from timeweave.content.layout import hidden_folder, refused_name, shown_path, unknown_entries
from timeweave.content.records import (
    ID_PATTERN,
    KIND_FOLDERS,
    MAX_ID_LENGTH,
    RESERVED_IDS,
    VOCABULARY_FILE,
    LoadResult,
    RawRecord,
    RecordCheck,
)
from timeweave.content.yamlread import Loc, parse_yaml
from timeweave.errors import ContentError, ErrorLog
from timeweave.parallel.runner import SERIAL, Runner

MAX_FILE_BYTES = 256 * 1024


def read_text(path: Path, shown: str, errors: ErrorLog, content_dir: Path | None = None) -> str | None:
    """The file's text, or None with an error: links leaving content_dir, anything that is not a
    regular file (a link to /dev/zero reports size 0 and never ends), over MAX_FILE_BYTES, not
    UTF-8, or containing NUL. Line ends become \\n, so line numbers match what editors show."""
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            if content_dir is not None and not _inside(path, content_dir):
                errors.add(shown, 1, "", "symbolic link leaves the content folder",
                           "replace the link with the file itself")
                return None
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            errors.add(shown, 1, "", "not a regular file", "content files are plain text files")
            return None
        if info.st_size > MAX_FILE_BYTES:
            raise _TooBig(info.st_size)
        # Read one byte more than allowed rather than trust st_size, which can change under us.
        # os-level calls: pathlib and a buffered file object cost more than reading 12,000 small files.
        # Non-blocking: a file swapped for a named pipe since the stat cannot hang the build.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
        try:
            raw = b""
            while len(raw) <= MAX_FILE_BYTES and (chunk := os.read(handle, MAX_FILE_BYTES + 1 - len(raw))):
                raw += chunk
        finally:
            os.close(handle)
        if len(raw) > MAX_FILE_BYTES:
            raise _TooBig(len(raw))
    except _TooBig as big:
        errors.add(shown, 1, "", f"file is {big.size} bytes; the limit is {MAX_FILE_BYTES}",
                   "split the account or move long material to a source")
        return None
    except OSError as exc:
        errors.add(shown, 1, "", f"cannot read file: {exc.strerror or exc}")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        errors.add(shown, line, "", f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
                   "save the file as UTF-8")
        return None
    if "\x00" in text:
        errors.add(shown, text[: text.index("\x00")].count("\n") + 1, "", "file contains a NUL character")
        return None
    # A lone CR is a line break to YAML too; keeping it would shift every later line number.
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class _TooBig(Exception):
    def __init__(self, size: int):
        super().__init__(size)
        self.size = size


_FENCE = re.compile(r"^---[^\S\n]*$", re.M)  # a '---' line, trailing whitespace allowed
_BLANK_LINES = re.compile(r"(?:[^\S\n]*\n)*")


def split_front_matter(text: str, shown: str, errors: ErrorLog) -> tuple[str, str, int] | None:
    """Return (yaml_text, body, body_line): front matter sits between the first two '---' lines;
    body_line is the line of the body's first non-blank line."""
    opening = _FENCE.match(text)
    if opening is None:
        errors.add(shown, 1, "", "missing front matter: the file must start with a '---' line",
                   "copy the layout of an existing file or run `python -m timeweave new`")
        return None
    closing = _FENCE.search(text, opening.end() + 1)
    if closing is None:
        errors.add(shown, 1, "", "front matter is not closed: add a '---' line after it")
        return None
    yaml_text = text[opening.end() + 1 : closing.start() - 1]
    body_line = text.count("\n", 0, closing.start()) + 2
    if closing.end() < len(text):
        rest = text[closing.end() + 1 :]
        blank = _BLANK_LINES.match(rest).end()  # type: ignore[union-attr]
        body_line += rest.count("\n", 0, blank) + (0 if rest[blank:].strip() else 1)
        return yaml_text, rest.strip("\n"), body_line
    return yaml_text, "", body_line


def load_record(path: Path, kind: str, shown: str, errors: ErrorLog,
                content_dir: Path | None = None) -> RawRecord | None:
    text = read_text(path, shown, errors, content_dir)
    if text is None:
        return None
    parts = split_front_matter(text, shown, errors)
    if parts is None:
        return None
    yaml_text, body, body_line = parts
    data = read_front_matter(yaml_text)
    if data is not None:
        return RawRecord(kind, path.stem, shown, data, None, body, body_line, yaml_text)
    parsed = parse_yaml(yaml_text, shown, errors, offset=1)
    if parsed is None:
        return None
    data, lines = parsed
    if not isinstance(data, dict):
        errors.add(shown, 2, "", "front matter must be a mapping of fields (key: value)")
        return None
    return RawRecord(kind, path.stem, shown, data, lines, body, body_line, yaml_text)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _walk(folder: Path, content_dir: Path, root: Path, errors: ErrorLog) -> list[tuple[Path, str, int]]:
    """Every .md file below folder, sorted, refusing links that leave the content folder: (path,
    path shown in errors, how many parts its path below folder has). Walked with os.scandir, whose
    entries know whether they are links without a system call per file."""
    found: list[tuple[tuple[str, ...], Path, str]] = []

    def visit(here: Path, below: tuple[str, ...]) -> None:
        try:
            with os.scandir(here) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # as os.walk: a folder that cannot be listed is skipped
            return
        folders: list[os.DirEntry[str]] = []
        files: list[os.DirEntry[str]] = []
        for entry in entries:
            try:
                is_folder = entry.is_dir()  # a link to a folder counts as one, as in os.walk
            except OSError:
                is_folder = False
            (folders if is_folder else files).append(entry)
        subfolders = []
        for entry in folders:
            if entry.is_symlink():
                errors.add(shown_path(here / entry.name, root), 1, "", "symbolic links to folders are not followed",
                           "move the files into the content folder")
            elif entry.name.startswith("."):
                hidden_folder(shown_path(here / entry.name, root), errors)
            else:
                subfolders.append(entry.name)
        here_shown = shown_path(here, root)
        for entry in files:
            name = entry.name
            candidate = here / name
            if refused_name(name, shown_path(candidate, root), errors):
                continue
            if entry.is_symlink() and not _inside(candidate, content_dir):
                errors.add(shown_path(candidate, root), 1, "", "symbolic link leaves the content folder",
                           "replace the link with the file itself")
                continue
            if not name.endswith(".md"):
                errors.add(shown_path(candidate, root), 1, "", "ignored: content files end in .md",
                           severity="warning")
                continue
            shown = name if here_shown == "." else f"{here_shown}/{name}"
            found.append((below + (name,), candidate, shown))
        for name in subfolders:
            visit(here / name, below + (name,))

    visit(folder, ())
    # Sorted as the paths themselves sort, part by part (not as strings: '-' sorts before '/').
    found.sort(key=lambda entry: entry[0])
    return [(candidate, shown, len(parts)) for parts, candidate, shown in found]


# path -> (file signature, (kind, shown path), record or None, the problems it had): lets a
# long-running preview re-read only the files that changed (see generator/timeweave/site/incremental.py).
FileCache = dict[str, tuple[tuple[int, ...], tuple[str, str], "RawRecord | None", list[ContentError]]]


def _signature(path: Path) -> tuple[int, ...] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def load_content(content_dir: Path, root: Path | None = None, cache: FileCache | None = None,
                 check: RecordCheck | None = None, check_here: Callable[[RawRecord], Any] | None = None,
                 runner: Runner = SERIAL) -> LoadResult:
    """Read every record below content_dir. Paths in errors are relative to root (default: its parent).

    With a cache, a file whose size and times have not changed since the last call is not read
    again: its record and problems come from the cache (which keeps only the files seen now).
    Without one, the runner may share the reading with a second process; the result is the same,
    and check, if given, runs on each record in the process that read it (result.checked).
    check_here (never returning None) runs in this process only, on every record, those the other
    process read included as they arrive: what it gives need not be picklable (result.kept)."""
    content_dir = Path(content_dir)
    root = Path(root) if root is not None else content_dir.parent
    result = LoadResult()
    errors = result.errors
    if not content_dir.is_dir():
        errors.add(shown_path(content_dir, root), 1, "", "content folder not found")
        return result
    vocab_path = content_dir / VOCABULARY_FILE
    shown_vocab = shown_path(vocab_path, root)
    if vocab_path.is_file() or vocab_path.is_symlink():
        text = read_text(vocab_path, shown_vocab, errors, content_dir)
        if text is not None:
            parsed = parse_yaml(text, shown_vocab, errors)
            if parsed is not None:
                data, lines = parsed
                if isinstance(data, dict):
                    result.vocabulary = RawRecord("vocabulary", "vocabulary", shown_vocab, data, lines)
                else:
                    errors.add(shown_vocab, 1, "", "the vocabulary must be a mapping")
    else:
        errors.add(shown_vocab, 1, "", "vocabulary file not found",
                   "create content/vocabulary.yml with event_types, actor_roles, relations, "
                   "annotation_kinds and statuses")
    unknown_entries(content_dir, root, errors)
    seen: set[str] = set()
    # (where its problems go in errors.items, path, kind, shown path) of each file left to read.
    tasks: list[tuple[int, Path, str, str]] = []
    for folder_name, kind in KIND_FOLDERS.items():
        folder = content_dir / folder_name
        if folder.is_symlink():
            errors.add(shown_path(folder, root), 1, "", "symbolic links to folders are not followed",
                       "move the files into the content folder")
            continue
        if not folder.is_dir():
            continue
        for path, shown, depth in _walk(folder, content_dir, root, errors):
            record_id = path.name[:-3]  # the stem: every name here ends with .md
            if len(record_id) > MAX_ID_LENGTH or not ID_PATTERN.match(record_id):
                errors.add(shown, 1, "id",
                           f"file name '{path.name}' is not a valid id",
                           "use lowercase ASCII letters, digits and single hyphens, at most "
                           f"{MAX_ID_LENGTH} characters, e.g. 'turkish-soldiers-killed-in-idlib.md'")
                continue
            if record_id in RESERVED_IDS:
                errors.add(shown, 1, "id", f"'{record_id}' is reserved for the list pages",
                           "choose a more specific file name")
                continue
            if kind == "event" and depth != 2:
                errors.add(shown, 1, "id", "event files live in a folder named after their year",
                           f"move it to {folder_name}/<year>/{path.name}")
                result.unreadable.add((kind, record_id))
                continue
            if kind != "event" and depth != 1:
                errors.add(shown, 1, "id", f"{kind} files live directly in content/{folder_name}/",
                           f"move it to content/{folder_name}/{path.name}")
                result.unreadable.add((kind, record_id))
                continue
            if cache is None:
                tasks.append((len(errors.items), path, kind, shown))
                continue
            # No check here: the preview's record cache already knows the unchanged files' problems.
            record = _load_cached(path, kind, shown, errors, cache, seen, content_dir)
            if record is not None:
                result.records.append(record)
            else:
                result.unreadable.add((kind, record_id))
    if cache is not None:
        for stale in set(cache) - seen:
            del cache[stale]
    if tasks:
        _gather(result, tasks, _load_all(tasks, content_dir, check, check_here, runner), check is not None)
    return result


# What reading one file gave: the record (from the other process, its fields: a tuple pickles
# faster than the dataclass) or None, the problems of the file, what check found in the record,
# and what check_here made of it (None as the other process sends it; _adopted runs it here).
_Fields = tuple[str, str, str, dict[str, Any], dict[Loc, int] | None, str, int, str]
_Outcome = tuple[RawRecord | _Fields | None, list[ContentError], list[ContentError], Any]


def _load_task(path: Path, kind: str, shown: str, content_dir: Path, check: RecordCheck | None,
               check_here: Callable[[RawRecord], Any] | None) -> _Outcome:
    errors = ErrorLog()
    record = load_record(path, kind, shown, errors, content_dir)
    if record is None:
        return None, errors.items, [], None
    found = check(record) if check is not None else []
    return record, errors.items, found, check_here(record) if check_here is not None else None


def _portable(outcome: _Outcome) -> _Outcome:
    record, problems, found, _ = outcome
    if isinstance(record, RawRecord):
        record = (record.kind, record.id, record.path, record.data, record.known_lines, record.body,
                  record.body_line, record.front_matter)
    return record, problems, found, None


def _adopted(outcome: _Outcome, check_here: Callable[[RawRecord], Any] | None) -> _Outcome:
    fields, problems, found, _ = outcome
    if fields is None:
        return outcome
    record = fields if isinstance(fields, RawRecord) else RawRecord(*fields)
    return record, problems, found, check_here(record) if check_here is not None else None


def _gather(result: LoadResult, tasks: list[tuple[int, Path, str, str]], outcomes: list[_Outcome],
            checked: bool) -> None:
    """Put each file's outcome where reading it one after the other would have: records in file
    order, and each file's problems at its place among the problems found while listing files."""
    listed, merged, start = result.errors.items, [], 0
    for (position, path, kind, _), (loaded, problems, found, kept) in zip(tasks, outcomes, strict=True):
        merged.extend(listed[start:position])
        merged.extend(problems)
        start = position
        if loaded is None:
            result.unreadable.add((kind, path.stem))
            continue
        record = loaded if isinstance(loaded, RawRecord) else RawRecord(*loaded)
        result.records.append(record)
        if checked:
            result.checked[id(record)] = (record, found)
        if kept is not None:
            result.kept[id(record)] = (record, kept)
    merged.extend(listed[start:])
    result.errors.items = merged


def _load_all(tasks: list[tuple[int, Path, str, str]], content_dir: Path, check: RecordCheck | None,
              check_here: Callable[[RawRecord], Any] | None, runner: Runner) -> list[_Outcome]:
    def load(share: list[tuple[int, Path, str, str]], here: bool) -> list[_Outcome]:
        return [_load_task(path, kind, shown, content_dir, check, check_here if here else None)
                for _, path, kind, shown in share]

    return runner.share(tasks, lambda share: load(share, True),
                        lambda share: [_portable(outcome) for outcome in load(share, False)],
                        lambda outcome: _adopted(outcome, check_here))


def _load_cached(path: Path, kind: str, shown: str, errors: ErrorLog, cache: FileCache,
                 seen: set[str], content_dir: Path | None = None) -> RawRecord | None:
    key = str(path)
    seen.add(key)
    signature = _signature(path)
    hit = cache.get(key)
    if signature is not None and hit is not None and hit[0] == signature and hit[1] == (kind, shown):
        errors.extend(hit[3])
        return hit[2]
    mark = len(errors.items)
    record = load_record(path, kind, shown, errors, content_dir)
    if signature is not None:
        cache[key] = (signature, (kind, shown), record, errors.items[mark:])
    return record
