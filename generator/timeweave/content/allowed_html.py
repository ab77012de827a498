"""The HTML a published page may hold: the sanitizer's allow-list (output/sanitize.py), and the
ground the body policy (policy.py) narrows for what a contributor may write."""

ALLOWED_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
    "dd", "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "nav", "ol", "p", "pre", "q", "s",
    "samp", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "u", "ul", "article", "aside", "header", "footer",
}
_COMMON = {"class", "id", "lang", "dir", "title", "role", "aria-label", "aria-hidden", "aria-describedby",
           "aria-labelledby", "tabindex"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "rel", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
DATA_ATTRIBUTE_PREFIX = "data-"
