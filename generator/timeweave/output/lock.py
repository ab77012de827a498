"""One build of a site folder at a time: an exclusive lock on a file beside it (`site.lock`).

Two builds at once race to the swap, and the older one can finish last and publish, and record in
the manifest, content that was deleted in between. The lock is held from the start of the build to
the swap. A second build refuses at once rather than waiting: it would build content that the
first one is already publishing, and CI or a person can simply run it again.

`fcntl.flock` is released by the kernel when the holder dies, however it dies, so a killed build
never leaves a stale lock; the file itself stays (removing it would let two builds each lock a
different file of the same name). It holds the holder's process id, for the refusal to name.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SiteLocked(Exception):
    """Another build holds the site folder's lock."""


def lock_path(target: Path) -> Path:
    return target.with_name(f"{target.name}.lock")


@contextmanager
def site_lock(target: Path) -> Iterator[Path]:
    """Hold the lock of the site folder `target` for the block; SiteLocked at once when another
    build holds it."""
    path = lock_path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise SiteLocked(f"another build{who} is building {target.name}/ right now (it holds {path.name}); "
                             "run this build again once it has finished") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        try:
            yield path
        finally:
            os.ftruncate(handle, 0)  # the holder's id is only there while it holds the lock
    finally:
        os.close(handle)  # closing releases the lock
