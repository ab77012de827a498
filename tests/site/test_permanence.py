"""Permanence and citation, end to end: the permanence fixture becomes a git repository commit by
commit (first publication, then a rename, a withdrawal and a merge, then a correction), is built by
the real build command, and the built site is inspected and followed in chromium."""

from __future__ import annotations

import json
import logging
import re
import shutil
from dataclasses import dataclass
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc_reference import citeproc_text
from mkdocs.exceptions import Abort

from timeweave import urls
from timeweave.catalog.catalog import load_catalog
from timeweave.cli import main as cli
from timeweave.cli.build import atomic_build

from conftest import FIXTURES, ROOT, copy_site, mkdocs_build
from gitrepo import commit_all, git, init

FIXTURE = FIXTURES / "permanence_site"
SITE_URL = "https://timeline.example.org/archive/"
DATES = {
    "first": "2021-01-10T09:00:00+00:00",
    "manifest": "2021-01-10T10:00:00+00:00",
    "lifecycle": "2021-06-01T12:00:00+02:00",
    "correction": "2022-02-02T08:30:00+00:00",
}
HOSTILE_TITLE = 'Talks on "</script><script>alert(1)</script>" & {braces} 100% ~ | [[x]]'


def portable(project: Path) -> Path:
    """A copied project whose theme override folder is found wherever the copy lives."""
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../site_overrides", str(ROOT / "site_overrides")))
    return project


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass
class Built:
    project: Path
    site: Path
    commits: dict[str, str]
    first_manifest: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    tmp = tmp_path_factory.mktemp("permanence")
    project = portable(copy_site(FIXTURE, tmp / "project"))
    events, actors = project / "content/events/2020", project / "content/actors"
    (project / "published-urls.txt").unlink()
    commits = {}

    # 1. First publication: the event and the actor under their first ids, nothing withdrawn or merged.
    (events / "shelling-of-post.md").rename(events / "post-shelled.md")
    edit(events / "post-shelled.md", "former_ids: [post-shelled]\n", "")
    edit(events / "post-shelled.md", "were reportedly killed", "were killed")
    (actors / "gamma-group.md").rename(actors / "old-gamma.md")
    edit(actors / "old-gamma.md", "former_ids: [old-gamma]\n", "")
    edit(events / "retracted-claim.md",
         "withdrawn:\n  date: 2021-06-01\n  reason: The only source for this claim was found to be fabricated.\n", "")
    edit(events / "duplicate-report.md", "merged_into: shelling-of-post\n", "")
    edit(events / "script-title.md", "actor: gamma-group", "actor: old-gamma")
    init(project)
    commits["first"] = commit_all(project, "First publication", DATES["first"])
    atomic_build(str(project / "mkdocs.yml"), str(tmp / "site-first"), record_urls=True)
    first_manifest = (project / "published-urls.txt").read_text()
    commits["manifest"] = commit_all(project, "Record the published URLs", DATES["manifest"])

    # 2. A rename (git mv, former_ids), a withdrawal and a merge.
    git(project, "mv", "content/events/2020/post-shelled.md", "content/events/2020/shelling-of-post.md")
    git(project, "mv", "content/actors/old-gamma.md", "content/actors/gamma-group.md")
    for name in ("retracted-claim.md", "duplicate-report.md", "script-title.md"):
        shutil.copy(FIXTURE / "content/events/2020" / name, events / name)
    shutil.copy(FIXTURE / "content/actors/gamma-group.md", actors / "gamma-group.md")
    shutil.copy(FIXTURE / "content/events/2020/shelling-of-post.md", events / "shelling-of-post.md")
    edit(events / "shelling-of-post.md", "were reportedly killed", "were killed")
    commits["lifecycle"] = commit_all(project, "Rename, withdraw and merge", DATES["lifecycle"])

    # 3. A correction of the renamed event.
    shutil.copy(FIXTURE / "content/events/2020/shelling-of-post.md", events / "shelling-of-post.md")
    commits["correction"] = commit_all(project, "Correct the account: the deaths are reported",
                                       DATES["correction"])
    site = tmp / "site"
    atomic_build(str(project / "mkdocs.yml"), str(site), record_urls=True)
    return Built(project, site, commits, first_manifest)


class _Head(HTMLParser):
    """Script elements and link/meta tags, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._script, self._text = dict(attrs), []
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(path: Path) -> _Head:
    parser = _Head()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


class _CiteTexts(HTMLParser):
    """The text of each element a reader copies (data-tl-copy), entities decoded once."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: dict[str, str] = {}
        self._style: str | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._style:
            self._depth += 1
        elif (copy := dict(attrs).get("data-tl-copy")) is not None:
            self._style, self._depth = copy.lower(), 1
            self.texts[self._style] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._style:
            self._depth -= 1
            if self._depth == 0:
                self._style = None

    def handle_data(self, data: str) -> None:
        if self._style:
            self.texts[self._style] += data


def cite_texts(path: Path) -> dict[str, str]:
    parser = _CiteTexts()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.texts


def jsonld(path: Path) -> dict[str, object]:
    blocks = [text for attrs, text in parse(path).scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1, f"{path}: {len(blocks)} JSON-LD blocks"
    return json.loads(blocks[0])  # type: ignore[no-any-return]


def meta(path: Path, key: str, attr: str = "property") -> list[str | None]:
    return [attrs.get("content") for tag, attrs in parse(path).tags if tag == "meta" and attrs.get(attr) == key]


def cite_entry(site: Path, url: str, name: str) -> str:
    """The entry an event page's download link saves as `name` ('x.bib', 'x.ris', 'x.csl.json'):
    the link names its month's citation file, its paragraph the event's id; the entry is cut out of
    that file as cite.js does (a BibTeX entry, a RIS record, a CSL-JSON list of one item)."""
    tags = parse(page(site, url)).tags
    (event_id,) = [a["data-tl-cite-entry"] for t, a in tags if "data-tl-cite-entry" in a]
    suffix = name.removeprefix(event_id)
    (href,) = {a["href"] for t, a in tags  # the BibTeX panel links to the same .bib file
               if t == "a" and "download" in a and "." + a["href"].rsplit("/", 1)[1].split(".", 1)[1] == suffix}
    text = (page(site, url).parent / href).resolve().read_text(encoding="utf-8")
    if name.endswith(".json"):
        return json.dumps([item for item in json.loads(text) if item["id"] == event_id])
    ris = name.endswith(".ris")
    records = re.split(r"\n(?=TY  - )" if ris else r"\n(?=@)", text)
    head = f"ID  - {event_id}" if ris else "@misc{" + event_id + ","
    (entry,) = [r for r in records if r.split("\n")[1 if ris else 0] == head]
    return entry


def page(site: Path, url: str) -> Path:
    return site / url / "index.html"


# -- the manifest -------------------------------------------------------------------------------

def test_first_build_records_every_permanent_url(built: Built) -> None:
    urls = built.first_manifest.splitlines()
    assert urls == sorted(set(urls))
    for expected in ("/", "/about/", "/timeline/", "/events/post-shelled/", "/events/retracted-claim/",
                     "/events/duplicate-report/", "/actors/old-gamma/", "/places/beta-town/",
                     "/sources/fixture-report/", "/map/"):
        assert expected in urls
    assert not any("/page/" in url or url.startswith("/tags/escalation") for url in urls)


def test_later_build_appends_and_matches_the_committed_fixture_manifest(built: Built) -> None:
    final = (built.project / "published-urls.txt").read_text()
    assert set(built.first_manifest.splitlines()) <= set(final.splitlines())
    assert "/events/shelling-of-post/\n" in final and "/actors/gamma-group/\n" in final
    assert final == (FIXTURE / "published-urls.txt").read_text()


def test_tests_builds_do_not_touch_the_manifest(built: Built, tmp_path: Path) -> None:
    project = portable(copy_site(FIXTURE, tmp_path / "project"))
    (project / "published-urls.txt").write_text("/\n")
    mkdocs_build(project, tmp_path / "site")
    assert (project / "published-urls.txt").read_text() == "/\n"


# -- redirects and tombstones ---------------------------------------------------------------------

@pytest.mark.parametrize("old, new, words", [
    ("events/post-shelled/", "events/shelling-of-post/", "This page has moved"),
    ("actors/old-gamma/", "actors/gamma-group/", "This page has moved"),
    ("events/duplicate-report/", "events/shelling-of-post/", "merged into another"),
])
def test_old_urls_are_redirect_pages(built: Built, old: str, new: str, words: str) -> None:
    path = page(built.site, old)
    html = path.read_text()
    head = parse(path)
    refresh = [a["content"] for t, a in head.tags if t == "meta" and a.get("http-equiv") == "refresh"]
    target = urls.relative(old, new)
    assert refresh == [f"0; url={target}"]
    canonical = [a["href"] for t, a in head.tags if t == "link" and a.get("rel") == "canonical"]
    assert canonical == [SITE_URL + new]
    links = [a["href"] for t, a in head.tags if t == "a"]
    assert links == [target]
    assert words in html
    assert ("noindex" in html) and ("location.replace" in html)


def test_merged_event_is_noted_on_its_target(built: Built) -> None:
    html = page(built.site, "events/shelling-of-post/").read_text()
    assert "This event absorbed" in html
    assert "Post shelled, second report" in html and "/events/duplicate-report/" in html
    assert all("duplicate-report" not in path.read_text() for path in (built.site / "data/citations").iterdir())


def test_withdrawn_event_is_a_tombstone_out_of_lists(built: Built) -> None:
    path = page(built.site, "events/retracted-claim/")
    html = path.read_text()
    assert "Withdrawn on 2021-06-01" in html
    assert "The only source for this claim was found to be fabricated." in html
    assert "no longer part of the timeline" in html
    assert meta(path, "robots", "name") == ["noindex"]
    assert not [t for a, t in parse(path).scripts if a.get("type") == "application/ld+json"]
    for listing in ("timeline/", "actors/beta-leader/", "types/statement/"):
        assert "retracted-claim" not in page(built.site, listing).read_text(), listing
    assert "/events/retracted-claim/" in (built.project / "published-urls.txt").read_text()
    assert "events/retracted-claim/" not in (built.site / "sitemap.xml").read_text()
    index = json.loads((built.site / "search/search_index.json").read_text())
    assert not [d for d in index["docs"] if d["location"].startswith("events/retracted-claim/")]


def test_citation_sections_stay_out_of_the_search_index(built: Built) -> None:
    index = json.loads((built.site / "search/search_index.json").read_text())
    docs = [d for d in index["docs"] if d["location"].startswith("events/shelling-of-post/")]
    assert docs and "Five soldiers" in " ".join(d["text"] for d in docs)
    assert not [d for d in docs if "@misc" in d["text"] or "cite web" in d["text"]
                or d["title"] in ("Versions", "Cite this event")]


# -- validation of the manifest ---------------------------------------------------------------------

@pytest.fixture
def repo_copy(built: Built, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built.project, tmp_path / "project", symlinks=True))


def test_deleting_a_published_event_fails_validation_with_the_fix(
        repo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    git(repo_copy, "rm", "-q", "content/events/2020/retracted-claim.md")
    commit_all(repo_copy, "Remove the retracted claim", "2023-01-01T00:00:00+00:00")
    short = git(repo_copy, "rev-parse", "--short=7", "HEAD").strip()
    monkeypatch.chdir(repo_copy)
    assert cli.main(["validate"]) == cli.EXIT_CONTENT
    err = capsys.readouterr().err
    line = (repo_copy / "published-urls.txt").read_text().splitlines().index("/events/retracted-claim/") + 1
    assert f"published-urls.txt:{line}: url: published URL /events/retracted-claim/ (the event " \
           "'retracted-claim') no longer resolves to a page or a redirect" in err
    assert "withdrawn: {date, reason}" in err and "merged_into: <event id>" in err
    assert f"content/events/2020/retracted-claim.md (deleted in commit {short} on 2023-01-01" in err
    assert "1 error(s)" in err

    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        mkdocs_build(repo_copy, repo_copy.parent / "site")
    assert re.search(r"published URL /events/retracted-claim/ .*withdrawn", caplog.text)


def test_dropping_a_former_id_fails_validation(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo_copy / "content/actors/gamma-group.md", "former_ids: [old-gamma]\n", "")
    monkeypatch.chdir(repo_copy)
    assert cli.main(["validate"]) == cli.EXIT_CONTENT
    err = capsys.readouterr().err
    assert "published URL /actors/old-gamma/ (the actor 'old-gamma')" in err
    assert "add 'old-gamma' to `former_ids` of the actor that replaced it" in err


def test_a_renamed_event_with_its_former_id_validates(repo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    git(repo_copy, "mv", "content/events/2020/script-title.md", "content/events/2020/talks.md")
    edit(repo_copy / "content/events/2020/talks.md", "archive:", "former_ids: [script-title]\narchive:")
    monkeypatch.chdir(repo_copy)
    assert cli.main(["validate"]) == cli.EXIT_OK


def test_the_contributors_guide_is_permanent_once_published(repo_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    manifest = repo_copy / "published-urls.txt"
    manifest.write_text(manifest.read_text() + "/contributing/\n")
    monkeypatch.chdir(repo_copy)
    assert not (repo_copy / "CONTRIBUTING.md").exists()
    assert cli.main(["validate"]) == cli.EXIT_CONTENT
    assert "published URL /contributing/ (a page) no longer resolves" in capsys.readouterr().err
    # A guide the site can publish: its field reference between the two markers.
    from timeweave.site.contributing import BEGIN, END

    (repo_copy / "CONTRIBUTING.md").write_text(f"# Contributing\n\n{BEGIN}\n{END}\n")
    assert cli.main(["validate"]) == cli.EXIT_OK


# -- citation files and the "Cite this event" section ---------------------------------------------

def test_bibtex_parses_and_carries_the_permalink_and_version(built: Built) -> None:
    text = cite_entry(built.site, "events/shelling-of-post/", "shelling-of-post.bib")
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.key == "shelling-of-post"
    assert entry["url"] == SITE_URL + "events/shelling-of-post/"
    assert entry["title"] == "Shelling of an observation post"
    assert entry["version"] == built.commits["correction"]
    assert entry["date"] == "2022-02-02" and entry["year"] == "2022"


def test_hostile_title_survives_bibtex_and_ris(built: Built) -> None:
    library = bibtexparser.parse_string(cite_entry(built.site, "events/script-title/", "script-title.bib"),
                                        append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks and len(library.entries) == 1
    assert library.entries[0]["title"] == HOSTILE_TITLE
    assert library.entries[0]["archiveurl"].startswith("https://web.archive.org/")
    (ris,) = rispy.loads(cite_entry(built.site, "events/script-title/", "script-title.ris"))
    assert ris["title"] == HOSTILE_TITLE
    assert ris["urls"] == [SITE_URL + "events/script-title/"]


def test_ris_and_csl_json_carry_the_permalink(built: Built) -> None:
    (entry,) = rispy.loads(cite_entry(built.site, "events/shelling-of-post/", "shelling-of-post.ris"))
    assert entry["type_of_reference"] == "ELEC"
    assert entry["urls"] == [SITE_URL + "events/shelling-of-post/"]
    assert entry["title"] == "Shelling of an observation post"
    assert entry["date"] == "2022/02/02/"
    assert entry["edition"] == built.commits["correction"]
    (item,) = json.loads(cite_entry(built.site, "events/shelling-of-post/", "shelling-of-post.csl.json"))
    assert item["URL"] == SITE_URL + "events/shelling-of-post/"
    assert item["type"] == "webpage" and item["issued"] == {"date-parts": [[2022, 2, 2]]}
    assert item["note"].startswith("Event dated 10 February 2020")


def test_cite_section_offers_every_format(built: Built) -> None:
    path = page(built.site, "events/shelling-of-post/")
    html = path.read_text()
    short = built.commits["correction"][:7]
    assert f"Permanent link: <a href=\"./\">{SITE_URL}events/shelling-of-post/</a>" in html
    assert f"(2022, February 2). <i>Shelling of an observation post</i>. {SITE_URL}events/shelling-of-post/" in html
    # The texts a reader sees (the page parsed once) are what citeproc-py makes of the page's CSL-JSON record.
    (item,) = json.loads(cite_entry(built.site, "events/shelling-of-post/", "shelling-of-post.csl.json"))
    texts = cite_texts(path)
    assert (texts["apa"], texts["chicago"]) == (citeproc_text(item, "apa"), citeproc_text(item, "chicago-author-date"))
    # The version cited is the whole commit, under a singular label.
    assert f"Version {built.commits['correction']}." in texts["chicago"] and f"Version {short}." not in html
    assert "{{cite web |url=" + SITE_URL + "events/shelling-of-post/ |title=Shelling of an observation post" \
           " |website=Permanence fixture |date=2022-02-02" in html
    # Each download is the month's file of its format; cite.js saves the event's entry under its name.
    links = [a.get("href") for t, a in parse(path).tags if t == "a" and "download" in a]
    assert links == ["../../data/citations/2020.bib",  # the BibTeX panel's, without JavaScript
                     "../../data/citations/2020.bib", "../../data/citations/2020.ris",
                     "../../data/citations/2020.csl.json"]
    assert [a["data-tl-cite-entry"] for t, a in parse(path).tags if "data-tl-cite-entry" in a] == ["shelling-of-post"]
    version_link = f"https://git.example.org/timeline/src/commit/{built.commits['correction']}/" \
                   "content/events/2020/shelling-of-post.md"
    assert f'(<a href="{version_link}">this version in the repository</a>)' in html


def test_no_citation_text_carries_an_html_entity(built: Built) -> None:
    entity = re.compile(r"&(#[0-9]+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
    cited = {path: texts for path in sorted((built.site / "events").glob("*/index.html"))
             if (texts := cite_texts(path))}  # a merged event's page only points to the event it joined
    assert len(cited) > 2
    for path, texts in cited.items():
        assert {"apa", "chicago", "wikipedia", "bibtex"} <= set(texts), path
        for style, text in texts.items():
            if style == "wikipedia":
                # Wikitext's own escapes of characters that would form markup (< > [ ] { } |, an
                # entity's shape) are the format, decoded by the wiki; nothing else is escaped.
                text = re.sub(r"&(lt|gt|amp|#91|#93|#123|#125|#124);", "", text)
            assert not entity.search(text), f"{path}: {style}: {text}"


def test_wikipedia_citation_names_the_archive(built: Built) -> None:
    html = page(built.site, "events/script-title/").read_text()
    assert "|archive-url=https://web.archive.org/web/20220301000000/https://timeline.example.org/archive/" \
           "events/script-title/ |archive-date=2021-03-01 |url-status=live}}" in html
    # Wikitext: no tag, template, link or parameter can be formed from the title.
    assert '|title=Talks on "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" & &#123;braces&#125; ' \
           '100% ~ &#124; &#91;&#91;x&#93;&#93; |website=Permanence fixture' in unescape(html)


# -- versions from git ------------------------------------------------------------------------------

def test_history_comes_from_git_and_follows_the_rename(built: Built) -> None:
    html = page(built.site, "events/shelling-of-post/").read_text()
    section = html[html.index('id="versions"'):html.index('class="tl-prevnext"')]
    assert 'First published <time datetime="2021-01-10T09:00:00+00:00">2021-01-10</time>' in section
    assert 'last updated <time datetime="2022-02-02T08:30:00+00:00">2022-02-02</time>' in section
    items = re.findall(r"<li><time datetime=\"([^\"]+)\">[^<]+</time> <a href=\"([^\"]+)\"><code>(\w+)</code></a> "
                       r"<span dir=\"auto\">([^<]+)</span></li>", section)
    assert [(d, c, s) for d, _, c, s in items] == [
        (DATES["correction"], built.commits["correction"][:7], "Correct the account: the deaths are reported"),
        (DATES["lifecycle"], built.commits["lifecycle"][:7], "Rename, withdraw and merge"),
        (DATES["first"], built.commits["first"][:7], "First publication"),
    ]
    assert items[-1][1].endswith(f"/src/commit/{built.commits['first']}/content/events/2020/post-shelled.md")


def test_dates_never_come_from_the_clock(built: Built) -> None:
    today = date.today().isoformat()
    for path in [page(built.site, "events/shelling-of-post/"), built.site / "sitemap.xml",
                 built.site / "data/citations/2020.bib"]:
        assert today not in path.read_text(), path
    sitemap = (built.site / "sitemap.xml").read_text()
    assert f"<url><loc>{SITE_URL}events/shelling-of-post/</loc><lastmod>{DATES['correction']}</lastmod></url>" \
        in sitemap
    assert f"<url><loc>{SITE_URL}about/</loc><lastmod>{DATES['first']}</lastmod></url>" in sitemap
    assert f"<url><loc>{SITE_URL}</loc><lastmod>{DATES['correction']}</lastmod></url>" in sitemap


# -- structured data --------------------------------------------------------------------------------

def test_event_jsonld_agrees_with_the_content(built: Built) -> None:
    catalog, _ = load_catalog(built.project / "content", built.project)
    assert catalog is not None
    for event in catalog.events.values():
        if not event.live:
            continue
        data = jsonld(page(built.site, f"events/{event.id}/"))
        assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
        assert data["name"] == event.title
        assert data["url"] == f"{SITE_URL}events/{event.id}/"
        assert data["startDate"].startswith(event.when.earliest.isoformat())
        assert data["endDate"] == event.when.latest.isoformat()
        assert [a["name"] for a in data["actor"]] == [catalog.actors[a.actor].name for a in event.actors]
        # citation and dateModified are the page's (a WebPage), outside Event's schema.org domain
        assert data["subjectOf"]["@type"] == "WebPage" and data["subjectOf"]["url"] == data["url"]
        cited = [c["name"] for c in data["subjectOf"]["citation"]]
        assert cited == [catalog.sources[s.source].title for s in event.sources]
        assert "citation" not in data and "dateModified" not in data
        location = catalog.location(event)
        if location is not None:
            assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": location.lat,
                                               "longitude": location.lon}
    shelling = jsonld(page(built.site, "events/shelling-of-post/"))
    assert shelling["startDate"] == "2020-02-10T14:30"
    assert shelling["subjectOf"]["dateModified"] == DATES["correction"]
    assert shelling["location"]["name"] == "Beta Town"
    assert shelling["actor"][0]["sameAs"] == "https://www.wikidata.org/wiki/Q4115189"
    assert shelling["subjectOf"]["citation"][0]["archivedAt"].startswith("https://web.archive.org/")


def test_actor_jsonld_is_a_person_or_organization_with_wikidata(built: Built) -> None:
    army = jsonld(page(built.site, "actors/alpha-army/"))
    assert army["@type"] == "Organization" and army["sameAs"] == "https://www.wikidata.org/wiki/Q4115189"
    assert army["url"] == f"{SITE_URL}actors/alpha-army/"
    leader = jsonld(page(built.site, "actors/beta-leader/"))
    assert leader["@type"] == "Person" and leader["alternateName"] == ["Le chef Bêta"]


def test_script_in_a_title_stays_inside_its_json_ld(built: Built) -> None:
    path = page(built.site, "events/script-title/")
    html = path.read_text()
    assert "<script>alert(1)" not in html
    head = parse(path)
    assert all("alert(1)" not in text for attrs, text in head.scripts if attrs.get("type") != "application/ld+json")
    assert not [a for a in head.scripts if a[1].strip() == "alert(1)"]
    data = jsonld(path)
    assert data["name"] == HOSTILE_TITLE
    block = html[html.index('<script type="application/ld+json">'):]
    block = block[:block.index("</script>")]
    assert "\\u003c/script\\u003e" in block and "\\u0026" in block


def test_open_graph_and_canonical_on_every_page(built: Built) -> None:
    for path in sorted(built.site.rglob("index.html")):
        head = parse(path)
        canonical = [a for t, a in head.tags if t == "link" and a.get("rel") == "canonical"]
        assert len(canonical) == 1, path
        if meta(path, "refresh", "http-equiv"):
            continue  # a redirect page: canonical only
        assert len(meta(path, "og:title")) == 1, path
        assert meta(path, "og:site_name") == ["Permanence fixture"], path
        assert len(meta(path, "og:url")) == 1 and meta(path, "og:url")[0].startswith(SITE_URL), path
    event = page(built.site, "events/shelling-of-post/")
    assert meta(event, "og:type") == ["article"]
    assert meta(event, "og:description") == ["Shelling, 10 February 2020, Beta Town. Status: reported."]
    assert meta(event, "article:modified_time") == [DATES["correction"]]


# -- a checkout without git history ------------------------------------------------------------------

def test_builds_without_git_and_says_so_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = portable(copy_site(FIXTURE, tmp_path / "project"))
    with caplog.at_level(logging.WARNING):
        site = mkdocs_build(project, tmp_path / "site")
    said = [r for r in caplog.records if "no git history" in r.getMessage()]
    assert len(said) == 1
    html = page(site, "events/shelling-of-post/").read_text()
    assert "built without git history" in html
    (item,) = json.loads(cite_entry(site, "events/shelling-of-post/", "shelling-of-post.csl.json"))
    assert "issued" not in item and "version" not in item
    assert cite_texts(page(site, "events/shelling-of-post/"))["apa"] == citeproc_text(item, "apa")
    assert "(n.d.)" in cite_texts(page(site, "events/shelling-of-post/"))["apa"]
    assert "<lastmod>" not in (site / "sitemap.xml").read_text()
    assert (project / "published-urls.txt").read_text() == (FIXTURE / "published-urls.txt").read_text()


def test_without_site_url_permalinks_are_paths_without_developer_notes(small_site: Path) -> None:
    html = page(small_site, "events/shelling-of-post/").read_text()
    assert 'Permanent link: <a href="./" data-tl-own-address="1">/events/shelling-of-post/</a>' in html
    # The Data page names the data files' own `site_url` field: documentation, not a note.
    for path in sorted(set(small_site.rglob("*.html")) - {small_site / "data/index.html"}):
        assert "site_url" not in path.read_text(encoding="utf-8"), path
    head = parse(page(small_site, "events/shelling-of-post/"))
    assert [a["href"] for t, a in head.tags if t == "link" and a.get("rel") == "canonical"] == ["./"]
    # Search engines accept only absolute <loc>s: without site_url there is no sitemap (site/sitemap.py).
    assert not (small_site / "sitemap.xml").exists()


# -- in the browser -----------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("old, new", [
    ("events/post-shelled/#cite-this-event", "events/shelling-of-post/#cite-this-event"),
    ("events/duplicate-report/", "events/shelling-of-post/"),
    ("actors/old-gamma/", "actors/gamma-group/"),
])
def test_browser_follows_old_urls(built: Built, serve: object, page: object, old: str, new: str) -> None:
    base = serve(built.site)  # type: ignore[operator]
    page.goto(f"{base}/{old}")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/{new}")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() in ("Shelling of an observation post", "Gamma Group")  # type: ignore[attr-defined]
    # Map tiles are the one outside request the site makes (event pages now carry a map).
    assert [u for u in page.blocked if 'tile.openstreetmap.org' not in u] == [] and page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_browser_without_javascript_follows_the_meta_refresh(built: Built, serve: object, browser: object) -> None:
    base = serve(built.site)  # type: ignore[operator]
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else route.abort())
    tab = context.new_page()
    tab.goto(f"{base}/events/post-shelled/")
    tab.wait_for_url(f"{base}/events/shelling-of-post/")
    assert tab.locator("h1").first.inner_text() == "Shelling of an observation post"
    context.close()


@pytest.mark.browser
def test_browser_tombstone_and_citation_tools(built: Built, serve: object, page: object) -> None:
    base = serve(built.site)  # type: ignore[operator]
    page.goto(f"{base}/events/retracted-claim/")  # type: ignore[attr-defined]
    assert "Withdrawn on 2021-06-01" in page.locator(".tl-withdrawn").inner_text()  # type: ignore[attr-defined]

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])  # type: ignore[attr-defined]
    page.goto(f"{base}/events/shelling-of-post/")  # type: ignore[attr-defined]
    access = page.locator(".tl-access-date").inner_text()  # type: ignore[attr-defined]
    assert re.fullmatch(r" \|access-date=\d{4}-\d{2}-\d{2}", access)
    # The formats are tabs: a reader picks BibTeX, then copies it.
    page.get_by_role("tab", name="BibTeX").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Copy the BibTeX citation").click()  # type: ignore[attr-defined]
    page.locator(".tl-copy-status", has_text="Copied").first.wait_for()  # type: ignore[attr-defined]
    copied = page.evaluate("navigator.clipboard.readText()")  # type: ignore[attr-defined]
    assert copied.startswith("@misc{shelling-of-post,") and SITE_URL + "events/shelling-of-post/" in copied
    # A download saves this event's own entry of its month's file, under the event's name.
    assert not page.locator("[data-tl-cite-period]").is_visible()  # type: ignore[attr-defined]
    for label, name in (("BibTeX", "shelling-of-post.bib"), ("RIS", "shelling-of-post.ris"),
                        ("CSL-JSON", "shelling-of-post.csl.json")):
        with page.expect_download() as info:  # type: ignore[attr-defined]
            page.locator(".tl-cite-downloads").get_by_role("link", name=label).click()  # type: ignore[attr-defined]
        download = info.value
        assert download.suggested_filename == name
        saved = Path(download.path()).read_text("utf-8")
        expected = cite_entry(built.site, "events/shelling-of-post/", name)
        if name.endswith(".json"):
            assert json.loads(saved) == json.loads(expected)
        else:
            assert saved == expected
        assert "events/shelling-of-post/" in saved and "retracted-claim" not in saved  # the month holds both
    assert [u for u in page.blocked if 'tile.openstreetmap.org' not in u] == []  # type: ignore[attr-defined]
    assert page.errors == [] and page.dialogs == []  # type: ignore[attr-defined]

    page.goto(f"{base}/events/script-title/")  # type: ignore[attr-defined]
    assert page.dialogs == [] and page.errors == []  # type: ignore[attr-defined]
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())  # type: ignore[attr-defined]
    assert data["name"] == HOSTILE_TITLE

