"""A withdrawn or merged event that is the only one of its year or month: the site still builds,
its link check passes, and the tombstone links only to pages that exist (no list of that month,
no page of a tag nobody else carries)."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeweave.cli.build import atomic_build
from timeweave.parallel.runner import SERIAL

from conftest import FIXTURES, copy_site

FIXTURE = FIXTURES / "permanence_site"
LIFECYCLE = {
    "withdrawn": "withdrawn:\n  date: 2021-06-01\n  reason: Its only source was found to be fabricated.\n",
    "merged": "merged_into: shelling-of-post\n",
}


@pytest.mark.parametrize("state", sorted(LIFECYCLE))
@pytest.mark.parametrize("date, folder, lonely_list", [
    ("2018", "2018", "timeline/2018/"),          # the only event of its year
    ("2019-03-04", "2019", "timeline/2019-03/"),  # the only event of its month
])
def test_lonely_withdrawn_or_merged_event_builds(tmp_path: Path, state: str, date: str, folder: str,
                                                 lonely_list: str) -> None:
    project = copy_site(FIXTURE, tmp_path / "project")
    events = project / "content/events"
    (events / folder).mkdir()
    (events / folder / "lonely-claim.md").write_text(
        f"---\ntitle: A lonely claim\ndate: \"{date}\"\ntype: statement\nstatus: claimed\n"
        f"tags: [only-here]\nsources:\n  - source: fixture-report\n{LIFECYCLE[state]}---\nThe claim.\n",
        encoding="utf-8")
    site = tmp_path / "site"
    # Strict, with the link check: a tombstone linking to a missing list would stop it (exit 4).
    atomic_build(str(project / "mkdocs.yml"), str(site), runner=SERIAL)
    assert not (site / lonely_list).exists()
    assert not (site / "tags/only-here").exists()
    page = (site / "events/lonely-claim/index.html").read_text(encoding="utf-8")
    if state == "withdrawn":
        assert "Withdrawn on 2021-06-01" in page
        assert f'href="../../{lonely_list}"' not in page and 'href="../../tags/only-here/"' not in page
        assert 'href="../../timeline/"' in page
    else:
        assert 'http-equiv="refresh"' in page and "shelling-of-post" in page
