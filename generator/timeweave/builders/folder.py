"""The builder-neutral source folder: every page and file the pipeline makes, written to a folder
that another builder (Zensical, or MkDocs without the plugin) builds as it is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from timeweave.build import build, write_out
from timeweave.parallel.runner import SERIAL, Runner
from timeweave.project import Project


@dataclass(frozen=True)
class Written:
    pages: int
    files: int


def write_site_source(project: Project, out: Path, runner: Runner = SERIAL) -> Written:
    """Run the pipeline and write what it made below out; raises ContentErrors like build()."""
    result = build(project, runner)
    write_out(result, out)
    return Written(len(result.pages), len(result.files))
