"""Only the repository's own regular files are published: no symbolic link in what the site reads.

MkDocs copies every file of the docs folder and of the theme's custom_dir into the site, following
links, and the pipeline reads the contributor's guide. A link committed there (to /etc/..., to
/proc/self/environ, to ../.git/config, which can hold a CI job's token, or to a whole folder)
would be published as if it were a page or an asset, and a dangling one crashes MkDocs' copy. A
review shows a link as one line of text, so every link is refused, whatever it points to:
the content folder's own walk (content/loader.py) refuses those that leave it.

One os.scandir walk per folder, no file is opened: the entries say whether they are links.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from timeweave.errors import ContentError

FILE_FIX = "replace the link with the file itself"
FOLDER_FIX = "replace the link with the folder itself (its files, copied)"
DANGLING_FIX = "remove the link, or replace it with the file it meant"
REFUSED = "the site publishes only the repository's own files"  # how each of these errors ends


def published_file_problems(root: Path, paths: Iterable[Path | None] = (),
                            folders: Iterable[Path | None] = ()) -> list[ContentError]:
    """Every symbolic link among paths and folders, between root and each of them, and anywhere
    below folders, as errors sorted by path (None: nothing to check). A path that does not exist
    is left to whoever reads it. One named outside root (an absolute path on the command line, or
    `../` in mkdocs.yml, which can run code through its hooks anyway) is the caller's choice, but
    no link is followed below it either."""
    root = Path(os.path.abspath(root))
    problems: dict[str, ContentError] = {}
    for path in paths:
        if path is not None:
            _check_path(Path(os.path.abspath(path)), root, problems)
    for path in folders:
        if path is None:
            continue
        folder = Path(os.path.abspath(path))
        if _check_path(folder, root, problems) and folder.is_dir():
            _walk(folder, root, problems)
    return sorted(problems.values())


def _check_path(path: Path, root: Path, problems: dict[str, ContentError]) -> bool:
    """False when path, or a folder between root and it, is a link (reported)."""
    steps = [path]
    if path.is_relative_to(root):
        steps = [root.joinpath(*path.relative_to(root).parts[:n])
                 for n in range(1, len(path.relative_to(root).parts) + 1)]
    for step in steps:
        if step.is_symlink():
            _report(step, root, problems)
            return False
    return True


def _walk(folder: Path, root: Path, problems: dict[str, ContentError]) -> None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:  # a folder that cannot be listed is not published either
        return
    for entry in entries:
        path = folder / entry.name
        if entry.is_symlink():
            _report(path, root, problems)
        elif entry.is_dir(follow_symlinks=False):
            _walk(path, root, problems)


def _report(link: Path, root: Path, problems: dict[str, ContentError]) -> None:
    shown = _shown(link, root)
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    resolved = Path(os.path.realpath(link))
    if not os.path.exists(link):
        message, hint = f"symbolic link to '{target}', which does not exist", DANGLING_FIX
    elif resolved.is_dir():
        message, hint = f"symbolic link to the folder '{target}'", FOLDER_FIX
    else:
        message, hint = f"symbolic link to '{target}'", FILE_FIX
    if not resolved.is_relative_to(root):
        message += ", outside the project"
    problems[shown] = ContentError(shown, 1, "", f"{message}: {REFUSED}", hint)


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
