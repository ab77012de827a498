"""The four kinds of record, described once: where their files and pages live, what readers call them.

This module sits at the bottom of the package and imports none of it, so every layer can use it.
It names each kind's model class instead of importing it; timeweave.content.models maps the names
to the classes (tests/test_kinds.py checks every name resolves).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordKind:
    name: str            # as code, file checks and messages say it: "actor"
    content_folder: str  # where its files live, under the content folder
    url_folder: str      # where its pages live, under the site
    title_field: str     # the field readers see as the record's title
    label: str           # one record, as readers see it: "Actor"
    plural_label: str    # the list of them: "Actors"
    model_class: str     # the name of its class in timeweave.content.models
    # Events are many, so their files are grouped by year: content/events/2020/<id>.md.
    year_folders: bool = False
    # Events are listed by the timeline pages instead of an index page of their own.
    has_index_page: bool = True

    @property
    def file_pattern(self) -> str:
        """Where one file of this kind lives, relative to the content folder, for contributors."""
        year = "<year>/" if self.year_folders else ""
        return f"{self.content_folder}/{year}<id>.md"


EVENT = RecordKind("event", "events", "events", "title", "Event", "Events", "Event",
                   year_folders=True, has_index_page=False)
ACTOR = RecordKind("actor", "actors", "actors", "name", "Actor", "Actors", "Actor")
PLACE = RecordKind("place", "places", "places", "name", "Place", "Places", "Place")
SOURCE = RecordKind("source", "sources", "sources", "title", "Source", "Sources", "Source")

# The order of loading, of the contributor's guide and of the JSON Schemas.
KINDS: tuple[RecordKind, ...] = (EVENT, ACTOR, PLACE, SOURCE)

KIND_BY_NAME: dict[str, RecordKind] = {kind.name: kind for kind in KINDS}
KIND_BY_CONTENT_FOLDER: dict[str, RecordKind] = {kind.content_folder: kind for kind in KINDS}
KIND_BY_URL_FOLDER: dict[str, RecordKind] = {kind.url_folder: kind for kind in KINDS}
