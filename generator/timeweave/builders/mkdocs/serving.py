"""Preview (`make serve`) with broken content: report, keep serving, never get stuck.

MkDocs 1.6's live-reload loop catches a failed rebuild, prints a traceback and leaves the server
waiting for a build that never completes: every request then hangs ("the server will appear stuck
until build errors are resolved"), and a failed first build ends `mkdocs serve` altogether. So in
serve mode the plugin does not fail on content errors. It prints them in the terminal as
path:line: field: message, keeps the pages of the last good build, and puts the list of errors at
the top of every page; when no build has succeeded yet, the pages in the navigation are error
pages. `mkdocs build` and `python -m timeweave build` still fail on the first error, as before.
Nor does a request MkDocs' server cannot open end in a traceback (`refuse_unopenable`).

Nothing here imports MkDocs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from html import escape
from pathlib import Path
from typing import Any

from timeweave.content.published_files import REFUSED
from timeweave.errors import ContentError, format_errors
from timeweave.site.pages import GeneratedPage, front_matter

BANNER_CLASS = "tl-content-errors"


def report(errors: Sequence[ContentError], kept: bool) -> str:
    """What the terminal shows when a rebuild meets content errors."""
    status = ("the preview keeps the last good pages until they are fixed" if kept
              else "the preview shows the errors until they are fixed")
    return f"content is not valid; {status}:\n{format_errors(errors)}"


def tell(text: str) -> None:
    """Write to the terminal directly: through MkDocs' logger an error would count against strict
    mode and abort the very rebuild that keeps the preview alive."""
    print(text, file=sys.stderr, flush=True)


def banner(errors: Sequence[ContentError]) -> str:
    """An HTML admonition listing the errors; every piece of content text is escaped."""
    failing = [e for e in errors if e.severity == "error"]
    items = "\n".join(f"<li><code>{escape(e.path)}:{e.line}</code> {escape(e.field or '(file)')}: "
                      f"{escape(e.message)}{escape(f' (hint: {e.hint})') if e.hint else ''}</li>"
                      for e in failing)
    return (f'<div class="admonition failure {BANNER_CLASS}" role="alert">\n'
            f'<p class="admonition-title">The content has {len(failing)} error(s); this preview is not '
            f"up to date until they are fixed</p>\n<ul>\n{items}\n</ul>\n</div>\n")


def nav_pages(nav: Any) -> Iterator[str]:
    """The Markdown files a MkDocs `nav` setting names (any nesting), in order."""
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://", "/")):
            yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from nav_pages(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from nav_pages(item)


def error_pages(errors: Sequence[ContentError], src_uris: Iterable[str]) -> list[GeneratedPage]:
    """Stand-ins for the generated pages the navigation expects, before any build has succeeded."""
    body = ("# The content has errors\n\nThe timeline cannot be built until these are fixed; this "
            "page reloads when a file changes.\n")
    pages = []
    for src_uri in sorted(set(src_uris)):
        url = "" if src_uri == "index.md" else src_uri.removesuffix("index.md").removesuffix(".md") + "/"
        url = url.replace("//", "/")
        pages.append(GeneratedPage(src_uri, url, "Content errors",
                                   front_matter("Content errors") + "\n" + body, in_nav=True))
    return pages


def refused_paths(errors: Sequence[ContentError], root: Path) -> list[Path]:
    """The links validation refused (content/published_files.py). The preview keeps serving, so
    MkDocs must not read them: a dangling one would fail every rebuild, and the server would hang."""
    return [root / e.path for e in errors if e.severity == "error" and e.message.endswith(REFUSED)]


def is_refused(path: str | Path, refused: Sequence[Path]) -> bool:
    """path is one of the refused links or below one (a linked folder's files)."""
    where = Path(path)
    return any(where == link or where.is_relative_to(link) for link in refused)


def refuse_unopenable(server: Any) -> Any:
    """MkDocs' live-reload server answers a path holding a NUL byte (`/events/%00`) with a 500 and
    a traceback in the terminal: open() raises ValueError, not the OSError it expects. No file has
    such a name, so the answer is its 404 page."""
    serve_request = server._serve_request

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if "\x00" in environ.get("PATH_INFO", ""):
            return None  # the server's "not found"
        return serve_request(environ, start_response)

    server._serve_request = guarded
    return server
