"""Static site generator for annotated, cross-linked timelines."""

__version__ = "0.1.0"
