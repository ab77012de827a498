"""Versions from git: when each content file was first published and last changed, and by which commits.

Git is read once per build, whatever the number of files: one `git log --name-status` over every
Markdown file below the project root, parsed here (10,000 events must not mean 10,000 processes).
A checkout without history (a tarball, a folder outside any repository, a repository with no
commits) still builds: `History.available` is False and `reason` says why, for the build to say
once. Dates are committer dates, the day a change landed, so the same commit gives the same bytes
whenever it is built; nothing here reads the clock.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath

# Control characters cannot appear in a commit hash or date, and a subject (%s) is one line, so
# these separators and "one header line per commit" cannot be confused with the data.
_RECORD = "\x1e"
_FIELD = "\x1f"
LOG_FORMAT = f"{_RECORD}%H{_FIELD}%cI{_FIELD}%s"
SHORT = 7


@dataclass(frozen=True)
class Change:
    commit: str
    date: str  # ISO 8601 with the committer's UTC offset, as git gives it
    subject: str
    path: str  # the file's path at that commit, relative to the project root

    @property
    def short(self) -> str:
        return self.commit[:SHORT]

    @property
    def day(self) -> str:
        return self.date[:10]

    @property
    def moment(self) -> datetime:
        return datetime.fromisoformat(self.date)


@dataclass(frozen=True)
class FileHistory:
    changes: tuple[Change, ...]  # newest first

    @property
    def last(self) -> Change:
        return self.changes[0]

    @property
    def first(self) -> Change:
        return self.changes[-1]


@dataclass
class History:
    available: bool
    reason: str = ""  # why there is no history, in words for the build log
    prefix: str = ""  # the project root inside the repository ("" when it is the top)
    shallow: bool = False
    files: dict[str, tuple[Change, ...]] = field(default_factory=dict)  # path -> changes, newest first
    gone: dict[str, Change] = field(default_factory=dict)  # path deleted since -> the deleting change
    latest: Change | None = None

    def of(self, path: str, former_paths: Iterable[str] = ()) -> FileHistory | None:
        """The history of the file at `path`, joined with that of the files it replaced."""
        changes = list(self.files.get(path, ()))
        for old in former_paths:
            changes.extend(c for c in self.files.get(old, ()))
        if not changes:
            return None
        unique: dict[str, Change] = {}
        for change in changes:  # the commit that deleted the old file and added this one: once
            unique.setdefault(change.commit, change)
        ordered = sorted(unique.values(), key=lambda c: (c.moment, c.commit), reverse=True)
        return FileHistory(tuple(ordered))

    def repo_path(self, path: str) -> str:
        return self.prefix + path

    def deleted(self, folder: str, stem: str) -> tuple[str, Change] | None:
        """A deleted Markdown file below `folder` (any depth) named `stem`.md, newest deletion first."""
        found = [(c.moment, path, c) for path, c in self.gone.items()
                 if PurePosixPath(path).stem == stem and path.startswith(folder.rstrip("/") + "/")]
        if not found:
            return None
        _, path, change = max(found, key=lambda item: (item[0], item[1]))
        return path, change

    @property
    def notice(self) -> str:
        """What the build should say once, or the empty string."""
        if not self.available:
            return (f"no git history ({self.reason}): pages are built without first-published and "
                    "last-updated dates, change histories or cited versions")
        if self.shallow:
            return ("shallow git clone: history stops at the clone's depth, so first-published dates may "
                    "be too late (fetch the full history, e.g. `fetch-depth: 0` in CI)")
        return ""


def parse_log(text: str, prefix: str = "", shallow: bool = False) -> History:
    """Parse `git log --topo-order -M --name-status --format=LOG_FORMAT` (newest commit first).

    Renames are followed: a change to the file under its old name belongs to the file's history."""
    became: dict[str, str] = {}  # older path -> the path it has now
    files: dict[str, list[Change]] = defaultdict(list)
    gone: dict[str, Change] = {}
    seen: set[str] = set()
    latest: Change | None = None
    commit = date = subject = ""
    for line in text.split("\n"):
        if line.startswith(_RECORD):
            commit, date, subject = (line[1:].split(_FIELD, 2) + ["", ""])[:3]
            subject = "".join(ch if ch.isprintable() else " " for ch in subject).strip()
            continue
        if not line or not commit or "\t" not in line:
            continue
        status, *paths = line.split("\t")
        if any(p.startswith('"') for p in paths):
            continue  # git quotes names with control characters: never a valid content file
        if status.startswith("R") and len(paths) == 2:
            old, new = paths
            current = became.get(new, new)
            became[old] = current
            path = new
        else:
            path = paths[-1]
            current = became.get(path, path)
        change = Change(commit, date, subject, path)
        if current not in seen:
            seen.add(current)
            if status == "D":
                gone[current] = change
        files[current].append(change)
        if latest is None or change.moment > latest.moment:
            latest = change
    return History(True, prefix=prefix, shallow=shallow,
                   files={path: tuple(changes) for path, changes in sorted(files.items())},
                   gone=dict(sorted(gone.items())), latest=latest)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    git = shutil.which("git") or "git"
    # Settings that would change the output format are pinned whatever the user's configuration.
    return subprocess.run(
        [git, "-C", str(root), "-c", "core.quotePath=true", "-c", "log.showSignature=false",
         "-c", "diff.renames=true", *args],
        capture_output=True, text=True, encoding="utf-8", errors="replace", check=False,
    )


def _pathspecs(root: Path, sources: Sequence[Path]) -> list[str]:
    """Git pathspecs of the Markdown files below root, or of what sources names below it."""
    specs = []
    for source in sources:
        try:
            relative = source.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:  # outside the repository's folder: git knows nothing of it
            continue
        specs.append(f":(glob){relative}/**" if source.is_dir() else f":(literal){relative}")
    return specs or ["*.md"]


def load_history(root: Path, sources: Sequence[Path] = ()) -> History:
    """Every Markdown file's history below `root`, from one `git log`; never raises. sources: the
    files and folders the site is made of (content, hand-written pages, the guide); given, only
    their history counts, so that editing a README or a test changes no published page's date."""
    if shutil.which("git") is None:
        return History(False, "git is not installed")
    try:
        probe = _git(root, "rev-parse", "--show-prefix", "--is-shallow-repository")
        if probe.returncode != 0:
            first = (probe.stderr.strip().splitlines() or ["not a git repository"])[0]
            return History(False, first.removeprefix("fatal: "))
        lines = probe.stdout.split("\n")
        prefix, shallow = lines[0].strip(), (lines[1].strip() == "true" if len(lines) > 1 else False)
        log = _git(root, "log", "--topo-order", "-M", "--name-status", "--relative", "--no-color",
                   f"--format={LOG_FORMAT}", "--", *_pathspecs(root, sources))
    except OSError as exc:
        return History(False, f"git could not run: {exc}")
    if log.returncode != 0:
        first = (log.stderr.strip().splitlines() or ["git log failed"])[0]
        return History(False, first.removeprefix("fatal: "))
    history = parse_log(log.stdout, prefix, shallow)
    if not history.files:
        return History(False, "no content file has been committed yet", prefix=prefix)
    return history
