"""Links to other sites: what a URL must look like to be published, and the host a reader is shown.

A source URL is the one thing in the content that sends a reader elsewhere, so it must go where it
seems to go. Browsers and Python's urlsplit disagree on some URLs: for
`https://trusted.org\\@evil.example/` a browser treats the backslash as a slash and visits
trusted.org, while urlsplit reports the host evil.example (and the reverse tricks exist). Such
URLs are refused rather than interpreted: no credentials (`user@`), no backslashes, no
percent-encoded or odd characters in the host. What is left parses the same way everywhere.

Pages show the host next to every external link. A host written in another script is shown in its
ASCII (IDNA/punycode) form, the form the browser actually resolves, so a Cyrillic 'а' in
`pаypal.com` shows up as `xn--pypal-4ve.com` instead of passing for the real thing.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

import idna

_ASCII_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*\.?$")
# Characters a browser would percent-encode or read differently; a URL copied from the address bar
# never contains them raw.
_UNSAFE_CHARACTERS = set('<>"`\\{}^|')


def _split(url: str) -> SplitResult | None:
    """urlsplit, which raises ValueError on a malformed IPv6 host ('http://[/')."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _ascii_host(host: str) -> str:
    """The host as the browser resolves it (UTS 46, non-transitional: what current browsers do)."""
    if host.isascii():
        return host.lower()
    return idna.encode(host, uts46=True, transitional=False).decode("ascii")


def host_problem(url: str) -> str | None:
    """Why url cannot be published, or None. Assumes an http(s) URL with a host (checked first)."""
    bad = sorted(_UNSAFE_CHARACTERS.intersection(url))
    if bad:
        return f"URL contains {' '.join(repr(c) for c in bad)}; percent-encode it or copy the URL again"
    parts = _split(url)
    if parts is None:
        return "URL has a malformed [IPv6] host"
    if "@" in parts.netloc:
        return ("URL contains a user name or password before '@', which hides the real host; "
                "link to the page directly")
    try:
        _ = parts.port  # urlsplit checks the port only when asked for it
    except ValueError:
        return "URL has an invalid port"
    host = parts.hostname or ""
    if parts.netloc.startswith("["):
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return f"'{host}' is not a valid IPv6 address"
        return None
    try:
        ascii_host = _ascii_host(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return f"'{host}' is not a valid host name"
    if not _ASCII_HOST.match(ascii_host) or len(ascii_host) > 253:
        return f"'{host}' is not a valid host name"
    return None


def host_label(url: str) -> str:
    """The host a reader should see next to a link: lowercase, 'www.' kept, IDNA form if not ASCII.

    Only called on URLs that passed host_problem; an unexpected value gives an empty label rather
    than an exception in the middle of rendering a page.
    """
    parts = _split(url)
    host = (parts.hostname if parts else "") or ""
    if not parts or not host or parts.netloc.startswith("["):
        return host
    try:
        return _ascii_host(host).rstrip(".")
    except (idna.IDNAError, UnicodeError, ValueError):
        return ""


def same_site(url: str, shown: str) -> bool:
    """Whether link text that looks like an address (shown) names the host url really goes to.

    'bbc.co.uk' matches https://www.bbc.co.uk/news; 'bbc.co.uk' does not match
    https://bbc.co.uk.evil.example/.
    """
    target = host_label(url).removeprefix("www.")
    text = shown.strip().strip("<>").rstrip("/.,;:!?)")
    if "://" in text:
        parts = _split(text)
        text = (parts.hostname if parts else "") or ""
    else:
        text = text.split("/", 1)[0]
    try:
        text_host = _ascii_host(text).rstrip(".").removeprefix("www.")
    except (idna.IDNAError, UnicodeError, ValueError):
        return False
    return text_host == target
