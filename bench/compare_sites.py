"""Build the real site at a git revision and from the working tree, and show what differs.

    .venv/bin/python bench/compare_sites.py REV

For restructurings that must not change the site: every file of both builds is compared byte for
byte, and the changed lines of each differing text file are printed. The revision is checked out
in a temporary worktree and built with its own code (its generator/ first on the path, so the
`timeline` plugin MkDocs loads is that revision's too). It works for revisions since the package
became `timeweave` (214c15d); the figures against the code before that were made with a virtual
environment of that code (bench/RESULTS.md). Nothing is recorded in published-urls.txt.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def build(checkout: Path, site: Path) -> None:
    if not (checkout / "generator" / "timeweave").is_dir():
        raise SystemExit(f"{checkout}: no generator/timeweave/ (a revision before the package's rename)")
    env = {**os.environ, "PYTHONPATH": str(checkout / "generator")}
    subprocess.run([sys.executable, "-m", "timeweave", "build", "--no-record-urls", "-d", str(site)],
                   cwd=checkout, check=True, env=env)


def files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def main(revision: str) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        old_checkout = Path(tmp) / "old"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(old_checkout), revision], cwd=REPO, check=True)
        try:
            build(old_checkout, Path(tmp) / "site-old")
            build(REPO, Path(tmp) / "site-new")
            old, new = files(Path(tmp) / "site-old"), files(Path(tmp) / "site-new")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old_checkout)], cwd=REPO, check=True)
    print(f"{len(old)} files at {revision}, {len(new)} in the working tree")
    for path in sorted(old.keys() - new.keys()):
        print(f"only at {revision}: {path}")
    for path in sorted(new.keys() - old.keys()):
        print(f"only in the working tree: {path}")
    differing = [path for path in sorted(old.keys() & new.keys()) if old[path] != new[path]]
    for path in differing:
        print(f"differs: {path}")
        try:
            before, after = old[path].decode().splitlines(), new[path].decode().splitlines()
        except UnicodeDecodeError:
            continue
        for line in difflib.unified_diff(before, after, lineterm="", n=0):
            if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
                print("    " + line[:200])
    same = len(old.keys() & new.keys()) - len(differing)
    print(f"{same} files identical, {len(differing)} differ")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "HEAD"))
