"""`python -m timeweave new ...`: files that validate as written, never an overwrite, suggestions."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from timeweave.catalog.catalog import load_catalog
from timeweave.content.loader import load_content
from timeweave.content.models import MODELS
from timeweave.site.contributing import field_docs
from timeweave.tools import scaffold

from conftest import FIXTURES, copy_site, run_cli


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURES / "small_site", tmp_path / "site")


def new(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m timeweave new KIND --no-input ...` in this process: never waits for a terminal."""
    return run_cli(cwd, "new", args[0], "--no-input", *args[1:])


def assert_valid(site: Path) -> None:
    catalog, errors = load_catalog(site / "content", site)
    assert errors.items == [], "\n".join(e.format() for e in errors.items)
    assert catalog is not None


COMMANDS = {
    "source": ["source", "--title", "Ministry statement: 'two posts hit'", "--kind", "official-statement",
               "--url", "https://example.org/statement", "--published", "2020-02-11"],
    "actor": ["actor", "--name", "Gamma Militia", "--kind", "armed-group"],
    "place": ["place", "--name", "Delta Village", "--kind", "town", "--within", "beta-province",
              "--coordinates", "36.1, 36.75"],
    "event": ["event", "--title", "Gamma Militia shells Delta Village", "--date", "2020-02-12~",
              "--type", "shelling", "--place", "beta-town", "--source", "fixture-report",
              "--actor", "alpha-army:initiator", "--actor", "beta-leader:target"],
}
PATHS = {
    "source": "content/sources/ministry-statement-two-posts-hit.md",
    "actor": "content/actors/gamma-militia.md",
    "place": "content/places/delta-village.md",
    "event": "content/events/2020/gamma-militia-shells-delta-village.md",
}


@pytest.mark.parametrize("kind", ["source", "actor", "place", "event"])
def test_each_kind_is_written_valid_as_it_is(site: Path, kind: str) -> None:
    done = new(site, *COMMANDS[kind])
    assert done.returncode == 0, done.stderr
    assert f"wrote {PATHS[kind]}" in done.stdout
    text = (site / PATHS[kind]).read_text()
    assert_valid(site)
    # Every field the command did not set is there as a comment with its description.
    raw = next(r for r in load_content(site / "content", site).records if r.path == PATHS[kind])
    for doc in field_docs(MODELS[kind]):
        if doc.name not in raw.data:
            assert f"# {doc.name}:" in text, doc.name
            assert doc.description.split()[0] in text


def test_scaffolded_event_keeps_the_values_given(site: Path) -> None:
    assert new(site, *COMMANDS["event"]).returncode == 0
    catalog, _ = load_catalog(site / "content", site)
    assert catalog is not None
    event = catalog.events["gamma-militia-shells-delta-village"]
    assert (event.title, event.date, event.type, event.place, event.status) == (
        "Gamma Militia shells Delta Village", "2020-02-12~", "shelling", "beta-town", "reported")
    assert [(a.actor, a.role) for a in event.actors] == [("alpha-army", "initiator"), ("beta-leader", "target")]
    assert [s.source for s in event.sources] == ["fixture-report"]


def test_uncommenting_the_examples_still_validates(site: Path) -> None:
    """The commented examples are well-formed values: uncommenting one keeps the file valid (references
    excepted: their examples name records of the real timeline)."""
    assert new(site, "place", "--name", "Delta Village", "--kind", "town").returncode == 0
    path = site / "content/places/delta-village.md"
    text = path.read_text()
    for key in ("# coordinates:", "# names:", "# location_precision:"):
        text = text.replace(key, key[2:])
    path.write_text(text)
    assert_valid(site)


def test_never_overwrites(site: Path) -> None:
    target = site / "content/events/2020/shelling-of-post.md"
    before = target.read_bytes()
    done = new(site, "event", "--title", "Shelling of post", "--date", "2020-02-10", "--type", "shelling",
               "--source", "fixture-report", "--id", "shelling-of-post")
    assert done.returncode == 1
    assert "already exists: content/events/2020/shelling-of-post.md" in done.stderr
    assert target.read_bytes() == before
    # An event id is unique across years, not just in its year's folder.
    done = new(site, "event", "--title", "x", "--date", "2019-05", "--type", "shelling",
               "--source", "fixture-report", "--id", "shelling-of-post")
    assert done.returncode == 1
    assert not (site / "content/events/2019").exists()


def test_suggests_existing_places_and_actors_by_name(site: Path) -> None:
    done = new(site, *[a if a != "beta-town" else "beta" for a in COMMANDS["event"]])
    assert done.returncode == 2
    assert "there is no place 'beta'; did you mean" in done.stderr
    assert "beta-town (Beta Town)" in done.stderr and "beta-province (Beta Province)" in done.stderr
    done = new(site, "event", "--title", "t", "--date", "2020-02-01", "--type", "shelling", "--source",
               "fixture-report", "--actor", "Alpha army:initiator")
    assert done.returncode == 2
    assert "did you mean alpha-army (Alpha Army)" in done.stderr
    assert not list((site / "content/events/2020").glob("t.md"))


def test_suggest_matches_a_word_of_the_id_or_name() -> None:
    names = {"idlib-governorate": "Idlib Governorate", "idlib": "Idlib", "saraqib": "Saraqib",
             "syria": "Syria", "turkish-armed-forces": "Turkish Armed Forces"}
    assert scaffold.suggest("idlib", names)[:2] == ["idlib", "idlib-governorate"]
    assert scaffold.suggest("Idlib province", names)[0] == "idlib-governorate"
    assert scaffold.suggest("turkish army", names)[0] == "turkish-armed-forces"
    assert scaffold.suggest("saraqeb", names) == ["saraqib"]
    assert scaffold.suggest("qwerty", names) == []


def test_vocabulary_and_dates_are_checked_before_writing(site: Path) -> None:
    done = new(site, "event", "--title", "t", "--date", "2020-02-01", "--type", "shellng",
               "--source", "fixture-report")
    assert done.returncode == 2 and "did you mean 'shelling'?" in done.stderr
    done = new(site, "event", "--title", "t", "--date", "10/02/2020", "--type", "shelling",
               "--source", "fixture-report")
    assert done.returncode == 2 and "write dates as YYYY-MM-DD" in done.stderr
    done = new(site, "event", "--title", "t", "--date", f"{date.today().year + 1}", "--type", "shelling",
               "--source", "fixture-report")
    assert done.returncode == 2 and "is in the future" in done.stderr
    done = new(site, "event", "--title", "t", "--date", "2020-02-01", "--type", "shelling")
    assert done.returncode == 2 and "--source is required" in done.stderr
    assert sorted(p.name for p in (site / "content/events/2020").iterdir()) == [
        "leader-threatens-response.md", "phone-call.md", "shelling-of-post.md"]


def test_ids_come_from_titles() -> None:
    assert scaffold.slugify("Erdoğan–Putin phone call on army coordination") == \
        "erdogan-putin-phone-call-on-army-coordination"
    assert scaffold.slugify("Turkey's 'red line': 5 soldiers killed") == "turkeys-red-line-5-soldiers-killed"
    long = scaffold.slugify("word " * 40)
    assert len(long) <= 80 and not long.endswith("-")
    assert scaffold.slugify("قصف إدلب") == "qsf-dlb"


def test_a_title_in_another_script_gets_a_transliterated_id(site: Path) -> None:
    done = new(site, "actor", "--name", "Российские войска", "--kind", "armed-force")
    assert done.returncode == 0, done.stderr
    assert (site / "content/actors/rossiyskie-voyska.md").is_file()
    done = new(site, "actor", "--name", "جيش", "--kind", "armed-group", "--id", "jaysh")
    assert done.returncode == 0
    assert_valid(site)


def test_source_without_url_needs_a_note(site: Path) -> None:
    done = new(site, "source", "--title", "Interview notes", "--kind", "other")
    assert done.returncode == 2 and "--note is required" in done.stderr
    done = new(site, "source", "--title", "Interview notes", "--kind", "other",
               "--note", "Kept by the editors; ask for a copy.")
    assert done.returncode == 0
    assert_valid(site)


def test_asks_for_what_is_missing_in_a_terminal(site: Path) -> None:
    """A real terminal (pty): the command asks, suggests, and writes a valid file."""
    answers = [
        ("title", "Beta Leader visits the front"),
        ("date", "2020-02-14"),
        ("type", "statement"),
        ("place id or name", "beta"),             # not an id: suggestions follow
        ("number, or another id", "beta-town"),
        ("source id", "fixture"),
        ("number, or another id", "1"),
        ("status", ""),                            # default: reported
        ("an actor", "beta leader"),
        ("number, or another id", "1"),
        ("role of beta-leader", "speaker"),
        ("an actor", ""),
    ]
    transcript = run_in_terminal(site, ["event"], answers)
    assert "wrote content/events/2020/beta-leader-visits-the-front.md" in transcript
    assert "1. beta-town" in transcript or "beta-town  (Beta Town)" in transcript
    catalog, errors = load_catalog(site / "content", site)
    assert errors.items == []
    assert catalog is not None
    event = catalog.events["beta-leader-visits-the-front"]
    assert (event.place, event.status, event.sources[0].source) == ("beta-town", "reported", "fixture-report")
    assert [(a.actor, a.role) for a in event.actors] == [("beta-leader", "speaker")]


def run_in_terminal(cwd: Path, args: list[str], answers: list[tuple[str, str]]) -> str:
    primary, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "timeweave", "new", *args], cwd=cwd,
                               stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True)
    os.close(secondary)
    transcript = ""
    try:
        for prompt, answer in answers:
            transcript = read_until(primary, transcript, prompt)
            os.write(primary, answer.encode() + b"\n")
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            transcript = read_some(primary, transcript)
        transcript = read_some(primary, transcript)
        assert process.wait(timeout=5) == 0, transcript
    finally:
        if process.poll() is None:
            process.kill()
        os.close(primary)
    return transcript


def read_some(fd: int, transcript: str) -> str:
    ready, _, _ = select.select([fd], [], [], 0.2)
    if ready:
        try:
            transcript += os.read(fd, 4096).decode(errors="replace")
        except OSError:
            pass
    return transcript


def read_until(fd: int, transcript: str, prompt: str) -> str:
    start = len(transcript)
    deadline = time.monotonic() + 30
    while prompt not in transcript[start:]:
        assert time.monotonic() < deadline, f"never asked {prompt!r}:\n{transcript}"
        transcript = read_some(fd, transcript)
    # The prompt ends with ': '; wait for it so the answer is not typed ahead of the question.
    while not transcript.rstrip(" ").endswith(":"):
        assert time.monotonic() < deadline, f"prompt {prompt!r} never finished:\n{transcript}"
        transcript = read_some(fd, transcript)
    return transcript
