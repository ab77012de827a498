"""A forked child that runs one job and pipes its pickled result (or a stream of messages) back."""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import struct
from collections.abc import Callable
from typing import Any

try:  # POSIX only, like os.fork: used to size a pipe
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]


class ForkedJob:
    """A forked child that runs job and sends back its pickled result through a pipe.

    Forked rather than spawned: the child starts in microseconds with everything already imported
    and the job's arguments already in its memory, so only the result crosses the pipe. With
    stream=True, job is given a send(bytes) function instead, and the parent collects what it sent
    as it comes (received, then rest)."""

    def __init__(self, job: Callable[..., Any], stream: bool = False):
        self.pid = 0
        self.pipe = -1
        self.buffer = bytearray()
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        if stream and hasattr(fcntl, "F_SETPIPE_SZ"):  # Linux
            try:  # room for a few messages, so that the child rarely waits for the parent to read
                fcntl.fcntl(read_end, fcntl.F_SETPIPE_SZ, 1 << 20)
            except OSError:
                pass
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:  # the child: never returns, never runs the parent's exit handlers or flushes its buffers
            code = 1
            try:
                os.close(read_end)
                gc.disable()  # a short life that makes no reference cycles worth collecting
                if stream:
                    job(lambda payload: _write_all(write_end, struct.pack("<Q", len(payload)) + payload))
                else:
                    _write_all(write_end, pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL))
                code = 0
            except BaseException:  # noqa: BLE001 (the parent reads the share itself)
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        if stream:
            os.set_blocking(read_end, False)
        self.pid, self.pipe = pid, read_end

    def result(self, timeout: float | None) -> Any:
        """The child's result, or None when it failed, or sent nothing for timeout seconds (None:
        no limit)."""
        if not self._drain(timeout):
            return None
        try:
            return pickle.loads(bytes(self.buffer))
        except Exception:  # noqa: BLE001
            return None

    def cancel(self) -> None:
        """End the child now, whatever it was doing; its result is not wanted."""
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.close(self.pipe)
            os.waitpid(self.pid, 0)
            self.pid = 0

    def received(self) -> list[bytes]:
        """The messages sent so far and not yet returned, without waiting (stream=True)."""
        if self.pid:
            try:
                while chunk := os.read(self.pipe, 1 << 20):
                    self.buffer += chunk
            except BlockingIOError:
                pass
        return self._messages()

    def rest(self, timeout: float | None) -> list[bytes]:
        """The messages still to come, until the child ends or sends nothing for timeout seconds
        (then it is killed). A child that fails midway has sent whole messages until then."""
        self._drain(timeout)
        return self._messages()

    def _messages(self) -> list[bytes]:
        found, at, end = [], 0, len(self.buffer)
        while end - at >= 8:
            size = struct.unpack_from("<Q", self.buffer, at)[0]
            if end - at - 8 < size:
                break
            found.append(bytes(self.buffer[at + 8 : at + 8 + size]))
            at += 8 + size
        del self.buffer[:at]
        return found

    def _drain(self, timeout: float | None) -> bool:
        """Read until the child ends; whether it ended well."""
        if not self.pid:
            return False
        try:
            while True:
                ready, _, _ = select.select([self.pipe], [], [], timeout)
                if not ready:
                    os.kill(self.pid, signal.SIGKILL)
                    break
                try:
                    chunk = os.read(self.pipe, 1 << 20)
                except BlockingIOError:
                    continue
                if not chunk:
                    break
                self.buffer += chunk
        finally:
            os.close(self.pipe)
            _, status = os.waitpid(self.pid, 0)
            self.pid = 0
        return status == 0


def _write_all(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]
