"""What every bench script measures the same way: one command in its own process (wall time, and
CPU time and peak memory from the kernel's wait4 rusage of that process and the children it
waited for), the machine's load average, a folder's bytes and files, and the generated block of
bench/RESULTS.md that a script rewrites.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PY = sys.executable


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float
    exit: int
    output: str = ""
    # The kernel's share of cpu and the pages first touched (or copied after a fork): on this
    # machine a page fault's cost drifts from run to run, and a build's wall time with it.
    system: float = 0.0
    minor_faults: int = 0


def measured_rusage(command: list[str], cwd: Path, timeout: float = 7200) -> Run:
    """Run one command in its own process; wait4 gives its CPU time and the peak RSS (KB) of the
    largest process among it and its waited-for children."""
    start = time.perf_counter()
    log = cwd / f".bench-{os.getpid()}-{time.monotonic_ns()}.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen(
            command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONHASHSEED": "0"}
        )
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                os.wait4(process.pid, 0)
                raise TimeoutError(" ".join(command))
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    output = log.read_text(encoding="utf-8", errors="replace")[-4000:]
    log.unlink()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, output,
               system=usage.ru_stime, minor_faults=usage.ru_minflt)


def load() -> str:
    """The load average over 1, 5 and 15 minutes, as `uptime` prints it."""
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def tree_size(folder: Path) -> tuple[int, int]:
    """Bytes and files below folder."""
    total = count = 0
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            total += os.path.getsize(os.path.join(dirpath, name))
            count += 1
    return total, count


def record(path: Path, text: str, begin: str, end: str) -> None:
    """Replace the block between begin and end in path (appended when missing) with text."""
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if begin not in current or end not in current:
        current += f"\n{begin}\n{end}\n"
    head, rest = current.split(begin, 1)
    _, tail = rest.split(end, 1)
    path.write_text(f"{head}{begin}\n{text}{end}{tail}", encoding="utf-8")
