"""The one seam for speed: how the pipeline's heavy steps run.

The pipeline and the builders call the same methods whatever the runner; only what happens
behind them differs. `Runner` does everything in this process, one step after the other: simple,
and what tests, `mkdocs serve` and small sites use. `ForkedRunner` uses the second core (the
machines this tool is built for have two, and MkDocs uses one) and hands memory back early:

- `share`: reading content files, half of them in a forked child (sharing.py);
- `split_in_two`: rendering pages, every other one in a forked child;
- `apart`: the whole content build in a forked child, which writes its pages to a folder and ends,
  so its memory is free before MkDocs needs as much again;
- `meanwhile`: a step whose result is needed later (the data files), in a forked child while the
  pages are rendered;
- `helper`: a worker process fed in batches while MkDocs renders (sanitizer, link reader);
- `freeze`/`thaw`: what exists now lives until the build ends, so the cyclic collector stops walking it.

Both give the same bytes (tests/parallel/test_runner.py and the build tests compare them).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from timeweave.parallel.forked import ForkedJob
from timeweave.parallel.sharing import share_chunks
from timeweave.parallel.worker import BatchedWorker

T = TypeVar("T")
Item = TypeVar("Item")
Result = TypeVar("Result")

# Below this many items (files, events), forking and pickling cost more than they save.
FORK_FROM = 500
_CHUNK_MIN = 32  # items: a chunk takes a few milliseconds, small against either process's share


class InlineWorker:
    """BatchedWorker's interface, doing each job at once in this process."""

    def __init__(self, job: Callable[[list[Any]], list[Any] | None], batch: int = 32) -> None:
        self._job = job

    def add(self, item: Any) -> list[Any]:
        return list(self._job([item]) or ())

    def finish(self) -> list[Any]:
        return []

    def call(self, function: Callable[[], Any]) -> Any:
        return function()

    def call_later(self, function: Callable[[], Any]) -> Callable[[], Any]:
        result = function()
        return lambda: result

    def close(self) -> None:
        pass


Worker = BatchedWorker | InlineWorker


class Runner:
    """Everything in this process, in order."""

    forks = False

    def share(self, items: list[Item], work_here: Callable[[list[Item]], list[Result]],
              work_there: Callable[[list[Item]], list[Any]], adopt: Callable[[Any], Result]) -> list[Result]:
        """work_here(items), possibly with part of the items done by work_there elsewhere and
        turned back into work_here's results by adopt (here)."""
        return work_here(items)

    def split_in_two(self, job: Callable[[int, int], T], size: int,
                     beside_threads: bool = False) -> tuple[T, T | None]:
        """job(share, of) does every of-th part of the work starting at share: (job(0, 1), None)
        here; the second value is the other share's result when it was done elsewhere (None if
        that failed: the caller does it then). beside_threads: the threads this process runs
        beside the job hold no lock it takes (idle helpers), so the work may be split all the same."""
        return job(0, 1), None

    def apart(self, job: Callable[[], T], shrink: Callable[[T], T]) -> T:
        """job(); done elsewhere, shrink makes what comes back small (it writes the bulk to files)."""
        return job()

    def meanwhile(self, job: Callable[[], T], size: int) -> Callable[[], T]:
        """What gives job()'s result when called: job may run elsewhere meanwhile (size: its items)."""
        return job

    def helper(self, job: Callable[[list[Any]], list[Any] | None], batch: int) -> Worker:
        return InlineWorker(job, batch)

    def freeze(self, collect: bool = False) -> None:
        """What exists now lives until thaw(): the cyclic collector may stop walking it."""

    def thaw(self) -> None:
        pass


class ForkedRunner(Runner):
    """Uses a second process for each heavy step, where it is worth it (see the module docstring)."""

    forks = True

    def __init__(self, fork_from: int = FORK_FROM, even_with_threads: bool = False) -> None:
        """fork_from: the number of items from which a step is shared. even_with_threads: fork
        pages' rendering even when this process runs other threads (tests, which know theirs)."""
        self.fork_from = fork_from
        self.even_with_threads = even_with_threads

    def _may_fork(self, size: int) -> bool:
        return size >= max(self.fork_from, 2) and hasattr(os, "fork") and (os.cpu_count() or 1) > 1

    def share(self, items: list[Item], work_here: Callable[[list[Item]], list[Result]],
              work_there: Callable[[list[Item]], list[Any]], adopt: Callable[[Any], Result]) -> list[Result]:
        if not self._may_fork(len(items)):
            return work_here(items)
        size = max(_CHUNK_MIN, -(-len(items) // 4096))
        chunks = [items[i : i + size] for i in range(0, len(items), size)]
        return share_chunks(chunks, work_here, work_there, adopt)

    def split_in_two(self, job: Callable[[int, int], T], size: int,
                     beside_threads: bool = False) -> tuple[T, T | None]:
        # Rendering runs Jinja and Markdown code that may take locks: forking a process with other
        # threads (as `mkdocs serve` is) could leave one held for ever in the child.
        alone = self.even_with_threads or beside_threads or threading.active_count() == 1
        if not (alone and self._may_fork(size)):
            return job(0, 1), None
        import time

        child = ForkedJob(lambda: job(1, 2))
        started = time.monotonic()
        try:
            mine = job(0, 2)
        except BaseException:
            child.cancel()  # its share is not wanted any more, and it must not write on meanwhile
            raise
        theirs: T | None = child.result(timeout=max(60.0, 10 * (time.monotonic() - started)))
        return mine, theirs

    def apart(self, job: Callable[[], T], shrink: Callable[[T], T]) -> T:
        if not hasattr(os, "fork"):
            return job()
        outcome = ForkedJob(lambda: shrink(job())).result(timeout=None)
        # A failed child (content errors included) ends here: this process builds, and reports them.
        return outcome if outcome is not None else job()

    def meanwhile(self, job: Callable[[], T], size: int) -> Callable[[], T]:
        # As split_in_two: never forked beside other threads.
        if not ((self.even_with_threads or threading.active_count() == 1) and self._may_fork(size)):
            return job
        child = ForkedJob(job)

        def result() -> T:
            outcome: T | None = child.result(timeout=None)
            return outcome if outcome is not None else job()  # the child failed: done here

        return result

    def helper(self, job: Callable[[list[Any]], list[Any] | None], batch: int) -> Worker:
        return BatchedWorker(job, batch)

    def freeze(self, collect: bool = False) -> None:
        # MkDocs' full collections would walk millions of long-lived objects again and again;
        # collect first where garbage may exist, so that none is frozen with them.
        if collect:
            gc.collect()
        gc.freeze()

    def thaw(self) -> None:
        gc.unfreeze()


SERIAL = Runner()


@contextmanager
def paused_collector() -> Iterator[None]:
    """Loading allocates hundreds of thousands of small objects and no reference cycles; the cyclic
    collector would walk them all again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
