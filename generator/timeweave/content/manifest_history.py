"""What the published-URL manifest held before: at a base branch, or in any commit of this history.

The manifest only grows (site/permanence.py checks it); this reads the lines it had from git, in
one process each way: `git show BASE:<manifest>` for a pull request's base, and one
`git log -p` of the manifest alone for every line any commit of the current branch gave it.
Without git, outside a repository or with the manifest never committed, there is nothing to
compare with: None, and the check says nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from timeweave.content.history import _FIELD, _RECORD, SHORT, _git


@dataclass(frozen=True)
class PastManifest:
    """Every URL line the manifest had, and where it was seen (a base branch or a commit)."""

    lines: dict[str, str] = field(default_factory=dict)  # URL path -> "the base branch main", "commit abc1234"


def _usable(manifest: Path) -> bool:
    return shutil.which("git") is not None and manifest.parent.is_dir()


def manifest_at(manifest: Path, base: str) -> PastManifest | None:
    """The manifest's lines at `base`; empty when it did not exist there, None when git cannot say."""
    if not _usable(manifest):
        return None
    try:
        shown = _git(manifest.parent, "show", f"{base}:./{manifest.name}")
    except OSError:
        return None
    if shown.returncode != 0:
        # A base without the file (the manifest is new in this change) has nothing to lose.
        missing = "does not exist in" in shown.stderr or "exists on disk, but not in" in shown.stderr
        return PastManifest() if missing else None
    where = f"the base branch {base}"
    return PastManifest({line.strip(): where for line in shown.stdout.splitlines() if line.strip()})


def manifest_ever(manifest: Path) -> PastManifest | None:
    """Every line any commit of the current history added to or removed from the manifest (both
    were lines it had), with the newest commit that touched it; None without git or commits."""
    if not _usable(manifest):
        return None
    try:
        log = _git(manifest.parent, "log", "-p", "--no-color", "--no-ext-diff", "--unified=0",
                   f"--format={_RECORD}%H{_FIELD}", "--", f"./{manifest.name}")
    except OSError:
        return None
    if log.returncode != 0:
        return None
    return parse_manifest_log(log.stdout)


def parse_manifest_log(text: str) -> PastManifest:
    """Parse `git log -p --unified=0 --format=<record>%H<field>` of the manifest (newest first)."""
    lines: dict[str, str] = {}
    commit = ""
    for line in text.split("\n"):
        if line.startswith(_RECORD):
            commit = line[1:].split(_FIELD, 1)[0][:SHORT]
            continue
        if line.startswith(("+++", "---")) or not line.startswith(("+", "-")) or not commit:
            continue
        url = line[1:].strip()
        if url:
            lines.setdefault(url, f"commit {commit}")
    return PastManifest(lines)
