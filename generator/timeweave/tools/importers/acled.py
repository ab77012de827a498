"""ACLED's CSV export -> events (placeholder, filled in below)."""

from __future__ import annotations

from pathlib import Path

from timeweave.tools.importers import ImportPlan


def import_acled(plan: ImportPlan, path: Path) -> None:
    plan.note(f"{path.name}: not read")
