"""The registry of record kinds against what the rest of the package and the fixture sites do."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from timeweave import urls
from timeweave.build import build
from timeweave.catalog.catalog import load_catalog
from timeweave.content import models
from timeweave.content.history import History
from timeweave.content.loader import load_content
from timeweave.kinds import KIND_BY_CONTENT_FOLDER, KIND_BY_NAME, KIND_BY_URL_FOLDER, KINDS, RecordKind
from timeweave.project import Project
from timeweave.site.pages import GeneratedPage, SiteOptions

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL = FIXTURES / "small_site"
CONTENT = SMALL / "content"


@pytest.fixture(scope="module")
def small_pages() -> dict[str, GeneratedPage]:
    no_history = History(False, "these pages must not depend on the repository's history")
    project = Project(root=SMALL, content_dir=CONTENT, docs_dir=SMALL / "docs", override_dir=None, manifest=None,
                      contributing=None, options=SiteOptions())
    built = build(project, today=date(2026, 1, 1), history=no_history)
    return {page.src_uri: page for page in built.pages}


def test_names_and_folders_are_unique() -> None:
    assert len(KIND_BY_NAME) == len(KIND_BY_CONTENT_FOLDER) == len(KIND_BY_URL_FOLDER) == len(KINDS)


def test_the_fixture_content_has_a_folder_for_each_kind_and_no_other() -> None:
    folders = {p.name for p in CONTENT.iterdir() if p.is_dir()}
    assert folders == {kind.content_folder for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_files_sit_where_the_kind_says(kind: RecordKind) -> None:
    files = sorted((CONTENT / kind.content_folder).rglob("*.md"))
    assert files, f"the fixture site has no {kind.name}"
    depth = 2 if kind.year_folders else 1
    assert all(len(f.relative_to(CONTENT / kind.content_folder).parts) == depth for f in files)


def test_the_loader_reads_each_folder_as_its_kind() -> None:
    loaded = load_content(CONTENT, SMALL)
    assert loaded.errors.items == []
    for raw in loaded.records:
        assert Path(raw.path).relative_to("content").parts[0] == KIND_BY_NAME[raw.kind].content_folder


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_url_folder_is_what_urls_builds(kind: RecordKind) -> None:
    assert urls.record_url(kind.name, "some-id") == f"{kind.url_folder}/some-id/"
    assert urls.index_url(kind.name) == f"{kind.url_folder}/"
    assert urls.record_of_path(f"/{kind.url_folder}/some-id/") == (kind.name, "some-id")


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_model_class_named_exists_and_has_the_title_field(kind: RecordKind) -> None:
    cls = getattr(models, kind.model_class)
    assert isinstance(cls, type) and issubclass(cls, models.Record)
    assert models.MODELS[kind.name] is cls
    assert kind.title_field in cls.model_fields


def test_the_fixture_records_have_their_title_field() -> None:
    catalog, errors = load_catalog(CONTENT, SMALL, date(2026, 1, 1))
    assert catalog is not None, [e.format() for e in errors.items]
    for kind, records in catalog.records_by_kind().items():
        assert records, f"the fixture site has no {kind}"
        assert all(getattr(r, KIND_BY_NAME[kind].title_field) for r in records.values())


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_index_pages_and_labels(kind: RecordKind, small_pages: dict[str, GeneratedPage]) -> None:
    index = small_pages.get(urls.src_uri(urls.index_url(kind.name)))
    if kind.has_index_page:
        assert index is not None and index.title == kind.plural_label
        assert urls.index_url(kind.name) in urls.SECTION_URLS
    else:
        assert index is None
        assert urls.index_url(kind.name) not in urls.SECTION_URLS


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_contributors_guide_has_a_field_reference_under_each_label(kind: RecordKind) -> None:
    guide = (FIXTURES.parent.parent / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert f"### {kind.label} fields\n\nFile: `content/{kind.file_pattern}`." in guide
