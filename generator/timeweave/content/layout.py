"""What the content folder may hold besides records, and what the walk refuses to skip quietly.

The folder holds the kinds' folders (timeweave.kinds), the vocabulary and, allowed and never
read, a README.md for contributors and the files of tools (.gitkeep, .DS_Store...). Anything else
is an error, not a file left out without a word: a misspelled folder (content/event/), a record
directly in content/, a hidden file or folder, a '.MD' extension; a file with another extension
below a kind's folder stays a warning (loader.py), as it was.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from timeweave.content.records import KIND_FOLDERS, VOCABULARY_FILE
from timeweave.errors import ErrorLog
from timeweave.kinds import KINDS

# Directly in the content folder, besides the kinds' folders and the vocabulary: a note for
# contributors about the folder is legitimate and is not a record (nothing publishes it).
CONTENT_NOTES = frozenset({"README.md"})


def refused_name(name: str, shown: str, errors: ErrorLog) -> bool:
    """Whether a file is one the walk must not read: a hidden file (an error when it ends in .md,
    since nothing would publish it; others, .gitkeep or an editor's .x.md.swp, are tools' files)
    or a '.md' in the wrong case."""
    stem, dot, extension = name.rpartition(".")
    if name.startswith("."):
        if extension.lower() == "md":
            errors.add(shown, 1, "", "hidden file: it is not read, so the record would never be published",
                       f"rename it to {name.lstrip('.')} (or delete it)")
        return True
    if dot and extension != "md" and extension.lower() == "md":
        errors.add(shown, 1, "", f"the extension '.{extension}' is not read: content files end in lowercase .md",
                   f"rename it to {stem}.md")
        return True
    return False


def hidden_folder(shown: str, errors: ErrorLog) -> None:
    # .git: content kept as a repository of its own (a clone or a submodule) is not a drop.
    if shown.rpartition("/")[2] == ".git":
        return
    errors.add(shown, 1, "", "hidden folder: the files in it are not read",
               "move its files into the folder above (or delete it)")


def unknown_entries(content_dir: Path, root: Path, errors: ErrorLog) -> None:
    """What the content folder holds besides the kinds' folders and the vocabulary, each an error:
    nothing below would be read, and 'content is valid' would say nothing was lost."""
    try:
        with os.scandir(content_dir) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return
    folders = sorted(KIND_FOLDERS)
    for entry in entries:
        name, shown = entry.name, shown_path(content_dir / entry.name, root)
        try:
            is_folder = entry.is_dir()
        except OSError:
            is_folder = False
        if is_folder:
            if name in KIND_FOLDERS:
                continue
            if name.startswith("."):
                hidden_folder(shown, errors)
                continue
            close = difflib.get_close_matches(name.lower(), folders, n=1, cutoff=0.6)
            where = f"content/{close[0]}/" if close else ", ".join(f"content/{f}/" for f in folders)
            errors.add(shown, 1, "", f"'{name}/' is not a content folder: the files in it are not read",
                       f"did you mean {where}?" if close else f"content files live in {where}")
            continue
        if name == VOCABULARY_FILE or name in CONTENT_NOTES or refused_name(name, shown, errors):
            continue
        close = difflib.get_close_matches(name.lower(), [VOCABULARY_FILE], n=1, cutoff=0.6)
        hint = (f"did you mean content/{VOCABULARY_FILE}?" if close else
                "move it to " + ", ".join(f"content/{kind.file_pattern}" for kind in KINDS)
                if name.endswith(".md") else "remove it: only the vocabulary and the kinds' folders belong here")
        errors.add(shown, 1, "", "files directly in the content folder are not read", hint)



def shown_path(path: Path, root: Path) -> str:
    """path as errors show it: relative to root when it is below it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
