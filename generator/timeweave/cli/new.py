"""`timeweave new event|actor|place|source`: a new content file that validates as it is."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from timeweave.cli.common import EXIT_OK, EXIT_USAGE


def add_parser(sub: Any) -> None:
    new = sub.add_parser("new", help="write a new content file that validates as it is",
                         description="Write a new event, actor, place or source file. Options give the "
                                     "essentials; in a terminal, whatever is missing is asked for. "
                                     "Existing files are never overwritten.\n\nexit codes: 0 written; "
                                     "1 a file or id already exists; 2 a missing or invalid option",
                         formatter_class=argparse.RawDescriptionHelpFormatter)
    kinds = new.add_subparsers(dest="kind", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", default="content")
    common.add_argument("--id", help="the file name without .md (default: made from the title or name)")
    common.add_argument("--no-input", action="store_true", help="never ask; fail when an option is missing")
    event = kinds.add_parser("event", parents=[common], help="content/events/<year>/<id>.md")
    event.add_argument("--title")
    event.add_argument("--date", help="EDTF: 2020-02-10, 2020-02, 2020-02-10~, 2020-02-03/2020-02-05")
    event.add_argument("--type", help="an event type from content/vocabulary.yml")
    event.add_argument("--place", help="a place id (a near miss gets suggestions)")
    event.add_argument("--source", help="a source id (add it first with `new source`)")
    event.add_argument("--status", help="a status from content/vocabulary.yml (default: reported)")
    event.add_argument("--actor", action="append", metavar="ACTOR:ROLE",
                       help="an actor id and its role, e.g. turkey:initiator (repeatable)")
    actor = kinds.add_parser("actor", parents=[common], help="content/actors/<id>.md")
    actor.add_argument("--name")
    actor.add_argument("--kind", dest="actor_kind")
    place = kinds.add_parser("place", parents=[common], help="content/places/<id>.md")
    place.add_argument("--name")
    place.add_argument("--kind", dest="place_kind")
    place.add_argument("--within", help="the id of the larger place it is in")
    place.add_argument("--coordinates", help="'latitude, longitude', e.g. '35.93, 36.63'")
    source = kinds.add_parser("source", parents=[common], help="content/sources/<id>.md")
    source.add_argument("--title")
    source.add_argument("--kind", dest="source_kind")
    source.add_argument("--url")
    source.add_argument("--publisher")
    source.add_argument("--published", help="EDTF date")
    source.add_argument("--note", help="where to find it, when it has no URL (becomes the body)")
    new.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from timeweave.tools import scaffold

    interactive = sys.stdin.isatty() and not args.no_input
    asker = scaffold.Asker(input if interactive else None, print)
    content, root = Path(args.content), Path.cwd()
    try:
        if args.kind == "event":
            written = scaffold.new_event(content, root, asker, title=args.title, date_text=args.date,
                                         place=args.place, type_=args.type, status=args.status,
                                         source=args.source, actors=args.actor, record_id=args.id)
        elif args.kind == "actor":
            written = scaffold.new_actor(content, root, asker, name=args.name, kind=args.actor_kind,
                                         record_id=args.id)
        elif args.kind == "place":
            written = scaffold.new_place(content, root, asker, name=args.name, kind=args.place_kind,
                                         within=args.within, coordinates=args.coordinates, record_id=args.id)
        else:
            written = scaffold.new_source(content, root, asker, title=args.title, kind=args.source_kind,
                                          url=args.url, publisher=args.publisher, published=args.published,
                                          note=args.note, record_id=args.id)
    except scaffold.ScaffoldError as exc:
        print(f"new {args.kind}: {exc.message}", file=sys.stderr)
        return exc.code
    except (EOFError, KeyboardInterrupt):
        print(f"\nnew {args.kind}: stopped; nothing was written", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {written.shown}")
    print("next: fill it in (the comments explain each field), then run `make validate`")
    return EXIT_OK
