"""A second process fed in batches while MkDocs, which uses one core, goes on with the build."""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import signal
import sys
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


class BatchedWorker:
    """One forked worker that runs `job` on batches of items. Results of finished batches are
    handed back as soon as they are asked for, so neither process holds every item at once."""

    def __init__(self, job: Callable[[list[Any]], list[Any] | None], batch: int = 32) -> None:
        # fork (copy on write; the child touches only what it is sent): spawn would run the
        # build's __main__ again in the child.
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                         initializer=_end_with_parent)
        self._pool.submit(int).result()  # started now, not in the middle of the build
        self._job, self._size = job, batch
        self._batch: list[Any] = []
        self._futures: list[Future[Any]] = []

    def add(self, item: Any) -> list[Any]:
        """Queue an item; returns the results of the batches finished since the last call."""
        self._batch.append(item)
        if len(self._batch) >= self._size:
            self._send()
        done: list[Any] = []
        while self._futures and self._futures[0].done():
            done.extend(self._futures.pop(0).result() or ())  # a failed batch stops the build
        return done

    def _send(self) -> None:
        if self._batch:
            self._futures.append(self._pool.submit(self._job, self._batch))
            self._batch = []

    def finish(self) -> list[Any]:
        """The results not handed back yet, once every batch is done."""
        self._send()
        done: list[Any] = []
        for future in self._futures:
            done.extend(future.result() or ())
        self._futures = []
        return done

    def call(self, function: Callable[[], Any]) -> Any:
        return self._pool.submit(function).result()

    def call_later(self, function: Callable[[], Any]) -> Callable[[], Any]:
        """function started in the worker now; call the result to wait for what it returns."""
        return self._pool.submit(function).result

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _end_with_parent() -> None:
    """Linux: the worker is killed when the build process dies, even by SIGKILL. Otherwise it would
    wait for ever: a second worker, forked later, holds its pipes open, so it never sees them close."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # no libc to call: the worker ends with its pipes, as before
        pass
