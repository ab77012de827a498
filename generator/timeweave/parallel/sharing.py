"""Work shared by this process and one forked child, chunk by chunk, whichever is free first."""

from __future__ import annotations

import os
import pickle
import struct
import time
from collections.abc import Callable
from typing import Any, TypeVar

from timeweave.parallel.forked import ForkedJob

Item = TypeVar("Item")
Result = TypeVar("Result")


def share_chunks(chunks: list[list[Item]], work_here: Callable[[list[Item]], list[Result]],
                 work_there: Callable[[list[Item]], list[Any]],
                 adopt: Callable[[Any], Result]) -> list[Result]:
    """The results of every chunk, in order, as work_here would give them one after the other.

    The chunks' numbers wait in a pipe both processes read: whichever is free takes the next one,
    so both finish together however the machine shares its cores. The child runs work_there and
    pipes what it gives back; adopt turns each of those results into what work_here would have
    given, here, between this process's own chunks, so little is left to do once both are done.
    A chunk the child did not finish (it failed or hung) is worked here: the result is the same."""
    if len(chunks) > 4096:  # all the numbers must fit in the pipe before anyone reads
        raise ValueError("at most 4,096 chunks")
    try:
        queue, feed = os.pipe()
    except OSError:
        return [result for chunk in chunks for result in work_here(chunk)]
    try:
        view = memoryview(b"".join(struct.pack("<I", i) for i in range(len(chunks))))
        while view:
            view = view[os.write(feed, view):]
    finally:
        os.close(feed)  # so that an empty queue reads as the end

    def take() -> int | None:
        number = os.read(queue, 4)  # one read: the kernel never splits a number between readers
        return int(struct.unpack("<I", number)[0]) if len(number) == 4 else None

    def child(send: Callable[[bytes], None]) -> None:
        while (number := take()) is not None:
            send(pickle.dumps((number, work_there(chunks[number])), protocol=pickle.HIGHEST_PROTOCOL))

    results: dict[int, list[Result]] = {}

    def receive(payload: bytes) -> None:
        try:
            number, theirs = pickle.loads(payload)
        except Exception:  # noqa: BLE001 (the chunk is worked again below)
            return
        results.setdefault(number, [adopt(result) for result in theirs])

    try:
        worker = ForkedJob(child, stream=True)
        started = time.monotonic()
        while (number := take()) is not None:
            results[number] = work_here(chunks[number])
            for payload in worker.received():
                receive(payload)
    finally:
        os.close(queue)
    for payload in worker.rest(timeout=max(60.0, 10 * (time.monotonic() - started))):
        receive(payload)
    done: list[Result] = []
    for number, chunk in enumerate(chunks):
        got = results.get(number)
        if got is None or len(got) != len(chunk):
            got = work_here(chunk)
        done.extend(got)
    return done
