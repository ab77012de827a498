"""Second line of defence: rendered page HTML goes through nh3 (Ammonia) with an allow-list.

The validator already refuses unsafe Markdown with a clear error; this catches whatever a future
Markdown extension, a template override or a parser quirk lets through. Our own templates only
emit markup in this allow-list, so a page's HTML is unchanged by it unless something is wrong.
"""

from __future__ import annotations

import re

import nh3

from timeweave.content.allowed_html import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, DATA_ATTRIBUTE_PREFIX


def _attribute_filter(element: str, attribute: str, value: str) -> str | None:
    # Material looks its own elements up by id (its configuration is read from `#__config`, which
    # decides where the search index is fetched from); an id starting with '__' in the content
    # would come first in the document and be found instead.
    if attribute in ("id", "for") and value.startswith("__"):
        return None
    # An image from another host makes every reader's browser report to that host.
    if element == "img" and attribute == "src" and _EXTERNAL.match(value):
        return None
    return value


_EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|\\\\)")


_ALLOWED = {"tags": ALLOWED_TAGS, "attributes": ALLOWED_ATTRIBUTES, "url_schemes": {"http", "https", "mailto"},
            "link_rel": None, "strip_comments": True, "generic_attribute_prefixes": {DATA_ATTRIBUTE_PREFIX}}
_CLEANER = nh3.Cleaner(**_ALLOWED)  # type: ignore[arg-type]
_FILTERING_CLEANER = nh3.Cleaner(attribute_filter=_attribute_filter, **_ALLOWED)  # type: ignore[arg-type]
# What the filter acts on, as Ammonia writes it out: a tag's name in lower case, every attribute
# after a space with its value in double quotes, and an underscore never spelt as an entity
# (tests/output/test_sanitize.py spells it every way a page could).
_FILTERED = ("<img", ' id="__', ' for="__')


def sanitize_html(html: str) -> str:
    # The filter is a Python call per attribute: only a page whose clean HTML holds an attribute
    # it refuses, or an image, is cleaned again with it. Where the clean HTML has neither, the
    # filter would have been given nothing to refuse, so the result is the same.
    clean = _CLEANER.clean(html)
    if any(part in clean for part in _FILTERED):
        return _FILTERING_CLEANER.clean(html)
    return clean


# The page's own content in a Material-like theme's page (Material, Zensical's classic and modern
# variants): the theme's markup around it is the builder's, not the content's. Zensical puts its
# skip link's target (an id the filter above refuses to content) first inside the article.
_ARTICLE = re.compile(r'(<article class="md-content__inner md-typeset"[^>]*>\s*(?:<a id="__skip" tabindex="-1"></a>)?)'
                      r'(.*)(</article>)', re.S)


def sanitize_built_page(document: str) -> str:
    """A built page with its article sanitized as sanitize_html does a page's content, for a
    builder that cannot hand over each page's HTML before it writes it (Zensical)."""
    found = _ARTICLE.search(document)
    if found is None:
        return document
    return document[:found.start(2)] + sanitize_html(found.group(2)) + document[found.end(2):]
