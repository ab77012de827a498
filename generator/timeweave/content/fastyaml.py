"""The fast YAML reader: yaml-rs (Rust) for the front matter on which it and the exact reader
(yamlread.py) agree.

It lives apart from the exact reader because it is only a shortcut with rules of its own: it gives
no line numbers, and the checks here decide which texts it may be trusted with. Anything else goes
to parse_yaml, which stays the reference for what a file means and for every problem reported
(tests/content/test_fast_yaml.py compares the two).
"""

from __future__ import annotations

import re
from typing import Any

from timeweave.content.yamlread import _FIRST_CHAR, _SAFE_NESTING_BOUND, MAX_DEPTH, _nesting_bound

try:  # the fast reader (see read_front_matter); without it every file takes the exact one
    import yaml_rs
except ImportError:  # pragma: no cover (a platform without its wheel)
    yaml_rs = None  # type: ignore[assignment]  # the module or nothing: FAST_READER says which

# The fast reader. PyYAML builds a Python node for every key and value before any checking, a large
# share of validation. yaml-rs (Rust) parses the same front matter several times faster, checks
# below included (bench/RESULTS.md), but is not the same reader: it follows YAML 1.2 (no merge keys; '007',
# '0b1' and '1e5' are numbers), accepts tags, aliases and some YAML 1.1 errors, and gives no line
# numbers. So it is trusted only with text on which both readers agree, and read_front_matter
# hands anything else to parse_yaml, whose results and messages stay the reference
# (tests/content/test_fast_yaml.py compares the two on the real content, the test fixtures, a generated
# corpus, and generated and mutated texts). Set to False to read every file with PyYAML alone.
FAST_READER = yaml_rs is not None

# Text that sends a file to the exact reader straight away: tags (!), anchors and aliases (& *),
# escapes (\\), tabs, the characters the two YAML versions treat differently (C0 and C1 controls,
# NEL, line and paragraph separators, BOM), merge keys (<<), directives (%) and document markers.
_UNUSUAL_CHARACTER = re.compile("[!&*\\\\\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# A word starting with an indicator YAML 1.1 refuses there and yaml-rs takes as text: ':', '?', '@',
# '`' or '%' ('{:a: b}', 'key : value'); and a ':' before a flow indicator or '?', an error inside a
# flow collection to libyaml. Each branch starts with its indicator, so the regex engine jumps
# from one to the next (a first branch starting with whitespace made it try every space).
_ODD_WORD = re.compile(r"[:?@`%](?<=[\s\[{,].)|:[,?\[\]{}]")
# A word starting with '|' or '>': a block scalar (yaml-rs ends one that closes the text with a line
# break PyYAML does not add), or inside a flow collection an error to libyaml only.
_BLOCK_INDICATOR = re.compile(r"(?:^|[\s\[{,])[|>]", re.M)
_LONE_EQUALS = re.compile(r"(?:^|[\s\[{,])=(?:$|[\s,\]}#])", re.M)  # PyYAML's 'value' tag
# Any tag our resolver gives a plain scalar other than text (numbers, true/false, null, '=', '<<'):
# a string from yaml-rs matching it may have been written plain, and PyYAML would have read it
# otherwise, so the file goes to the exact reader (a quoted "true" costs only that detour).
_NOT_TEXT = re.compile("|".join(  # PyYAML compiles some with re.VERBOSE: the flag must come along
    dict.fromkeys(f"(?{'x' if regexp.flags & re.VERBOSE else ''}:{regexp.pattern})"
                  for resolvers in _FIRST_CHAR.values() for _, regexp in resolvers)))
assert all(not regexp.flags & ~(re.VERBOSE | re.UNICODE) for resolvers in _FIRST_CHAR.values()
           for _, regexp in resolvers)  # no other flag to carry over
_RESOLVED_FIRST = frozenset(_FIRST_CHAR)  # only text starting with one of these can resolve otherwise
# A word that may be a plain number: from a line's start or after a space or '[{,' up to a space,
# ',[]{}#' or the end. yaml-rs and PyYAML read simple integers and decimals alike; a word with a
# sign inside (not after an exponent's 'e') is text to both. Any other number-like word ('007',
# '0b1', '1e5', '1_000', '.5', 20 digits) sends the file to the exact reader. Dashes alone are a
# block sequence's '- ' or text to both.
_NUMBER_WORD = re.compile(r"[-+._0-9][-+._0-9a-zA-Z]*")
_BEFORE_WORD = frozenset(" \n[{,")
_AFTER_WORD = frozenset(" \n,[]{}#")
_AGREED_WORD = re.compile(r"[-+]?(?:0|[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?|.+[0-9a-dA-Df-zF-Z][-+].*|-+")


class _NotPlain(Exception):
    """The tree holds something the fast reader cannot vouch for."""


def read_front_matter(text: str) -> dict[str, Any] | None:
    """The front matter's data as parse_yaml(text) would give it, without line numbers, or None
    when the fast reader cannot vouch for the text (then parse_yaml reads it)."""
    if not FAST_READER or (len(text) >= _SAFE_NESTING_BOUND  # a shorter text cannot nest that deep
                           and _nesting_bound(text) >= _SAFE_NESTING_BOUND):  # yaml-rs recurses too
        return None
    if (_UNUSUAL_CHARACTER.search(text) or _ODD_WORD.search(text)
            or "<<" in text or "\n%" in text or "\n---" in text or "\n..." in text
            or text.startswith(("%", "---", "...", ":", "?", "@", "`"))
            or (("|" in text or ">" in text) and _BLOCK_INDICATOR.search(text))
            or ("=" in text and _LONE_EQUALS.search(text))):
        return None
    if ("[" in text or "{" in text) and not _flow_on_one_line(text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)  # duplicate keys raise, as with parse_yaml
    except Exception:  # noqa: BLE001 (whatever yaml-rs refuses, parse_yaml reports with its line)
        return None
    if type(data) is not dict:
        return None
    try:
        has_number = _holds_number(data, 1)
    except _NotPlain:
        return None
    if has_number:
        end = len(text)
        for word in _NUMBER_WORD.finditer(text):
            start, stop = word.span()
            if ((start == 0 or text[start - 1] in _BEFORE_WORD) and (stop == end or text[stop] in _AFTER_WORD)
                    and not _AGREED_WORD.fullmatch(word.group())):
                return None
    return data


def _flow_on_one_line(text: str) -> bool:
    """Whether each line closes the brackets and braces it opens. A flow collection over several
    lines is where YAML 1.1 and yaml-rs disagree on indentation ('{a: b,' then 'c: d}' at the
    start of the next line is an error to PyYAML only); brackets in text may send a file to the
    exact reader for nothing."""
    for line in text.split("\n"):
        if ("[" in line or "]" in line or "{" in line or "}" in line) and (
                line.count("[") != line.count("]") or line.count("{") != line.count("}")):
            return False
    return True


def _holds_number(node: dict[str, Any] | list[Any], depth: int) -> bool:
    """Whether the tree holds an int or a float; raises _NotPlain for a key that is not text, text
    PyYAML would not read as text, anything but text, numbers, true/false and null, and nesting
    near MAX_DEPTH (parse_yaml reports it)."""
    if depth >= MAX_DEPTH:
        raise _NotPlain
    if type(node) is dict:
        for key in node:
            if type(key) is not str or (key[:1] in _RESOLVED_FIRST and _NOT_TEXT.match(key)):
                raise _NotPlain
        values: Any = node.values()
    else:
        values = node
    found = False
    for value in values:
        kind = type(value)
        if kind is str:
            if value[:1] in _RESOLVED_FIRST and _NOT_TEXT.match(value):
                raise _NotPlain
        elif kind is dict or kind is list:
            found = _holds_number(value, depth + 1) or found
        elif kind is int or kind is float:
            found = True
        elif value is not None and kind is not bool:
            raise _NotPlain
    return found
