"""Generated Markdown: golden files for every page of the small fixture site, and page details.

Run `pytest tests/test_pages.py --update-golden` after an intended change of the output, and
review the diff of tests/golden/ like code.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from timeweave import urls
from timeweave.build import build
from timeweave.content import fields
from timeweave.content.history import History
from timeweave.parallel.runner import SERIAL, ForkedRunner
from timeweave.project import project_from_config_file
from timeweave.site.pages import GeneratedPage, SiteOptions, front_matter, paginate

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "small_site"
GOLDEN = ROOT / "tests" / "golden" / "small_site"
TODAY = date(2026, 1, 1)


def site_options(project: Path) -> tuple[SiteOptions, Path | None]:
    """The options the MkDocs plugin derives from this project's mkdocs.yml."""
    config: dict[str, Any] = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    plugin = next(p["timeline"] for p in config["plugins"] if isinstance(p, dict) and "timeline" in p)
    custom_dir = config.get("theme", {}).get("custom_dir")
    override = (project / custom_dir).resolve() if custom_dir else None
    return SiteOptions(site_name=config["site_name"], page_size=plugin.get("page_size", 100),
                       repo_url=config.get("repo_url")), override


def generate(project: Path) -> list[GeneratedPage]:
    # Without history: golden pages must not change with the repository's commits.
    no_history = History(False, "golden pages do not depend on the repository's history")
    return build(project_from_config_file(project / "mkdocs.yml"), today=TODAY, history=no_history).pages


@pytest.fixture(scope="module")
def small_pages() -> dict[str, GeneratedPage]:
    return {page.src_uri: page for page in generate(SMALL)}


def golden_files() -> list[str]:
    return sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))


def test_golden_covers_every_page(small_pages: dict[str, GeneratedPage], update_golden: bool) -> None:
    if update_golden:
        for stale in set(golden_files()) - set(small_pages):
            (GOLDEN / stale).unlink()
        for src_uri, page in small_pages.items():
            target = GOLDEN / src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page.content.encode("utf-8"))
    assert golden_files() == sorted(small_pages), "pages added or removed: run pytest --update-golden"


@pytest.mark.parametrize("src_uri", golden_files())
def test_page_matches_golden(small_pages: dict[str, GeneratedPage], src_uri: str,
                             update_golden: bool) -> None:
    if update_golden and src_uri in small_pages:
        (GOLDEN / src_uri).write_bytes(small_pages[src_uri].content.encode("utf-8"))
    expected = (GOLDEN / src_uri).read_bytes().decode("utf-8")
    actual = small_pages[src_uri].content if src_uri in small_pages else ""
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"golden/{src_uri}", f"generated/{src_uri}"))
    assert actual == expected, f"run pytest --update-golden if this change is intended:\n{diff}"


def test_pages_are_byte_identical_across_processes(tmp_path: Path) -> None:
    """Hash seed and locale must not change a byte: the same content gives the same site."""
    outputs = []
    for seed, locale in (("1", "C.UTF-8"), ("4242", "C")):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": locale, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "timeweave", "pages", str(out), "--site-name", "Fixture timeline",
                   "--overrides", str(ROOT / "site_overrides")]
        subprocess.run(command, cwd=SMALL, env=env, check=True, capture_output=True, timeout=120)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.md"))})
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10


# -- page details -----------------------------------------------------------------------------


def test_record_pages_are_out_of_the_navigation(small_pages: dict[str, GeneratedPage]) -> None:
    in_nav = sorted(uri for uri, page in small_pages.items() if page.in_nav)
    assert in_nav == ["actors/index.md", "data.md", "map.md", "places/index.md", "sources/index.md",
                      "timeline/index.md"]


def test_timeline_is_paginated_by_page_size(small_pages: dict[str, GeneratedPage]) -> None:
    assert "timeline/page/2.md" in small_pages  # 3 events, page_size 2
    first, second = small_pages["timeline/index.md"].content, small_pages["timeline/page/2.md"].content
    assert "3 events, page 1 of 2." in first
    assert '<a rel="next" href="page/2/">' in first
    assert '<a rel="prev" href="../../">' in second
    assert (first.count('<li class="tl-entry'), second.count('<li class="tl-entry')) == (2, 1)


def test_paginate() -> None:
    assert paginate([], 10) == [[]]  # an empty list still has its (empty) first page
    assert paginate([1, 2, 3], 2) == [[1, 2], [3]]
    assert paginate([1, 2], 2) == [[1, 2]]


def test_front_matter_escapes_title_and_quotes_values() -> None:
    text = front_matter('<img src=x onerror=alert(1)> "quoted"\nnext: line', meta={"a": ["<b>"]})
    data = yaml.safe_load(text.split("---\n")[1])
    assert data["title"] == "&lt;img src=x onerror=alert(1)&gt; &#34;quoted&#34;\nnext: line"
    assert data["meta"] == {"a": ["<b>"]}
    assert "next" not in data


def test_relative_links() -> None:
    assert urls.relative("events/a/", "actors/b/") == "../../actors/b/"
    assert urls.relative("", "timeline/") == "timeline/"
    assert urls.relative("timeline/", "") == "../"
    assert urls.relative("timeline/page/2/", "timeline/") == "../../"
    assert urls.relative("events/a/", "events/a/") == "./"


def copy_small(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SMALL, tmp_path / "site", ignore=shutil.ignore_patterns("site")))


def add_event(project: Path, name: str, text: str) -> None:
    path = project / "content" / "events" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_open_start_interval_sits_in_the_month_of_its_end(tmp_path: Path) -> None:
    project = copy_small(tmp_path)
    add_event(project, "2020/ceasefire-talks.md", "---\ntitle: Ceasefire talks\ndate: ../2020-03-05\n"
              "type: diplomacy\nstatus: reported\nsources:\n  - source: fixture-report\n---\nTalks.\n")
    pages = {p.src_uri: p for p in generate(project)}
    # 4 events, 2 a page: the open start comes last (March), not first with March's heading on page 1.
    last = pages["timeline/page/2.md"].content
    assert ('<h3 class="tl-month" id="m-2020-03" data-search-exclude>'
            '<a href="../../2020-03/">March 2020</a></h3>') in last
    # phone-call (February, day unknown) answers shelling-of-post, so it comes after it, last of February.
    assert last.index("phone-call") < last.index("ceasefire-talks")
    assert "2020-03" not in pages["timeline/index.md"].content
    assert "until 5 March 2020" in pages["events/ceasefire-talks.md"].content
    assert '<a rel="prev" href="../phone-call/">' in pages["events/ceasefire-talks.md"].content
    assert pages["timeline/2020-03.md"].title == "March 2020"


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    project = copy_small(tmp_path)
    add_event(project, "2020/hostile.md", '---\ntitle: "<script>alert(1)</script> & co"\ndate: 2020-02-11\n'
              'type: statement\nstatus: claimed\nsources:\n  - source: fixture-report\n'
              '    quote: "\\" onmouseover=\\"alert(1)"\nannotations:\n  - kind: context\n'
              '    text: "<img src=x onerror=alert(1)>"\n---\nPlain account.\n')
    page = {p.src_uri: p for p in generate(project)}["events/hostile.md"].content
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&#34; onmouseover=&#34;alert(1)" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page


def test_empty_type_page_exists(tmp_path: Path) -> None:
    project = copy_small(tmp_path)
    vocabulary = project / "content" / "vocabulary.yml"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace(
        "actor_roles:", "  airstrike: {label: Airstrike, definition: Bombing from the air.}\nactor_roles:"),
        encoding="utf-8")
    pages = {p.src_uri: p for p in generate(project)}
    assert "0 events." in pages["types/airstrike.md"].content


def test_two_processes_render_the_same_pages_as_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from timeweave.catalog.catalog import load_catalog
    from timeweave.parallel import forked
    from timeweave.site.pages import generate_pages

    forks: list[int] = []
    real_fork = os.fork
    monkeypatch.setattr(forked.os, "fork", lambda: forks.append(1) or real_fork())

    for content in (ROOT / "content", ROOT / "tests/fixtures/small_site/content"):
        catalog, errors = load_catalog(content, content.parent)
        assert not errors.errors, errors.errors
        options = SiteOptions(site_name="Timeline", site_url="https://example.org/")
        one = generate_pages(catalog, options, ROOT / "site_overrides", runner=SERIAL)
        two = generate_pages(catalog, options, ROOT / "site_overrides",
                             runner=ForkedRunner(fork_from=1, even_with_threads=True))
        assert len(one) > 20 and all(page.content for page in two)
        assert two == one
    assert len(forks) == 2, "the second process rendered its share for each site"


# -- what a reader reads (issue 16, item 6) ---------------------------------------------------------

def test_affiliations_read_as_sentences_from_both_actors(small_pages: dict[str, GeneratedPage]) -> None:
    army = small_pages["actors/alpha-army.md"].content
    state = small_pages["actors/alpha-state.md"].content
    assert '<bdi dir="auto">Alpha Army</bdi> is part of <a class="tl-actor" href="../alpha-state/"' in army
    assert '<li>Made up of: <a class="tl-actor" href="../alpha-army/" dir="auto">Alpha Army</a>.</li>' in state
    assert "this actor" not in army + state


def test_affiliation_dates_read_in_words_and_a_group_reads_as_a_list(tmp_path: Path) -> None:
    project = copy_small(tmp_path)
    (project / "content/actors/beta-allies.md").write_text(
        "---\nname: Beta Leader's allies\nkind: group\naffiliations:\n"
        "  - {actor: beta-leader, relation: allied-with, from: \"2019-05~\"}\n"
        "  - {actor: alpha-state, relation: backed-by, from: \"2019\", to: \"2020-02-10\"}\n---\nAllies.\n",
        encoding="utf-8")
    pages = {page.src_uri: page.content for page in generate(project)}
    allies, leader = pages["actors/beta-allies.md"], pages["actors/beta-leader.md"]
    assert ('<li>Allied with: <a class="tl-actor" href="../beta-leader/" dir="auto">Beta Leader</a>'
            " (since about May 2019).</li>") in allies  # not "Beta Leader's allies is allied with"
    assert "(from 2019 to 10 February 2020)." in allies
    assert " is allied with" not in allies and "2019-05~" not in allies
    assert ('<li>Allies: <a class="tl-actor" href="../beta-allies/" dir="auto">Beta Leader&#39;s allies</a>'
            " (since about May 2019).</li>") in leader


def test_a_source_publication_date_reads_in_words(small_pages: dict[str, GeneratedPage]) -> None:
    assert "<dt>Published<span class=\"tl-sr\">: </span></dt><dd>15 February 2020</dd>" in (
        small_pages["sources/fixture-report.md"].content)


def test_kinds_are_labelled_from_one_table(small_pages: dict[str, GeneratedPage]) -> None:
    for literal in (fields.ActorKind, fields.PlaceKind, fields.SourceKind):
        assert set(literal.__args__) <= set(fields.KIND_LABELS)  # type: ignore[attr-defined]
    assert '<span class="tl-kind">Armed force</span>' in small_pages["actors/index.md"].content
    assert '<span class="tl-kind">Official statement</span>' in small_pages["sources/index.md"].content
    assert '<dd>Armed force</dd>' in small_pages["actors/alpha-army.md"].content


def test_tags_show_their_vocabulary_label_or_their_id(small_pages: dict[str, GeneratedPage]) -> None:
    index = small_pages["tags/index.md"].content
    assert ">Escalation</a>" in index and "Events in which the conflict grows." in index
    assert ">rhetoric</a>" in index  # not in the vocabulary: accepted, shown as its id
    assert small_pages["tags/escalation.md"].title == "Tag: Escalation"
    event = small_pages["events/leader-threatens-response.md"].content
    assert 'href="../../tags/escalation/">Escalation</a>' in event


def test_the_edtf_value_follows_the_date_in_words(small_pages: dict[str, GeneratedPage]) -> None:
    text = small_pages["events/phone-call.md"].content
    date = text[text.index("<dt>Date"):text.index("<dt>Type")]
    words, machine = date.index("</time>"), date.index('class="tl-date-machine"')
    assert words < machine and "EDTF" not in date[:machine]
    assert "(EDTF" not in text


def test_each_term_in_a_list_of_facts_ends_with_a_separator(small_pages: dict[str, GeneratedPage]) -> None:
    """Pagefind joins a <dt> to its <dd> ('Dateuntil February 2020') unless something parts them."""
    for src_uri, page in small_pages.items():
        for term in re.findall(r"<dt>.*?</dt>", page.content):
            assert term.endswith('<span class="tl-sr">: </span></dt>'), (src_uri, term)


def test_list_titles_are_headings_one_level_below_their_list(small_pages: dict[str, GeneratedPage]) -> None:
    def levels(text: str) -> list[str]:
        return re.findall(r'<h([1-6])(?: class="([a-z_-]+)")?', text)

    timeline = levels(small_pages["timeline/index.md"].content)
    assert ("2", "tl-year") in timeline and ("3", "tl-month") in timeline
    assert {level for level, name in timeline if name == "tl-entry__title"} == {"4"}
    home = small_pages["index.md"].content
    assert {level for level, name in levels(home) if name == "tl-entry__title"} == {"3"}  # under "## Latest events"


def test_a_month_page_names_its_month_once(small_pages: dict[str, GeneratedPage]) -> None:
    page = small_pages["timeline/2020-02.md"]
    assert page.title == "February 2020"
    assert 'class="tl-month"' not in page.content and 'class="tl-year"' not in page.content
    headings = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", page.content)
    assert [h for h in headings if "February 2020" in h] == ["February 2020"]  # the page's title only
    assert '<h2 class="tl-entry__title">' in page.content  # its events, one level below it


def test_the_timeline_points_to_the_index_pages_without_javascript(small_pages: dict[str, GeneratedPage]) -> None:
    timeline = small_pages["timeline/index.md"].content
    hint = timeline[timeline.index('<p class="tl-nojs">'):]
    hint = hint[:hint.index("</p>")]
    for target in ("../actors/", "../places/", "../types/", "../tags/"):
        assert f'href="{target}"' in hint
    assert 'class="tl-nojs"' not in small_pages["actors/alpha-army.md"].content  # only the filtered timeline


def test_an_event_page_lists_the_two_nearest_events_on_each_side_that_share_an_actor(tmp_path: Path) -> None:
    from timeweave.catalog.catalog import load_catalog
    from timeweave.site.pages import AROUND_EVENTS, PageRenderer

    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    content = tmp_path / "content"
    corpus.write_content(content, 300, seed=5)
    catalog, _ = load_catalog(content, tmp_path)
    assert catalog is not None
    renderer = PageRenderer(catalog, SiteOptions())
    most = 0
    for event in catalog.timeline[:60]:
        page = renderer.event_page(event).content
        before, same_time, after = renderer.around(event, AROUND_EVENTS)
        assert len(before + same_time + after) <= 2 * AROUND_EVENTS
        listed = page.split("## Before and after, same actors", 1)[-1].split("\n## ", 1)[0]
        shown = [e for e in (*before, *same_time, *after) if f"../{e.id}/" in listed]
        assert len(shown) == len(before + same_time + after), event.id
        most = max(most, len(shown))
    assert AROUND_EVENTS == 2 and most == 4  # a busy corpus fills both sides
