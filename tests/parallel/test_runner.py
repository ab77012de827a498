"""The speed seam: every runner method gives what the serial runner gives, forked or not."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from timeweave.parallel import forked
from timeweave.parallel.runner import SERIAL, ForkedRunner, InlineWorker, Runner


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of forks the runner made (the forked path must really be taken)."""
    made: list[int] = []
    real_fork = os.fork

    def counted() -> int:
        made.append(1)
        return real_fork()

    monkeypatch.setattr(forked.os, "fork", counted)
    return made


FORKED = ForkedRunner(fork_from=2, even_with_threads=True)


def test_share_gives_the_serial_results_in_order(forks: list[int]) -> None:
    items = list(range(1000))
    here = [f"{n}:here" for n in items]
    got = FORKED.share(items, lambda part: [f"{n}:here" for n in part],
                       lambda part: [n for n in part], lambda n: f"{n}:here")
    assert got == here == SERIAL.share(items, lambda part: [f"{n}:here" for n in part], list, str)
    assert forks, "the second process took part"


def test_share_works_what_the_child_failed_to_do_here(forks: list[int]) -> None:
    def fail_there(part: list[int]) -> list[int]:
        raise RuntimeError("the child fails")

    items = list(range(700))
    assert FORKED.share(items, lambda part: [n * 2 for n in part], fail_there, lambda n: n) == [n * 2 for n in items]
    assert forks


def test_split_in_two_returns_both_shares(forks: list[int]) -> None:
    def job(share: int, of: int) -> list[int]:
        return [n for n in range(10) if n % of == share]

    assert SERIAL.split_in_two(job, size=10) == (list(range(10)), None)
    mine, theirs = FORKED.split_in_two(job, size=10)
    assert (mine, theirs) == ([0, 2, 4, 6, 8], [1, 3, 5, 7, 9]) and forks


def test_a_small_job_is_not_forked(forks: list[int]) -> None:
    assert ForkedRunner().split_in_two(lambda share, of: (share, of), size=10) == ((0, 1), None)
    assert ForkedRunner().share([1, 2], lambda part: part, lambda part: part, int) == [1, 2]
    assert not forks


def test_apart_shrinks_in_the_child_and_falls_back_here(forks: list[int], tmp_path: Path) -> None:
    def shrink(value: list[int]) -> list[int]:
        (tmp_path / "written").write_text(str(sum(value)))
        return value[:1]

    assert FORKED.apart(lambda: [1, 2, 3], shrink) == [1]
    assert (tmp_path / "written").read_text() == "6" and forks
    assert SERIAL.apart(lambda: [1, 2, 3], shrink) == [1, 2, 3]

    def fails_in_the_child() -> list[int]:
        if os.getpid() != parent:
            raise RuntimeError("only the child fails")
        return [4]

    parent = os.getpid()
    assert FORKED.apart(fails_in_the_child, shrink) == [4]  # done again here, unshrunk


def test_meanwhile_runs_in_a_child_and_falls_back_here(forks: list[int], tmp_path: Path) -> None:
    parent = os.getpid()

    def job() -> tuple[bool, bytes]:
        return os.getpid() != parent, bytes(300_000)  # more than a pipe holds: read when asked

    later = FORKED.meanwhile(job, size=10)
    assert forks and later() == (True, bytes(300_000))
    assert SERIAL.meanwhile(job, size=10)() == (False, bytes(300_000))
    assert ForkedRunner().meanwhile(job, size=10)() == (False, bytes(300_000))  # too small to fork

    def fails_in_the_child() -> str:
        if os.getpid() != parent:
            raise RuntimeError("only the child fails")
        return "here"

    assert FORKED.meanwhile(fails_in_the_child, size=10)() == "here"


def _times_ten(batch: list[int]) -> list[int]:  # module level: a forked helper is sent its job
    return [item * 10 for item in batch]


@pytest.mark.parametrize("runner", [SERIAL, FORKED], ids=["serial", "forked"])
def test_helpers_hand_back_every_result(runner: Runner) -> None:
    worker = runner.helper(_times_ten, 4)
    try:
        got = [result for item in range(10) for result in worker.add(item)]
        got += worker.finish()
        assert got == [item * 10 for item in range(10)]
        in_this_process = worker.call(os.getpid) == os.getpid()
        assert in_this_process == isinstance(worker, InlineWorker)
    finally:
        worker.close()


def test_split_in_two_ends_the_child_when_this_share_fails(tmp_path: Path, forks: list[int]) -> None:
    """A share that raises here stops the other: it must not go on writing into a build's folder."""
    marker = tmp_path / "written-late"

    def job(share: int, of: int) -> None:
        if share == 1:
            (tmp_path / "started").write_text("")
            time.sleep(1.0)
            marker.write_text("the child went on")
            return
        while not (tmp_path / "started").exists():
            time.sleep(0.01)
        raise ValueError("this share failed")

    with pytest.raises(ValueError, match="this share failed"):
        FORKED.split_in_two(job, size=10, beside_threads=True)
    assert forks
    time.sleep(1.5)  # longer than the child would have taken
    assert not marker.exists()
