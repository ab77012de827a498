"""What every command shares: its exit codes, and its cleanup when it is told to stop."""

import signal
import threading

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_BUILD = 0, 1, 2, 3
EXIT_LINKS = 4


def exit_on_terminate() -> None:
    """SIGTERM (CI cancelling a job, an editor's stop button, `kill`) becomes SystemExit, so the
    command's cleanup runs: a build's staging folder, a preview's copy of the site in the temp folder.
    Python's default for SIGTERM ends the process at once, with no `finally` run."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate_as_exit)


def _terminate_as_exit(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)
