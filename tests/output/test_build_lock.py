"""One build of a site folder at a time: two real `timeweave build` processes, the first held
inside its build (a MkDocs hook waits for the test) while the second starts."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from timeweave.output.lock import SiteLocked, lock_path, site_lock

from conftest import FIXTURES, ROOT, copy_site

# Holds the build after its pages were written, until the test creates the release file.
HOOK = '''
import os, time
from pathlib import Path

def on_post_build(config, **kwargs):
    held = os.environ.get("TIMELINE_TEST_HOLD")
    if not held:
        return
    Path(held + ".part").write_text(config["site_dir"])
    Path(held + ".part").rename(held)  # appears complete or not at all
    for _ in range(6000):
        if Path(held + ".release").exists():
            return
        time.sleep(0.1)
'''


def _project(tmp_path: Path) -> Path:
    project = copy_site(FIXTURES / "small_site", tmp_path / "project")
    config = project / "mkdocs.yml"
    text = config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides"))
    config.write_text(text + "hooks:\n  - hold_hook.py\n")
    (project / "hold_hook.py").write_text(HOOK)
    return project


def _build(project: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "timeweave", "build"], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def test_a_second_build_refuses_while_the_first_holds_the_site(tmp_path: Path) -> None:
    project = _project(tmp_path)
    held = tmp_path / "held"
    first = _build(project, {"TIMELINE_TEST_HOLD": str(held)})
    try:
        while not held.exists():  # wait for the event (the first build is inside its lock), not a duration
            assert first.poll() is None, "the first build ended before it was held"
            time.sleep(0.05)
        assert (project / "site.lock").read_text().strip() == str(first.pid)
        second = _build(project)
        out, err = second.communicate(timeout=300)
        assert second.returncode == 3, err
        assert err.strip() == (f"build refused: another build (process {first.pid}) is building site/ right "
                               "now (it holds site.lock); run this build again once it has finished")
        assert "Traceback" not in err
        # The second build published nothing and staged nothing: only the first one's staging folder.
        assert not (project / "site").exists()
        staged = [p.name for p in project.iterdir() if p.name.startswith("site.tmp-")]
        assert staged and all(name.startswith(f"site.tmp-{first.pid}-") for name in staged)
        (tmp_path / "held.release").write_text("")
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert (project / "site/index.html").is_file()
    assert (project / "site.lock").read_text() == ""  # released: no holder named
    third = _build(project)  # the lock is free again
    out, err = third.communicate(timeout=300)
    assert third.returncode == 0, err


def test_the_lock_refuses_at_once_and_is_free_after_its_holder(tmp_path: Path) -> None:
    site = tmp_path / "site"
    with site_lock(site) as path:
        assert path == lock_path(site) == tmp_path / "site.lock"
        with pytest.raises(SiteLocked, match=rf"another build \(process {os.getpid()}\) is building site/"):
            with site_lock(site):
                pass
    with site_lock(site):  # released by the block's end
        pass
