"""Material's primary navigation and tabs, rendered once per folder for the pages outside the navigation.

The theme renders both on every page, and on a timeline almost every page is a record page that
the navigation does not list (an event, an actor, a place, a source). For such a page neither
shows anything of the page itself: no item is active, and every link (an item, the logo, the home
page) is its target's address made relative to the page. With directory URLs, a page's address
relative to a target outside the page's own folder depends only on the folder the page is in
(`events/a/` and `events/b/` both reach `timeline/` as `../../timeline/`). So the HTML is the same
for every such page of one folder, and is kept per build for them; every other page (listed in the
navigation, or with a target of the navigation inside its own folder) renders it as the theme does.

The theme folder's partials/nav.html and partials/tabs.html wrap Material's own (included as
`material/partials/...`, a name this loader adds) in `{% call timeline_outside_nav(name) %}`.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

try:
    import material  # type: ignore[import-untyped]  # Material ships no types
except ImportError:  # another theme: its templates never include these partials
    material = None


class OutsideNav:
    """`timeline_outside_nav(name)`: what caller() renders, once per name and folder among the
    pages outside the navigation."""

    def __init__(self) -> None:
        self._made: dict[tuple[str, str], str] = {}
        self._targets: tuple[int, tuple[str, ...]] = (0, ())  # id(nav), what its links point to

    @jinja2.pass_context
    def __call__(self, context: Any, name: str, caller: Callable[[], str]) -> str:
        page = context.get("page")
        if page is None or not page.file.inclusion.is_not_in_nav() or not self._nothing_inside(context, page):
            return caller()
        key = (name, posixpath.dirname(page.url.rstrip("/")))
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = caller()
        return made

    def _nothing_inside(self, context: Any, page: Any) -> bool:
        """Whether no target of the navigation, tabs or logo is inside the page's own folder (a
        page the navigation lists is one: its item's target is the page)."""
        nav = context.get("nav")
        if nav is None or not page.url.endswith("/"):
            return False
        if self._targets[0] != id(nav):
            config = context.get("config") or {}
            targets = [item.url for item in _items(nav.items) if item.url is not None]
            targets += [str(value) for value in (nav.homepage.url if nav.homepage else None,
                                                 (config.get("extra") or {}).get("homepage"),
                                                 (config.get("theme") or {}).get("logo")) if value]
            self._targets = (id(nav), tuple(target.lstrip("/") for target in targets))
        return not any(target.startswith(page.url) for target in self._targets[1])


def _items(items: list[Any]) -> list[Any]:
    found = []
    for item in items:
        found.append(item)
        found += _items(getattr(item, "children", None) or [])
    return found


def install(env: jinja2.Environment) -> jinja2.Environment:
    """env with `timeline_outside_nav` and Material's templates under `material/` (for one build)."""
    env.globals["timeline_outside_nav"] = OutsideNav()
    if material is not None and env.loader is not None:
        own = jinja2.FileSystemLoader(str(Path(material.__file__).parent / "templates"))
        env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader({"material": own})])
    return env
