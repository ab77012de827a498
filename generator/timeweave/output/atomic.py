"""Putting a built site in place: atomically, and with timestamps that do not come from the clock.

- The site is built into a staging folder next to site/ (same file system, so a rename moves it)
  and swapped in only after the build and the link check succeeded. On Linux the swap is one
  renameat2(RENAME_EXCHANGE) call: there is no instant at which site/ is missing or half written,
  even for a web server serving it while we build. Elsewhere two renames, microseconds apart.
  Where the file system refuses both (site/ a mount point or immutable), the previous site stays
  and SwapError says so in one sentence.
- A staging folder is named after its build's process id, so a build killed outright (SIGKILL,
  power loss) leaves a folder that the next build recognises as abandoned and removes; it never
  touches the staging folder of a build that is still running.
- The previous site, once the new one is in place, is renamed to a hidden folder beside it and
  removed by a detached process (a grandchild, so that nothing waits for it): the build ends
  without waiting for thousands of files to be deleted. Named after the build's process id too, it
  is removed by the next build if that process was killed before it finished.
- SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/) is what MkDocs
  reads for the sitemap's <lastmod> dates and the gzip header of sitemap.xml.gz; unset, it uses
  the clock and two builds of the same commit differ. It is taken from the last git commit, or,
  outside a git checkout (a release tarball), from the newest modification time of the project's
  files, which a tarball preserves. A value already in the environment wins.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def staging_dir(target: Path) -> Path:
    """A fresh, empty folder beside target for this process's build; abandoned ones are removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(target)
    return Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-{os.getpid()}-", dir=target.parent))


def remove_abandoned(target: Path) -> list[Path]:
    """Remove staging and old-site folders left by builds whose process no longer exists. In the
    background: an old site whose remover is still at work (a build just before this one) would
    otherwise be deleted twice, the second time while this build waits."""
    pattern = re.compile(rf"^\.?{re.escape(target.name)}\.(?:tmp|old)-(\d+)-")
    removed = []
    for candidate in sorted(target.parent.iterdir()):
        match = pattern.match(candidate.name)
        if match and candidate.is_dir() and not _alive(int(match.group(1))):
            remove_in_background(candidate, target)
            removed.append(candidate)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, belongs to someone else
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2); False where that is not available."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return bool(renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0)


class SwapError(Exception):
    """The new site could not be put in place; the previous one, if any, is where it was."""


def swap_into_place(staging: Path, target: Path) -> None:
    """Make staging the new target; the previous target is deleted afterwards. SwapError, with the
    previous target left in place, when the file system refuses (site/ a mount point, immutable,
    in a read-only folder)."""
    os.chmod(staging, 0o755)  # mkdtemp makes it private; a site is meant to be read
    if target.exists() and _exchange(staging, target):
        remove_in_background(staging, target)  # staging now holds the previous site
        return
    old = None
    try:
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-{os.getpid()}-", dir=target.parent))
            os.rename(target, old / "site")
        os.rename(staging, target)
    except OSError as exc:
        if old is not None and (old / "site").exists() and not target.exists():
            os.rename(old / "site", target)  # the first rename went through: undo it
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        raise SwapError(f"the new site could not replace {target} ({exc.strerror or exc}); a folder that is a "
                        "mount point or immutable cannot be replaced: build into a folder of its own with "
                        "--site-dir and copy it there") from None
    if old is not None:
        remove_in_background(old, target)


def remove_in_background(folder: Path, target: Path) -> None:
    """Remove folder (a previous site of target, a build's scratch folder) without waiting for it:
    renamed out of sight first, then deleted by a detached process. Where fork is unavailable,
    deleted here."""
    hidden = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
    try:
        os.rename(folder, hidden / "site")
    except OSError:
        os.rmdir(hidden)
        hidden = folder
    try:
        child = os.fork()
    except (AttributeError, OSError):  # no fork (Windows), or no process left to make
        shutil.rmtree(hidden, ignore_errors=True)
        return
    if child == 0:  # the child: start the remover and end at once, so that the build reaps it now
        try:
            # Detached before the remover exists: once the build has reaped this child, nothing but
            # the build holds its lock or its pipes (the next build may start at once).
            _detach()
            if os.fork() == 0:
                shutil.rmtree(hidden, ignore_errors=True)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def link_or_copy(source: str | Path, target: str | Path) -> None:
    """target as a link to source, for a file neither side writes again; a copy where links cannot go."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _detach() -> None:
    """Hold none of the build's files: not its lock (output/lock.py), not the pipes of whoever
    reads its output and waits for their end."""
    os.setsid()  # out of the build's process group: a Ctrl-C of the shell leaves it be
    nothing = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(nothing, stream)
    os.closerange(3, 1 << 16)


def source_date_epoch(project: Path) -> str:
    """Seconds since 1970 of the last commit of project's git checkout, else of its newest file."""
    try:
        found = subprocess.run(["git", "-C", str(project), "log", "-1", "--format=%ct"],
                               capture_output=True, text=True, check=False, timeout=60)
        if found.returncode == 0 and found.stdout.strip().isdigit():
            return found.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = 0.0
    for folder, dirs, files in os.walk(project):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in ("site", "node_modules", "build")
                   and not d.startswith("site.")]
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime)
            except OSError:
                continue
    return str(int(newest))


@contextmanager
def build_epoch(project: Path) -> Iterator[str]:
    """SOURCE_DATE_EPOCH for the duration of a build (an existing value is kept)."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = previous or source_date_epoch(project)
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        yield epoch
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
