"""Edits of every kind to a bench corpus (bench/corpus.py), each a function of its content folder:
the preview's dirty rebuilds (site/test_incremental.py) and a build's reuse of earlier pages
(site/test_pageinputs.py) must each give what a full build of the edited content gives."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path


def substitute(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    changed = re.sub(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert changed != text, pattern
    path.write_text(changed, encoding="utf-8")


def nth_event(content: Path, index: int) -> Path:
    return sorted((content / "events").rglob("*.md"))[index]


def _dated_event(content: Path) -> Path:
    """An event in the middle of the timeline whose date starts with its year (not '../')."""
    events = sorted((content / "events").rglob("*.md"))
    return next(p for p in events[20:] if re.search(r'^date: "\d{4}', p.read_text(encoding="utf-8"), re.MULTILINE))


def _record(content: Path, folder: str, index: int) -> Path:
    return sorted((content / folder).glob("*.md"))[index]


def _gain_actor(content: Path) -> None:
    """An event gets an actor it did not have: that actor's page must list it though the page
    never depended on the event before."""
    event = nth_event(content, 18)
    text = event.read_text(encoding="utf-8")
    actor = next(p.stem for p in sorted((content / "actors").glob("*.md")) if f'"{p.stem}"' not in text)
    substitute(event, r"^actors: \[", f'actors: [{{"actor": "{actor}", "role": "commander"}}, ')


def _move_to_new_month(content: Path) -> None:
    """An event moves to a year folder and a month no event had: a month page appears, one goes
    if it was alone, and the timeline's pages shift."""
    events = sorted((content / "events").rglob("*.md"))
    dated = re.compile(r'^date: "(\d{4}-\d{2})', re.MULTILINE)
    taken = {m for p in events for m in dated.findall(p.read_text(encoding="utf-8"))}
    months = (f"{year}-{month:02d}" for year in range(2011, 2023) for month in range(1, 13))
    month = next(m for m in months if m not in taken)
    source = next(
        p for p in events[20:]
        if p.parent.name != month[:4] and re.search(r'^date: "\d{4}', p.read_text(encoding="utf-8"), re.MULTILINE)
    )
    target = content / "events" / month[:4] / source.name
    text = source.read_text(encoding="utf-8")
    text = re.sub(r'^date: ".*"$', f'date: "{month}-15"', text, count=1, flags=re.MULTILINE)
    target.parent.mkdir(exist_ok=True)
    source.unlink()
    target.write_text(text, encoding="utf-8")


def _same_day_other_actors(content: Path) -> None:
    """A new event on the day of another, with none of its actors: that day's month now has dates
    that cannot order its events, which the order notes of the other's actors' pages must say,
    though those pages do not list the new event."""
    source = nth_event(content, 21)
    text = source.read_text(encoding="utf-8")
    actor = next(p.stem for p in sorted((content / "actors").glob("*.md")) if f'"{p.stem}"' not in text)
    text = re.sub(r"^actors: \[.*\]$", f'actors: [{{"actor": "{actor}", "role": "initiator"}}]', text,
                  count=1, flags=re.M)
    text = re.sub(r"^former_ids: .*\n", "", text, flags=re.M)
    source.with_name("a-same-day-event.md").write_text(text, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "event added on another's day with other actors": _same_day_other_actors,
    "event gains an actor": _gain_actor,
    "event gains a new tag": lambda c: substitute(
        nth_event(c, 19), r"^tags: \[(.*)\]$", r'tags: ["brand-new-tag", \1]'
    ),
    "event moves to another year and a new month": _move_to_new_month,
    "event body": lambda c: nth_event(c, 10).write_text(nth_event(c, 10).read_text() + "\nOne more sentence.\n"),
    "event title": lambda c: substitute(nth_event(c, 11), r'^title: "(.*)"$', r'title: "\1, renamed"'),
    "event date moves it": lambda c: substitute(_dated_event(c), r'^date: "(\d{4})[^"]*"$', r'date: "\1-01-01"'),
    "event status": lambda c: substitute(nth_event(c, 13), r'^status: ".*"$', 'status: "disputed"'),
    "event loses its actors but one": lambda c: substitute(
        nth_event(c, 14), r"^actors: \[(\{[^}]*\}).*\]$", r"actors: [\1]"
    ),
    "actor name": lambda c: substitute(_record(c, "actors", 0), r'^name: "(.*)"$', r'name: "\1 Renamed"'),
    "place name": lambda c: substitute(_record(c, "places", 0), r'^name: "(.*)"$', r'name: "\1 Renamed"'),
    "source title": lambda c: substitute(_record(c, "sources", 0), r'^title: "(.*)"$', r'title: "\1 renamed"'),
    "event withdrawn": lambda c: substitute(
        nth_event(c, 15),
        r'^status: (".*")$',
        r'status: \1\nwithdrawn: {"date": "2023-02-01", "reason": "A duplicate."}',
    ),
    "event deleted": lambda c: nth_event(c, 16).unlink(),
    "event added": lambda c: nth_event(c, 17)
    .with_name("a-copied-event.md")
    .write_text(re.sub(r"^former_ids: .*\n", "", nth_event(c, 17).read_text(), flags=re.MULTILINE)),
    "vocabulary label": lambda c: substitute(
        c / "vocabulary.yml", r"^    label: Shelling$", "    label: Shellfire"
    ),
}
