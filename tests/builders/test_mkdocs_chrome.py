"""The navigation and tabs rendered once per folder for the pages outside the navigation
(builders/mkdocs/chrome.py): every page is byte for byte what the theme renders on its own."""

from __future__ import annotations

from pathlib import Path

from timeweave.cli.build import atomic_build
from timeweave.parallel.runner import SERIAL

from conftest import FIXTURES, copy_site
from output_inspection import snapshot

# An event page the navigation lists (its item is active on it), and a logo inside another
# event's folder (for that page, a target of the navigation inside its own folder).
EVENT_IN_NAV = "  - One event: events/shelling-of-post.md\n"
LOGO = "  logo: events/phone-call/logo.png\n"


def _project(tmp_path: Path, name: str, *, theme_alone: bool) -> Path:
    """The small site with tabs and a navigation link into an event's folder. theme_alone: the
    site's own theme folder includes Material's nav and tabs as they are, which comes before the
    timeline's wrappers."""
    project = copy_site(FIXTURES / "small_site", tmp_path / name)
    config = project / "mkdocs.yml"
    text = config.read_text().replace("  font: false\n", "  font: false\n  features: [navigation.tabs]\n" + LOGO
                                      + ("  custom_dir: overrides\n" if theme_alone else ""))
    config.write_text(text.replace("  - Tags: tags/index.md\n", "  - Tags: tags/index.md\n" + EVENT_IN_NAV))
    if theme_alone:
        partials = project / "overrides" / "partials"
        partials.mkdir(parents=True)
        for name in ("nav", "tabs"):
            (partials / f"{name}.html").write_text(f'{{% include "material/partials/{name}.html" %}}\n')
    return project


def test_every_page_shows_the_navigation_and_tabs_the_theme_renders(tmp_path: Path) -> None:
    sites = {}
    for name, theme_alone in (("once", False), ("theme", True)):
        project = _project(tmp_path, name, theme_alone=theme_alone)
        atomic_build(str(project / "mkdocs.yml"), str(tmp_path / f"{name}-site"), runner=SERIAL, use_cache=False,
                     linkcheck=False)  # the logo is not there
        sites[name] = tmp_path / f"{name}-site"
    assert snapshot(sites["once"]) == snapshot(sites["theme"])
    listed = (sites["once"] / "events" / "shelling-of-post" / "index.html").read_text()
    assert 'class="md-tabs__link md-tabs__link--active"' in listed or "md-nav__link--active" in listed
    logo_inside = (sites["once"] / "events" / "phone-call" / "index.html").read_text()
    assert 'src="logo.png"' in logo_inside
