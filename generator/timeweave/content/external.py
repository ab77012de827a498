"""Links to other sites: what a URL must look like to be published, and the host a reader is shown.

A source URL is the one thing in the content that sends a reader elsewhere, so it must go where it
seems to go. Browsers and Python's urlsplit disagree on some URLs: for
`https://trusted.org\\@evil.example/` a browser treats the backslash as a slash and visits
trusted.org, while urlsplit reports the host evil.example (and the reverse tricks exist). Such
URLs are refused rather than interpreted: no credentials (`user@`), no backslashes, no
percent-encoded or odd characters in the host. What is left parses the same way everywhere.

Pages show the host next to every external link. A host written in another script is shown in its
ASCII (IDNA/punycode) form, the form the browser actually resolves, so a Cyrillic 'а' in
`pаypal.com` shows up as `xn--pypal-4ve.com` instead of passing for the real thing. A numeric host
is shown as the IPv4 address a browser makes of it (the WHATWG URL standard reads `0x7f.1`,
`2130706433` and `0177.0.0.1` all as `127.0.0.1`), and a percent-encoded host as the decoded one.
"""

from __future__ import annotations

import html
import ipaddress
import re
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit

import idna

_ASCII_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?)*\.?$")
# Characters a browser would percent-encode or read differently; a URL copied from the address bar
# never contains them raw.
_UNSAFE_CHARACTERS = set('<>"`\\{}^|')


# Dots a reader takes for '.' in link text. IDNA maps the first four to '.' in a host; the others
# only look like one, which is all a look-alike needs.
_LOOKALIKE_DOTS = str.maketrans(dict.fromkeys("\u3002\uff0e\uff61\u2024\ufe52\u0589\u06d4\u2e3c\u2027"
                                              "\u00b7\u30fb\uff65\u0701\u0702\u2e31\u22c5\u2219", "."))
_IPV4_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]*|[0-9]+)$")


def shown_text(text: str) -> str:
    """Link text as the reader sees it: entities decoded ('bbc&#46;co&#46;uk'), compatibility forms
    folded (fullwidth letters), and look-alike dots read as dots."""
    text = html.unescape(text) if "&" in text else text
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKE_DOTS)


def _ipv4(host: str) -> int | None | bool:
    """The WHATWG URL standard's IPv4 parser: False when host does not end in a number (a domain
    name), None when it does but is no valid address (the browser refuses it), else the address."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if not _IPV4_PART.match(parts[-1]):
        return False
    if len(parts) > 4:
        return None
    numbers: list[int] = []
    for part in parts:
        if not _IPV4_PART.match(part):
            return None
        if part[:2] in ("0x", "0X"):
            numbers.append(int(part[2:] or "0", 16))
        elif len(part) > 1 and part[0] == "0":
            if not set(part) <= set("01234567"):
                return None
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    if any(number > 255 for number in numbers[:-1]) or numbers[-1] >= 256 ** (5 - len(numbers)):
        return None
    address = numbers[-1]
    for index, number in enumerate(numbers[:-1]):
        address += number * 256 ** (3 - index)
    return address


def _split(url: str) -> SplitResult | None:
    """urlsplit, which raises ValueError on a malformed IPv6 host ('http://[/')."""
    try:
        return urlsplit(url)
    except ValueError:
        return None


def _ascii_host(host: str) -> str:
    """The host as the browser resolves it (UTS 46, non-transitional: what current browsers do)."""
    if "%" in host:  # browsers percent-decode a host before anything else
        host = unquote(host, errors="strict")
    if host.isascii():
        ascii_host = host.lower()
    else:
        ascii_host = idna.encode(host, uts46=True, transitional=False).decode("ascii")
    address = _ipv4(ascii_host)
    if address is None:
        raise ValueError(f"{host!r} is not a valid IPv4 address")
    return ascii_host if address is False else str(ipaddress.IPv4Address(address))


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
    if "%" in host:
        return f"'{host}' is not a valid host name: it is percent-encoded; write the host as it is"
    if _ipv4(host.lower()) is None:
        return f"'{host}' is not a valid IPv4 address; a browser would refuse it"
    try:
        ascii_host = _ascii_host(host)
    except (idna.IDNAError, UnicodeError, ValueError):
        return f"'{host}' is not a valid host name"
    if not _ASCII_HOST.match(ascii_host) or len(ascii_host) > 253:
        return f"'{host}' is not a valid host name"
    return None


def host_label(url: str) -> str:
    """The host a reader should see next to a link: lowercase, 'www.' kept, IDNA form if not ASCII,
    a numeric host as the dotted IPv4 address the browser connects to.

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
    text = shown_text(shown).strip().strip("<>").rstrip("/.,;:!?)")
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
