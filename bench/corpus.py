"""A synthetic timeline of any size, for the benchmark and the scale tests.

`python bench/corpus.py N OUT [--seed S]` writes a whole project to OUT: content/ (N events, N/10
actors, N/20 places in a country > governorate > district > town hierarchy, N/50 sources, a
vocabulary), docs/ copied from the repository and a mkdocs.yml copied from the repository's with
its paths pointed at the copy (the theme overrides stay the repository's).

Deterministic: the same N and seed give the same bytes. Event i's own text (title, body, dates,
annotations) depends only on the seed and i, so the same event has the same body at every N, and
a page's size can be compared between sizes. References (actors, places, sources, related events)
are drawn from the records of that N.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent

WORDS = """
army forces village town road bridge checkpoint convoy shelling artillery rocket drone strike
position post observation front line offensive ceasefire talks delegation minister spokesman
statement report witness residents civilians families hospital school market mosque camp
displaced refugees border crossing aid agency truck supply fuel water power station district
governorate province capital city valley hill river airport base outpost garrison militia rebels
government opposition council committee agreement deadline warning threat response retaliation
accusation denial claim evidence footage video photograph satellite image analyst researcher
journalist correspondent newspaper channel agency monitor observatory count casualties wounded
killed missing detained arrested released prisoners exchange negotiation mediator guarantor
patrol vehicle tank helicopter aircraft jet missile mortar sniper ambush clash skirmish raid
siege blockade corridor evacuation shelter winter summer night morning evening week month
""".split()
VERBS = """
reported said claimed denied confirmed announced warned accused shelled struck entered withdrew
advanced retreated captured surrounded evacuated fled returned met agreed rejected demanded
""".split()
ADJECTIVES = """
heavy light northern southern eastern western rural urban local regional foreign senior
unnamed anonymous official independent conflicting early late sudden prolonged renewed
""".split()
SYLLABLES = (
    "al ab ad ar as ba bi da di ha hi ja ka ki la li ma mi na ni qa ra ri sa si ta ti wa ya za".split()
)
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"

EVENT_TYPES = {
    "shelling": "Artillery or rocket fire on a position or place.",
    "airstrike": "An attack from the air by aircraft or drones.",
    "armed-clash": "Fighting between armed parties.",
    "military-deployment": "Moving or massing troops or weapons into an area.",
    "displacement": "People forced to leave their homes.",
    "statement": "A public statement by an actor.",
    "threat": "A public warning that force will be used.",
    "diplomacy": "Talks or calls between governments.",
    "agreement": "A deal or ceasefire between parties.",
    "arrest": "People detained by an authority.",
    "protest": "A public demonstration.",
    "aid-delivery": "Humanitarian aid reaching people.",
}
ACTOR_ROLES = ["initiator", "target", "participant", "speaker", "subject", "mediator", "victim", "commander"]
RELATIONS = {
    "response-to": "Answered by",
    "follows": "Followed by",
    "part-of": "Includes",
    "contradicts": "Contradicted by",
}
ANNOTATION_KINDS = ["context", "correction", "uncertainty", "dispute"]
STATUSES = ["confirmed", "reported", "claimed", "disputed"]
TAGS = [
    f"{a}-{b}"
    for a in ("north", "south", "east", "west", "border", "coast")
    for b in ("front", "talks", "escalation", "civilians", "aid")
]
ACTOR_KINDS = [
    "person",
    "state",
    "government-body",
    "armed-force",
    "armed-group",
    "political-party",
    "organisation",
    "media",
]
SOURCE_KINDS = ["news", "analysis", "official-statement", "report", "social-media", "book", "other"]
FIRST_YEAR, YEARS = 2011, 12  # events fall in 2011-2022: all in the past, a dozen year folders


def _term(label: str, definition: str, inverse: str | None = None) -> dict[str, str]:
    term = {"label": label, "definition": definition}
    if inverse:
        term["inverse"] = inverse
    return term


def vocabulary() -> dict[str, Any]:
    def label(term_id: str) -> str:
        return term_id.replace("-", " ").capitalize()

    return {
        "event_types": {k: _term(label(k), v) for k, v in EVENT_TYPES.items()},
        "actor_roles": {k: _term(label(k), f"The actor's part in the event: {k}.") for k in ACTOR_ROLES},
        "relations": {
            k: _term(label(k), f"This event {k.replace('-', ' ')} the other.", inv)
            for k, inv in RELATIONS.items()
        },
        "annotation_kinds": {k: _term(label(k), f"An editor's note: {k}.") for k in ANNOTATION_KINDS},
        "statuses": {k: _term(label(k), f"How sure we are: {k}.") for k in STATUSES},
    }


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _sentence(rng: random.Random, low: int = 8, high: int = 18) -> list[str]:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    words[rng.randrange(1, len(words))] = rng.choice(VERBS)
    words[0] = words[0].capitalize()
    return words


def body(rng: random.Random, low: int, high: int) -> str:
    """Markdown of low..high words: paragraphs with emphasis, a link, sometimes a list."""
    target = rng.randint(low, high)
    paragraphs: list[str] = []
    count = 0
    while count < target:
        sentences = []
        for _ in range(rng.randint(2, 5)):
            words = _sentence(rng)
            count += len(words)
            roll = rng.random()
            if roll < 0.15:
                i = rng.randrange(len(words))
                words[i] = f"**{words[i]}**"
            elif roll < 0.25:
                i = rng.randrange(len(words))
                words[i] = f"*{words[i]}*"
            elif roll < 0.3:
                i = rng.randrange(len(words))
                words[i] = f"[{words[i]}](https://example.org/{rng.choice(WORDS)}/{rng.randint(1, 9999)})"
            sentences.append(" ".join(words) + ".")
            if count >= target:
                break
        paragraphs.append(" ".join(sentences))
        if rng.random() < 0.1:
            paragraphs.append("\n".join(f"- {' '.join(_sentence(rng, 3, 6))}" for _ in range(3)))
    return "\n\n".join(paragraphs)


def _date(rng: random.Random) -> tuple[str, int]:
    """An EDTF date (qualifiers, months, years, closed and open intervals) and its folder year."""
    year = FIRST_YEAR + rng.randrange(YEARS)
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    d = f"{year:04d}-{month:02d}-{day:02d}"
    roll = rng.random()
    if roll < 0.55:
        return d, year
    if roll < 0.65:
        return d + rng.choice("~?%"), year
    if roll < 0.75:
        return f"{year:04d}-{month:02d}" + rng.choice(["", "~", "?"]), year
    if roll < 0.77:
        return f"{year:04d}~", year
    if roll < 0.92:
        end_day = min(28, day + rng.randint(1, 5))
        return f"{d}/{year:04d}-{month:02d}-{end_day:02d}", year
    if roll < 0.95:
        return f"../{d}", year
    if roll < 0.98:
        return f"{d}/", year
    return f"{d}/..", year


@dataclass(frozen=True)
class Sizes:
    events: int
    actors: int
    places: int
    sources: int

    @classmethod
    def for_events(cls, n: int) -> Sizes:
        return cls(n, max(6, n // 10), max(8, n // 20), max(2, n // 50))


def _front(data: dict[str, Any], text: str) -> str:
    # JSON is YAML: every value is quoted safely, and the YAML 1.2 resolution keeps dates as text.
    lines = ["---"]
    for key, value in data.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + text + "\n"


def _places(rng: random.Random, count: int) -> list[tuple[str, dict[str, Any], str]]:
    """count places: ~1/20 countries, governorates within them, districts within those, then towns."""
    out: list[tuple[str, dict[str, Any], str]] = []
    levels = [
        ("country", max(2, count // 20)),
        ("governorate", max(2, count // 8)),
        ("district", max(2, count // 4)),
    ]
    parents: list[tuple[str, float, float]] = []
    made = 0
    for kind, wanted in levels:
        current: list[tuple[str, float, float]] = []
        for _ in range(wanted):
            if made >= count - 1:
                break
            made += 1
            name = f"{_name(rng)} {kind.capitalize()}" if kind != "country" else _name(rng, 3)
            place_id = f"{kind}-{made:05d}-{name.lower().replace(' ', '-')}"
            if parents:
                parent, plat, plon = rng.choice(parents)
                lat, lon = plat + rng.uniform(-1, 1), plon + rng.uniform(-1, 1)
            else:
                parent, lat, lon = "", rng.uniform(30, 40), rng.uniform(30, 45)
            data: dict[str, Any] = {"name": name, "kind": kind, "coordinates": [round(lat, 4), round(lon, 4)]}
            if rng.random() < 0.5:
                data["names"] = {"ar": "".join(rng.choice(ARABIC) for _ in range(6))}
            if parent:
                data["within"] = parent
            out.append((place_id, data, " ".join(_sentence(rng, 10, 25)) + "."))
            current.append((place_id, lat, lon))
        parents = current or parents
    while made < count:
        made += 1
        kind = "town" if rng.random() < 0.8 else "site"
        name = _name(rng, rng.randint(2, 3))
        place_id = f"{kind}-{made:05d}-{name.lower()}"
        parent, plat, plon = rng.choice(parents)
        lat, lon = plat + rng.uniform(-0.3, 0.3), plon + rng.uniform(-0.3, 0.3)
        data = {"name": name, "kind": kind, "coordinates": [round(lat, 4), round(lon, 4)], "within": parent}
        out.append((place_id, data, " ".join(_sentence(rng, 10, 25)) + "."))
    return out


def _actors(rng: random.Random, count: int) -> list[tuple[str, dict[str, Any], str]]:
    out: list[tuple[str, dict[str, Any], str]] = []
    ids: list[str] = []
    for i in range(1, count + 1):
        kind = rng.choice(ACTOR_KINDS)
        name = (
            f"{_name(rng)} {_name(rng, 3)}"
            if kind == "person"
            else f"{_name(rng, 3)} {kind.replace('-', ' ')}"
        )
        actor_id = f"{name.lower().replace(' ', '-')}-{i:05d}"
        data: dict[str, Any] = {"name": name, "kind": kind}
        if rng.random() < 0.4:
            data["aliases"] = [{"name": "".join(rng.choice(ARABIC) for _ in range(7)), "lang": "ar"}]
        if rng.random() < 0.3:
            data["wikidata"] = f"Q{rng.randint(1, 9_999_999)}"
        if ids and rng.random() < 0.3:
            data["affiliations"] = [
                {"actor": rng.choice(ids), "relation": rng.choice(["member-of", "part-of", "backed-by"])}
            ]
        out.append((actor_id, data, body(rng, 30, 80)))
        ids.append(actor_id)
    return out


def _sources(rng: random.Random, count: int) -> list[tuple[str, dict[str, Any], str]]:
    out: list[tuple[str, dict[str, Any], str]] = []
    for i in range(1, count + 1):
        title = " ".join(_sentence(rng, 4, 9))
        source_id = f"source-{i:05d}-{'-'.join(w.lower() for w in title.split()[:3])}"
        year = FIRST_YEAR + rng.randrange(YEARS)
        data: dict[str, Any] = {
            "title": title,
            "kind": rng.choice(SOURCE_KINDS),
            "publisher": f"The {_name(rng)} {rng.choice(['Times', 'Post', 'Monitor', 'Agency'])}",
            "published": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "language": rng.choice(["en", "ar", "fr", "tr"]),
        }
        if rng.random() < 0.85:
            data["url"] = f"https://example.org/{source_id}"
            data["accessed"] = "2023-01-15"
        out.append((source_id, data, body(rng, 20, 60)))
    return out


def write_content(content_dir: Path, n: int, seed: int = 1) -> Sizes:
    """Write a content folder of n events (and their actors, places and sources)."""
    sizes = Sizes.for_events(n)
    rng = random.Random(f"{seed}:records")
    places = _places(rng, sizes.places)
    actors = _actors(rng, sizes.actors)
    sources = _sources(rng, sizes.sources)
    content_dir.mkdir(parents=True, exist_ok=True)
    (content_dir / "vocabulary.yml").write_text(
        yaml.safe_dump(vocabulary(), sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    for folder, records in (("places", places), ("actors", actors), ("sources", sources)):
        (content_dir / folder).mkdir(exist_ok=True)
        for record_id, data, text in records:
            (content_dir / folder / f"{record_id}.md").write_text(_front(data, text), encoding="utf-8")

    place_ids = [p[0] for p in places]
    actor_ids = [a[0] for a in actors]
    source_ids = [s[0] for s in sources]
    source_data = {s[0]: s[1] for s in sources}
    written: list[str] = []
    live: list[str] = []
    for i in range(n):
        # The event's own text and the number of its references depend on (seed, i) only; which
        # records it references is drawn from this N's records.
        own = random.Random(f"{seed}:event:{i}")
        refs = random.Random(f"{seed}:refs:{n}:{i}")
        date, year = _date(own)
        title_words = _sentence(own, 5, 11)
        title = " ".join(title_words)
        event_id = "-".join(w.lower() for w in title_words[:5]) + f"-{i:06d}"
        data: dict[str, Any] = {"title": title, "date": date}
        if own.random() < 0.1:
            data["time"] = f"{own.randint(0, 23):02d}:{own.choice([0, 15, 30, 45]):02d}"
        data["type"] = own.choice(list(EVENT_TYPES))
        if own.random() < 0.9:
            data["place"] = refs.choice(place_ids)
        if own.random() < 0.2:
            data["coordinates"] = [round(own.uniform(30, 40), 4), round(own.uniform(30, 45), 4)]
            data["location_precision"] = own.choice(["exact", "near", "town"])
        roles: list[dict[str, str]] = []
        for actor in refs.sample(actor_ids, own.randint(1, 5)):
            roles.append({"actor": actor, "role": own.choice(ACTOR_ROLES)})
        if own.random() < 0.05:  # the same actor in two roles
            second = [r for r in ACTOR_ROLES if r != roles[0]["role"]]
            roles.append({"actor": roles[0]["actor"], "role": own.choice(second)})
        data["actors"] = roles
        data["status"] = own.choice(STATUSES)
        citations = []
        for source in refs.sample(source_ids, min(len(source_ids), own.randint(1, 3))):
            citation = {"source": source}
            if own.random() < 0.6:
                citation["quote"] = " ".join(_sentence(own, 6, 20))
            if own.random() < 0.7:
                citation["locator"] = f"paragraph {own.randint(1, 40)}"
            citations.append(citation)
        if own.random() < 0.3:
            data["casualties"] = [
                {
                    "who": f"{own.choice(ADJECTIVES).capitalize()} {own.choice(WORDS)}",
                    "killed": own.randint(0, 40),
                    "injured": {"min": own.randint(0, 10), "max": own.randint(10, 60)},
                    "source": citations[0]["source"],
                }
            ]
        data["sources"] = citations
        # 'confirmed' as the validator allows it: two publishers, or an official statement.
        cited = [source_data[c["source"]] for c in citations]
        if data["status"] == "confirmed" and len({c["publisher"] for c in cited}) < 2 \
                and not any(c["kind"] == "official-statement" for c in cited):
            data["status"] = "reported"
        if written and own.random() < 0.3:
            data["related"] = [
                {"event": refs.choice(written[-200:]), "relation": own.choice(list(RELATIONS))}
            ]
        data["tags"] = own.sample(TAGS, own.randint(0, 3))
        if own.random() < 0.4:
            data["annotations"] = [
                {"kind": own.choice(ANNOTATION_KINDS), "text": " ".join(_sentence(own, 10, 30))}
                for _ in range(own.randint(1, 2))
            ]
        fate = own.random()
        if fate < 0.01:
            data["withdrawn"] = {"date": "2023-01-10", "reason": " ".join(_sentence(own, 6, 14))}
        elif fate < 0.015 and live:
            data["merged_into"] = refs.choice(live[-50:])
        elif fate < 0.02:
            data["former_ids"] = [f"former-{event_id}"]
        folder = content_dir / "events" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{event_id}.md").write_text(_front(data, body(own, 100, 300)), encoding="utf-8")
        written.append(event_id)
        if "withdrawn" not in data and "merged_into" not in data:
            live.append(event_id)
    return sizes


def project_config(repo: Path = REPO) -> dict[str, Any]:
    """The repository's mkdocs.yml as data, with its theme overrides pointed back at the repository."""
    config: dict[str, Any] = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = config.get("theme", {})
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((repo / theme["custom_dir"]).resolve())
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    return config


def _plugin_options(config: dict[str, Any], name: str) -> dict[str, Any] | None:
    for index, entry in enumerate(config.get("plugins", [])):
        if entry == name:
            config["plugins"][index] = {name: {}}
            return config["plugins"][index][name]  # type: ignore[no-any-return]
        if isinstance(entry, dict) and name in entry:
            entry[name] = entry[name] or {}
            return entry[name]  # type: ignore[no-any-return]
    return None


def write_project(out: Path, n: int, seed: int = 1, repo: Path = REPO, page_size: int | None = None) -> Sizes:
    """A whole project at out/: content, docs and mkdocs.yml, ready for `mkdocs build`."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = write_content(out / "content", n, seed)
    if (out / "docs").exists():
        shutil.rmtree(out / "docs")
    shutil.copytree(repo / "docs", out / "docs")
    # Anything the build reads from the repository's npm packages is found the same way from here.
    if (repo / "node_modules").is_dir() and not (out / "node_modules").exists():
        (out / "node_modules").symlink_to((repo / "node_modules").resolve(), target_is_directory=True)
    config = project_config(repo)
    options = _plugin_options(config, "timeline")
    if options is not None:
        options["content_dir"] = "content"
        # Files the plugin reads beside mkdocs.yml (the guide...), except the published-URL manifest:
        # the repository's lists the real timeline's URLs; the corpus starts its own.
        for name, value in options.items():
            if name != "manifest" and isinstance(value, str) and value and (repo / value).is_file():
                shutil.copy2(repo / value, out / value)
        if page_size is not None:
            options["page_size"] = page_size
    (out / "mkdocs.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return sizes


def plain_config(project: Path, pages_dir: Path, site_dir: Path) -> Path:
    """A plain MkDocs config for the same pages pre-written as Markdown: same theme, extensions and
    navigation, no timeline plugin. Written next to the project's mkdocs.yml."""
    config: dict[str, Any] = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [
        p
        for p in config.get("plugins", [])
        if p != "timeline" and not (isinstance(p, dict) and "timeline" in p)
    ]
    config["docs_dir"] = str(pages_dir)
    config["site_dir"] = str(site_dir)
    config["strict"] = False
    target = project / "mkdocs.plain.yml"
    target.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="number of events")
    parser.add_argument("out", type=Path, help="project folder to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--page-size", type=int, default=None)
    args = parser.parse_args(argv)
    sizes = write_project(args.out, args.n, args.seed, page_size=args.page_size)
    print(
        f"{sizes.events} events, {sizes.actors} actors, {sizes.places} places, {sizes.sources} sources "
        f"in {args.out}/"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
