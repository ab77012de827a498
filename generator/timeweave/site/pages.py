"""Catalog -> Markdown pages (pure: no MkDocs import, no file reads).

Every page is Markdown whose structured parts are HTML blocks rendered by Jinja with autoescape on,
so every piece of content text is escaped for HTML where it lands; only an event's or profile's
body is passed through as Markdown (its safety is the policy module's and the sanitizer's job).
Templates live in generator/timeweave/site/templates and can be overridden from site_overrides/timeline/.
"""

from __future__ import annotations

import dataclasses
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup, escape

from timeweave import urls
from timeweave.catalog.catalog import Catalog
from timeweave.content.external import host_label
from timeweave.content.fields import KIND_LABELS
from timeweave.content.history import History
from timeweave.content.models import RTL_LANGUAGES, Event
from timeweave.kinds import KIND_BY_NAME
from timeweave.parallel.runner import SERIAL, Runner
from timeweave.site import cslrender, fragments, homepage, maps
from timeweave.site.cslrender import Styled
from timeweave.site.provenance import Provenance
from timeweave.site.reader import relative_order, roles_by_event, unique_events
from timeweave.site.reader import template_globals as reader_globals

TEMPLATES_DIR = Path(__file__).parent / "templates"
OVERRIDE_SUBDIR = "timeline"


# The nearest events on each side that an event page lists under "Before and after, same actors":
# the rest are on each actor's page, in order, and previous / next step through the timeline.
AROUND_EVENTS = 2

@dataclass(frozen=True)
class SiteOptions:
    site_name: str = "Timeline"
    page_size: int = 100  # entries per timeline/index page: keeps every page bounded whatever N is
    record_page_size: int = 100  # events listed on an actor/place/source page before it paginates
    repo_url: str | None = None
    site_url: str | None = None  # absolute URLs in exports only when set; never invented
    version_url: str | None = None  # "{repo}/blob/{commit}/{path}"-style link to one version of a file
    description: str = ""  # what the timeline covers, for the home page (mkdocs.yml site_description)
    map_tiles: str = maps.OSM_TILES  # tile URL template for every map ("" for none); mkdocs.yml: map_tiles
    map_attribution: str = maps.OSM_ATTRIBUTION
    home_url: str = urls.HOME_URL  # where the overview goes (site/homepage.py): "" is the site's home
    feed_entries: int = 100  # entries of the site's Atom feed (project.TimelineSettings)
    record_feed_entries: int = 4  # entries of each actor's and place's feed
    data_license: str | None = None  # SPDX identifier for datapackage.json; None: no licence claimed


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    url: str
    title: str
    content: str
    in_nav: bool = False
    modified: str | None = None  # tl_modified of its front matter: when its record last changed
    in_sitemap: bool = True  # False for a withdrawn record's tombstone
    # Where content's HTML blocks are, which a builder may take as they are (fragments.py).
    html_blocks: tuple[tuple[int, int], ...] = ()
    inputs: str | None = None  # the digest of what the page was made of, when it has one (Reuse)

    @property
    def source(self) -> str:
        """What a builder that puts the HTML blocks back reads (fragments.source)."""
        return fragments.source(self.content, self.html_blocks)


# Lists only repeat what the event and record pages say. Kept out of the search index, which a
# reader's browser downloads whole on the first search (twice as large with them in),
# and whose hits should be the pages that say something.
LIST_TEMPLATES = frozenset({"event_list.md.j2", "record_index.md.j2"})


def front_matter(title: str, **extra: Any) -> str:
    """Front matter MkDocs/Material read. The title is HTML-escaped because Material prints
    page.meta.title unescaped into <title>, the header and the search index."""
    data = {"title": str(escape(title)), **extra}
    # JSON is valid YAML flow syntax, so json.dumps gives a safely quoted value for every field.
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in data.items()]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _markdown_body(text: str) -> Markup:
    # Marked, so that no part of a body is taken for one of the page's HTML blocks (fragments.py).
    return Markup(fragments.BODY_MARK + text + fragments.BODY_MARK)


def make_environment(override_dir: Path | None = None, *, auto_reload: bool = True) -> jinja2.Environment:
    """auto_reload: look for changed template files at every page (a long-lived preview's need)."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None and (override_dir / OVERRIDE_SUBDIR).is_dir():
        loaders.append(jinja2.FileSystemLoader(str(override_dir / OVERRIDE_SUBDIR)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES_DIR)))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,  # content text is hostile until escaped: the default must be safe
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=auto_reload,
    )
    env.filters["markdown_body"] = _markdown_body
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False, sort_keys=True)
    env.filters["host"] = host_label  # the real domain beside every external link (external.py)
    env.filters["kind_label"] = lambda kind: KIND_LABELS.get(kind, kind)
    return env


def paginate(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    if not items:
        return [items]
    return [items[i : i + size] for i in range(0, len(items), size)]


# A page's front matter fields, or the function that computes them when the page is rendered.
Meta = dict[str, Any] | Callable[[], dict[str, Any]] | None


class Reuse(Protocol):
    """The pages an earlier build made, by a digest of what a page reads (site/pageinputs.py)."""

    def inputs(self, renderer: PageRenderer, template: str, url: str, title: str, meta: Meta,
               context: dict[str, Any]) -> str | None: ...  # None: the page cannot be told apart

    def page(self, inputs: str) -> GeneratedPage | None: ...  # made of these inputs and kept


class PageRenderer:
    def __init__(self, catalog: Catalog, options: SiteOptions, override_dir: Path | None = None,
                 history: History | None = None, env: jinja2.Environment | None = None,
                 reuse: Reuse | None = None):
        """`env`: an environment from an earlier renderer with the same override_dir, whose compiled
        templates are reused (the preview makes a renderer per edit, and compiling them is slow).
        `reuse`: a page whose inputs an earlier build made is taken from it instead of rendered."""
        self.catalog = catalog
        self.reuse = reuse
        self.options = options
        self.env = env if env is not None else make_environment(override_dir)
        self.provenance = Provenance(catalog, options.site_name, options.site_url, options.repo_url,
                                     options.version_url, history)
        self._positions: dict[str, list[int]] = {}  # actor id -> timeline positions of its events
        self.env.globals.update(
            catalog=catalog,
            vocab=catalog.vocabulary,
            urls=urls,
            options=options,
            rtl_languages=RTL_LANGUAGES,
            location=catalog.location,
            top_actors=homepage.top_actors,
        )
        self.env.globals["provenance"] = self.provenance
        self.env.globals.update(reader_globals())
        self.env.globals.update(maps.template_globals(catalog))

    def render(self, template: str, url: str, title: str, meta: Meta = None,
               **context: Any) -> GeneratedPage:
        """Render one page; meta goes into its front matter (JSON-encoded, so any value is safe).
        Meta may be a function: it is called only here, when the page is really rendered (the
        preview lays out every page but renders a few, and metadata is most of a layout's cost)."""
        inputs = self.reuse.inputs(self, template, url, title, meta, context) if self.reuse else None
        if inputs is not None and self.reuse is not None and (kept := self.reuse.page(inputs)) is not None:
            return kept
        if callable(meta):
            meta = meta()

        def href(target: str) -> str:
            return urls.relative(url, target)

        if template in LIST_TEMPLATES:
            meta = {**(meta or {}), "search": {"exclude": True}}

        body = self.env.get_template(template).render(page_url=url, href=href, title=title, **context)
        meta = meta or {}
        content, blocks = fragments.split_page(front_matter(title, **meta) + "\n" + body)
        return GeneratedPage(urls.src_uri(url), url, title, content, modified=meta.get("tl_modified"),
                             in_sitemap=meta.get("tl_sitemap", True), html_blocks=blocks, inputs=inputs)

    # -- record pages -------------------------------------------------------------------------

    def around(self, event: Event, count: int = 3) -> tuple[list[Event], list[Event], list[Event]]:
        """The `count` nearest events before and after this one that share an actor with it, split
        into those certainly before, those that may be at about the same time, and those certainly after.

        Read from each actor's own event list (in timeline order) instead of scanning the whole
        timeline for every event, which made event pages O(N²). Each of the nearest events is
        among the `count` nearest in the list of an actor it shares, so merging those is exact."""
        position = self.catalog.position.get(event.id)
        if position is None:
            return [], [], []
        earlier: dict[str, Event] = {}
        later: dict[str, Event] = {}
        for actor_id in dict.fromkeys(a.actor for a in event.actors):
            entries = self.catalog.actor_events.get(actor_id, [])
            positions = self._actor_positions(actor_id)
            for found, indexes in ((earlier, range(bisect_left(positions, position) - 1, -1, -1)),
                                   (later, range(bisect_right(positions, position), len(entries)))):
                taken: set[str] = set()
                for index in indexes:
                    other = entries[index][0]
                    if other.id not in taken:
                        if len(taken) == count:
                            break
                        taken.add(other.id)
                        found[other.id] = other
        order = self.catalog.position
        pairs = self.catalog.order_pairs
        nearest = (sorted(earlier.values(), key=lambda e: order[e.id])[-count:]
                   + sorted(later.values(), key=lambda e: order[e.id])[:count])
        side = {e.id: relative_order(event, e, pairs) for e in nearest}
        return ([e for e in nearest if side[e.id] < 0], [e for e in nearest if side[e.id] == 0],
                [e for e in nearest if side[e.id] > 0])

    def _actor_positions(self, actor_id: str) -> list[int]:
        positions = self._positions.get(actor_id)
        if positions is None:
            order = self.catalog.position
            positions = [order[e.id] for e, _ in self.catalog.actor_events.get(actor_id, [])]
            self._positions[actor_id] = positions
        return positions

    def event_page(self, event: Event) -> GeneratedPage:
        c = self.catalog
        before, same_time, after = self.around(event, AROUND_EVENTS)
        return self.render(
            "event.md.j2", urls.event_url(event.id), event.title, event=event,
            previous=c.previous(event), next=c.next(event),
            related_in=c.related_in.get(event.id, []), merged_in=c.merged_in.get(event.id, []),
            location_info=c.location(event), before=before, same_time=same_time, after=after,
            meta=partial(self.provenance.event_meta, event),
        )

    def actor_pages(self, actor_id: str) -> Iterator[GeneratedPage]:
        actor = self.catalog.actors[actor_id]
        # An actor with two roles in one event is listed once, with both roles.
        entries = self.catalog.actor_events.get(actor_id, [])
        roles = roles_by_event(entries, self.catalog.vocabulary)
        yield from self._record_pages(
            "actor.md.j2", urls.actor_url(actor_id), actor.name, "entries",
            [(event, roles[event.id]) for event in unique_events(entries)], f"Events involving {actor.name}.",
            meta=partial(self.provenance.actor_meta, actor), axis=f"actor:{actor_id}",
            actor=actor, affiliated=self.catalog.affiliations_in.get(actor_id, []))

    def place_pages(self, place_id: str) -> Iterator[GeneratedPage]:
        """A place lists the events at the place itself and links the lists of the places within
        it: a country's page listing every event of its towns listed each event once more for
        each place above its own."""
        place = self.catalog.places[place_id]
        yield from self._record_pages(
            "place.md.j2", urls.place_url(place_id), place.name, "here",
            self.catalog.place_events.get(place_id, []),
            f"Events at {place.name} itself; the places within it have their own lists.",
            meta=partial(self.provenance.place_meta, place), axis=f"at:{place_id}", entry_place=False, place=place,
            chain=self.catalog.place_chain(place)[1:],
            children=self.catalog.place_children.get(place_id, []))

    def source_pages(self, source_id: str) -> Iterator[GeneratedPage]:
        source = self.catalog.sources[source_id]
        yield from self._record_pages(
            "source.md.j2", urls.source_url(source_id), source.title, "events",
            self.catalog.source_events.get(source_id, []), f"Events citing {source.title}.",
            meta=partial(self.provenance.source_meta, source), source=source)

    def _record_pages(self, template: str, url: str, title: str, list_name: str, entries: Sequence[Any],
                      intro: str, meta: Meta = None, axis: str | None = None, entry_place: bool = True,
                      **context: Any) -> Iterator[GeneratedPage]:
        """A record's page with the first record_page_size of its events, then list pages for the
        rest: a country or a major actor in a 10,000-event timeline would otherwise list thousands
        of events on one page (megabytes of HTML, seconds to render). axis: the time axis's
        filter on those later pages (the record's own page draws its axis in its template);
        entry_place=False: the entries of those pages leave out their place (a place's list)."""
        extra: dict[str, Any] = {} if axis is None else {"axis_filter": axis}
        chunks = paginate(entries, self.options.record_page_size)
        if len(chunks) > 1:
            context.update(total=len(entries), pages=len(chunks), base_url=url)
        yield self.render(template, url, title, meta=meta, **{list_name: chunks[0]}, **context)
        for number, chunk in enumerate(chunks[1:], start=2):
            events = [item[0] if isinstance(item, tuple) else item for item in chunk]
            role_of = {item[0].id: item[1] for item in chunk if isinstance(item, tuple)} or None
            yield self.render("event_list.md.j2", urls.paged_url(url, number), f"{title} (page {number})",
                              events=events, intro=intro, total=len(entries), number=number,
                              pages=len(chunks), base_url=url, role_of=role_of, compact=True,
                              entry_place=entry_place, **extra)

    # -- lists ----------------------------------------------------------------------------------

    def event_list_pages(self, base_url: str, title: str, events: Sequence[Event],
                         intro: str = "", in_nav: bool = False, one_month: bool = False,
                         axis: str | None = None, compact: bool = False) -> Iterator[GeneratedPage]:
        """axis: the time axis's filter (templates/_axis.md.j2; "" for every event), None for none.
        compact: a record's list (a type's, a tag's), with the entries of _macros' compact_entry."""
        pages = paginate(events, self.options.page_size)
        extra: dict[str, Any] = {} if axis is None else {"axis_filter": axis}
        for number, chunk in enumerate(pages, start=1):
            url = urls.paged_url(base_url, number)
            page = self.render("event_list.md.j2", url, title if number == 1 else f"{title} (page {number})",
                               events=chunk, intro=intro, total=len(events), number=number,
                               pages=len(pages), base_url=base_url, one_month=one_month, compact=compact,
                               **extra)
            yield dataclasses.replace(page, in_nav=in_nav and number == 1)

    def record_index_pages(self, kind: str, title: str, records: Sequence[Any],
                           counts: dict[str, int]) -> Iterator[GeneratedPage]:
        pages = paginate(records, self.options.page_size)
        base = urls.index_url(kind)
        for number, chunk in enumerate(pages, start=1):
            url = urls.paged_url(base, number)
            page = self.render("record_index.md.j2", url, title if number == 1 else f"{title} (page {number})",
                               kind=kind, title_field=KIND_BY_NAME[kind].title_field, records=chunk,
                               counts=counts, number=number, pages=len(pages), base_url=base,
                               total=len(records))
            yield dataclasses.replace(page, in_nav=number == 1)

    def home_page(self) -> GeneratedPage:
        """The overview. Beside a project's own home page it goes in the navigation: no other page
        links to it."""
        if self.options.home_url == urls.HOME_URL:
            return self.render("home.md.j2", urls.HOME_URL, self.options.site_name)
        page = self.render("home.md.j2", self.options.home_url, homepage.OVERVIEW_TITLE)
        return dataclasses.replace(page, in_nav=True)

    def all_pages(self) -> Iterator[GeneratedPage]:
        c = self.catalog
        yield self.home_page()
        yield from self.event_list_pages(urls.timeline_url(), "Timeline", c.timeline,
                                         intro="Every event in order of its earliest possible date.",
                                         in_nav=True, axis="")
        for month, events in c.month_events.items():
            yield from self.event_list_pages(urls.month_url(month), events[0].when.month_label, events,
                                             one_month=True, axis=f"month:{month}")
        for event in c.events.values():
            if event.merged_into is None:  # a merged event's URL is a redirect (permanence.py)
                yield self.event_page(event)
        for kind, table, counts in (
            ("actor", c.actors, {k: len(v) for k, v in c.actor_events.items()}),
            ("place", c.places, {k: len(v) for k, v in c.place_events_within.items()}),
            ("source", c.sources, {k: len(v) for k, v in c.source_events.items()}),
        ):
            title = KIND_BY_NAME[kind].plural_label
            yield from self.record_index_pages(kind, title, list(table.values()), counts)
        for actor_id in c.actors:
            yield from self.actor_pages(actor_id)
        for place_id in c.places:
            yield from self.place_pages(place_id)
        for source_id in c.sources:
            yield from self.source_pages(source_id)
        yield self.render("types.md.j2", urls.TYPES_URL, "Event types")
        for type_id, term in c.vocabulary.event_types.items():
            yield from self.event_list_pages(urls.type_url(type_id), term.label,
                                             c.type_events.get(type_id, []), intro=term.definition,
                                             axis=f"type:{type_id}", compact=True)
        yield from self.map_pages()
        yield self.render("tags.md.j2", urls.TAGS_URL, "Tags")
        for tag, events in c.tag_events.items():
            tag_term = c.vocabulary.tags.get(tag)
            yield from self.event_list_pages(urls.tag_url(tag), f"Tag: {tag_term.label if tag_term else tag}",
                                             events, intro=tag_term.definition if tag_term else "",
                                             axis=f"tag:{tag}", compact=True)

    def map_pages(self) -> Iterator[GeneratedPage]:
        """/map/ and, when more events cannot be placed than it lists, the paginated list of them."""
        catalog = self.catalog
        summary = maps.summarize(catalog, catalog.timeline)
        more = (len(summary.unplaced) > maps.GLOBAL_LIST_LIMIT
                or len(summary.no_coordinates) > maps.GLOBAL_LIST_LIMIT)
        counts = maps.type_counts(catalog)
        legend = [(type_id, catalog.vocabulary.event_types[type_id], colour, counts[type_id])
                  for type_id, colour in maps.type_colours(counts).items()]
        page = self.render(
            "map.md.j2", urls.MAP_URL, "Map", summary=summary, legend=legend, map_id=maps.GLOBAL_MAP_ID,
            limit=maps.GLOBAL_LIST_LIMIT, data_url=maps.MAP_DATA, unlocated_url=maps.UNLOCATED_URL,
            total=len(catalog.timeline), more_unlocated=more,
        )
        yield dataclasses.replace(page, in_nav=True)
        if more:
            yield from self.event_list_pages(
                maps.UNLOCATED_URL, "Not on the map", summary.unlocated,
                intro="Events that are not on the map: they have no place, or their place has no coordinates.")


class _ShareRenderer(PageRenderer):
    """Lays out every page as the real renderer does, but renders only every `of`-th page from
    `share`; the others get empty content, filled in from the other share's result."""

    def __init__(self, *args: Any, share: int, of: int) -> None:
        super().__init__(*args)
        self._calls, self._share, self._of = 0, share, of

    def render(self, template: str, url: str, title: str, meta: Meta = None,
               **context: Any) -> GeneratedPage:
        self._calls += 1
        if self._calls % self._of != self._share % self._of:
            return GeneratedPage(urls.src_uri(url), url, title, "")
        return super().render(template, url, title, meta, **context)


def generate_pages(catalog: Catalog, options: SiteOptions | None = None,
                   override_dir: Path | None = None, history: History | None = None,
                   runner: Runner = SERIAL, env: jinja2.Environment | None = None,
                   reuse: Reuse | None = None) -> list[GeneratedPage]:
    """Every generated page, in a deterministic order. The runner may render every other page
    elsewhere (rendering is most of our own share of a build); the pages are the same, and so
    they are when reuse gives some of them as an earlier build made them."""
    args = (catalog, options or SiteOptions(), override_dir, history, env, reuse)

    def render_share(share: int, of: int) -> tuple[list[GeneratedPage], dict[str, Styled]]:
        # With the citation texts it rendered, which the next build may reuse (cslrender.remember).
        return list(_ShareRenderer(*args, share=share, of=of).all_pages()), cslrender.texts_made()

    (mine, _), other = runner.split_in_two(render_share, size=len(catalog.events))
    theirs = None
    if other is not None:
        theirs, texts = other
        cslrender.remember(texts, used=True)
    # A page rendered by the other share comes whole from it (its content and what its metadata says).
    rendered = {page.src_uri: page for page in theirs or () if page.content}
    pages = [p if p.content else rendered.get(p.src_uri, p) for p in mine]
    if any(not page.content for page in pages):  # the other share failed: render it here
        fallback = {p.src_uri: p for p in PageRenderer(*args).all_pages()}
        pages = [p if p.content else fallback[p.src_uri] for p in pages]
    seen: dict[str, str] = {}
    for page in pages:
        if page.src_uri in seen:
            raise ValueError(f"two pages at {page.src_uri}: {seen[page.src_uri]!r} and {page.title!r}")
        seen[page.src_uri] = page.title
    return pages

