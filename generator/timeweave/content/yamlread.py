"""The exact YAML reader: PyYAML (libyaml) tuned to read content safely, with the line of every
key and list item.

It is the reference for what a file means and for every message and line number (the fast reader in
fastyaml.py only takes text on which the two agree), and a line of defence against hostile files:
no object tags, no anchors or aliases, no merge keys, no duplicate keys, and no nesting deep enough
to crash libyaml's recursive composer. It never raises on bad input: every problem goes to the
ErrorLog it is given.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from timeweave.errors import ErrorLog

MAX_DEPTH = 20
# Below this many characters that can open a nesting level, libyaml's recursive composer is safe;
# above it the event stream is scanned first (see _nesting_line).
_SAFE_NESTING_BOUND = 1000

Loc = tuple[str | int, ...]

_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _ContentLoader(_Base):  # type: ignore[misc]  # the base is chosen at run time (CSafeLoader or SafeLoader)
    """Safe YAML without timestamp resolution: dates stay strings, EDTF parses them."""


# YAML 1.1 surprises a contributor would not expect: `2020-02-10` becoming a date object,
# `14:30` becoming the number 870 (base 60) and `no` becoming false. Resolve the YAML 1.2 way.
_YAML12 = {
    "tag:yaml.org,2002:bool": re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F]+|0o[0-7]+)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}
_ContentLoader.yaml_implicit_resolvers = {
    first: [
        (tag, _YAML12.get(tag, regexp))
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

# What YAML 1.2's core schema reads as a number (the YAML language server that checks files against
# our JSON Schema, and yaml-rs, follow it). A plain value that it and the resolver above read
# differently ('0668' is 668 to YAML 1.2 and text here; '1_000' the reverse) is refused with the
# hint to quote it, rather than read one way: a year-like value meant as text would silently change.
_CORE12_NUMBER = re.compile(
    r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_NUMBER_START = frozenset("0123456789+-.")


def yaml12_number(text: str) -> bool:
    """True when a plain scalar of this text is a number to YAML 1.2 (its core schema)."""
    return bool(_CORE12_NUMBER.fullmatch(text))
_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
# A plain scalar's style is None in PyYAML and "" in libyaml (CSafeLoader): both are falsy, quotes are not.

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_constructor = yaml.constructor.SafeConstructor()
# The constructor functions themselves: construct_object() would keep every node it has seen in
# a cache that lives as long as the module (a leak in a long-running preview).
_SCALAR_CONSTRUCTORS = {tag: yaml.constructor.SafeConstructor.yaml_constructors[tag]
                        for tag in _SCALAR_TAGS if tag != "tag:yaml.org,2002:str"}
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_ScalarNode, _MappingNode, _SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode

# The resolver by first character, as a tuple: PyYAML's resolve() builds a new list for every
# scalar, and it is called for every scalar of every file. Same tags, same order, same regexes.
_FIRST_CHAR = {first: tuple(resolvers) for first, resolvers in _ContentLoader.yaml_implicit_resolvers.items()}
assert None not in _FIRST_CHAR and not _ContentLoader.yaml_path_resolvers  # nothing else to consult


def _resolve(self: Any, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
    if kind is _ScalarNode:
        if implicit[0]:
            for tag, regexp in _FIRST_CHAR.get(value[:1], ()):
                if regexp.match(value):
                    return str(tag)
        return _STR
    return _SEQ if kind is yaml.SequenceNode else _MAP


_ContentLoader.resolve = _resolve
# The composer calls these around every node, for path resolvers, which this loader has none of
# (asserted above): builtins that accept the same arguments and do nothing skip a Python call each
# (several per key of every file).
_ContentLoader.descend_resolver = slice  # called as (parent node, index)
_ContentLoader.ascend_resolver = tuple  # called without arguments


class _Invalid(Exception):
    def __init__(self, line: int, field: str, message: str, hint: str = ""):
        super().__init__(message)
        self.line, self.field, self.message, self.hint = line, field, message, hint


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], offset: int, seen: set[int] | None) -> Any:
    """seen: the ids of the nodes built so far, to refuse an alias (the same node twice); None when
    the text has no '*', without which YAML cannot write an alias."""
    line = node.start_mark.line + 1 + offset
    if seen is not None:
        if id(node) in seen:
            raise _Invalid(line, _dotted(loc), "YAML aliases (*name) are not allowed", "write the value out")
        seen.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise _Invalid(line, _dotted(loc), f"nested deeper than {MAX_DEPTH} levels")
    lines.setdefault(loc, line)
    if isinstance(node, _MappingNode):
        if node.tag != _MAP:
            raise _Invalid(line, _dotted(loc), f"unsupported YAML tag {node.tag!r}")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1 + offset
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _Invalid(key_line, _dotted(loc), "YAML merge keys (<<) are not allowed")
            if not isinstance(key_node, _ScalarNode) or key_node.tag != _STR:
                raise _Invalid(key_line, _dotted(loc), "keys must be plain text")
            key = key_node.value
            child = loc + (key,)
            if key in result:
                raise _Invalid(key_line, _dotted(child), f"duplicate key '{key}'",
                               f"first given on line {lines[child]}; keep one")
            lines[child] = key_line  # point at the key, not its value
            # Most values are plain text: the same checks as the recursive call, without the call.
            if (type(value_node) is _ScalarNode and value_node.tag == _STR and len(child) <= MAX_DEPTH
                    and (seen is None or id(value_node) not in seen)
                    and (value_node.style or value_node.value[:1] not in _NUMBER_START)):
                if seen is not None:
                    seen.add(id(value_node))
                result[key] = value_node.value
            else:
                result[key] = _build(value_node, child, lines, offset, seen)
                lines[child] = key_line
        return result
    if isinstance(node, _SequenceNode):
        if node.tag != _SEQ:
            raise _Invalid(line, _dotted(loc), f"unsupported YAML tag {node.tag!r}")
        items: list[Any] = []
        for i, item in enumerate(node.value):
            child = loc + (i,)
            if (type(item) is _ScalarNode and item.tag == _STR and len(child) <= MAX_DEPTH
                    and (seen is None or id(item) not in seen)
                    and (item.style or item.value[:1] not in _NUMBER_START)):
                if seen is not None:
                    seen.add(id(item))
                lines.setdefault(child, item.start_mark.line + 1 + offset)
                items.append(item.value)
            else:
                items.append(_build(item, child, lines, offset, seen))
        return items
    if node.tag not in _SCALAR_TAGS:
        raise _Invalid(line, _dotted(loc), f"unsupported YAML tag {node.tag!r}",
                       "remove the tag; only plain text, numbers, true/false and null are allowed")
    plain = isinstance(node, yaml.ScalarNode) and not node.style
    if plain and (node.tag in _NUMBER_TAGS) != bool(_CORE12_NUMBER.fullmatch(node.value)):
        if node.tag == _STR:
            raise _Invalid(line, _dotted(loc), f"'{node.value}' is a number to YAML 1.2 readers (editors "
                           "checking the JSON Schema) but text to timeweave",
                           f"put it in quotes ('{node.value}') if it is text, or write the number without "
                           "leading zeros")
        raise _Invalid(line, _dotted(loc), f"'{node.value}' is a number to timeweave but text to YAML 1.2 "
                       "readers (editors checking the JSON Schema)",
                       f"put it in quotes ('{node.value}') if it is text, or write the number without '_'")
    if node.tag == _STR:
        return node.value
    try:
        return _SCALAR_CONSTRUCTORS[node.tag](_constructor, node)
    except (ValueError, OverflowError) as exc:  # e.g. an integer of more than 4,300 digits
        raise _Invalid(line, _dotted(loc), f"cannot read this value: {exc}".split(";")[0]) from None


def _nesting_bound(text: str) -> int:
    """How deep text can nest at most: each level needs a character that opens it or a new line."""
    return sum(text.count(c) for c in "[{-?") + text.count("\n")


def _nesting_line(text: str) -> int | None:
    """The line where text nests deeper than MAX_DEPTH, else None.

    libyaml's composer (the Cython part of PyYAML) recurses in C without a limit: about 30,000
    nested '[' in a 256 KB file crash the interpreter with a segmentation fault, which no except
    clause can catch. Its parser, by contrast, is a state machine, so the event stream is walked
    first and abandoned as soon as the depth passes the limit. Ordinary files skip the walk: their
    depth cannot exceed the number of characters that open a level plus the number of lines.
    """
    if _nesting_bound(text) < _SAFE_NESTING_BOUND:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_ContentLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH + 1:
                return int(event.start_mark.line) + 1 if event.start_mark is not None else 1
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return None


def parse_yaml(text: str, path: str, errors: ErrorLog, offset: int = 0) -> tuple[Any, dict[Loc, int]] | None:
    """Parse one YAML document; offset is the file line of the text's first line minus one."""
    try:
        deep = _nesting_line(text)
        if deep is not None:
            errors.add(path, deep + offset, "", f"nested deeper than {MAX_DEPTH} levels")
            return None
        node = yaml.compose(text, Loader=_ContentLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + offset) if mark else 1 + offset
        problem = (exc.problem or str(exc)).strip()
        source_lines = text.split("\n")
        bad = source_lines[mark.line] if mark and mark.line < len(source_lines) else ""
        errors.add(path, line, "", f"YAML syntax error: {problem}", _yaml_hint(problem, bad))
        return None
    except yaml.YAMLError as exc:
        errors.add(path, 1 + offset, "", f"YAML error: {str(exc).strip()}")
        return None
    except RecursionError:
        errors.add(path, 1 + offset, "", "YAML nested too deeply")
        return None
    lines: dict[Loc, int] = {(): 1 + offset}
    if node is None:
        return {}, lines
    try:
        return _build(node, (), lines, offset, set() if "*" in text else None), lines
    except _Invalid as exc:
        errors.add(path, exc.line, exc.field, exc.message, exc.hint)
        return None
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        errors.add(path, 1 + offset, "", f"YAML value error: {exc}")
        return None


def _yaml_hint(problem: str, line: str = "") -> str:
    if "mapping values are not allowed" in problem:
        return "put text containing ': ' in quotes"
    # libyaml (CSafeLoader) does not name the tab in its message, unlike the pure-Python loader.
    indent = line[: len(line) - len(line.lstrip())]
    if "found character '\\t'" in problem or "tab" in problem or "\t" in indent:
        return "indent with spaces, not tabs"
    return ""
