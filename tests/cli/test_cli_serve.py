"""`timeweave serve` and `timeweave preview` stopped with SIGTERM (an editor's stop button, CI
cancelling a job) remove their copy of the site from the temp folder, as Ctrl-C does: each copy is a
whole built site, and Python's default for SIGTERM would leave it behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, copy_site, fetch, free_port


@pytest.mark.parametrize("command", ["serve", "preview"])
def test_a_terminated_server_leaves_no_copy_of_the_site(tmp_path: Path, command: str) -> None:
    site = copy_site(FIXTURES / "small_site", tmp_path / "site")
    config = site / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    temp = tmp_path / "temp"
    temp.mkdir()
    address = f"127.0.0.1:{free_port()}"
    log = tmp_path / "server.log"
    with open(log, "wb") as sink:
        process = subprocess.Popen([sys.executable, "-m", "timeweave", command, "-f", str(config), "-a", address],
                                   cwd=site, stdout=sink, stderr=subprocess.STDOUT,
                                   env={**os.environ, "TMPDIR": str(temp)})
    try:
        deadline = time.monotonic() + 120  # a bound for a first build on a busy machine, not a speed check
        while fetch(f"http://{address}/")[0] != 200:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        assert [path.name for path in temp.iterdir()], "the server's copy of the site is in the temp folder"
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 128 + signal.SIGTERM
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert list(temp.iterdir()) == [], log.read_text()
