"""The page cache's store (output/pagecache.py): keys, what a build keeps, what it leaves."""

from __future__ import annotations

import hashlib
from pathlib import Path

from timeweave.output.pagecache import PageCache, digest, generator_digest


def test_a_key_changes_with_the_scope_the_path_and_the_source(tmp_path: Path) -> None:
    cache = PageCache(tmp_path, "scope")
    key = cache.key("events/a.md", b"source")
    assert key == PageCache(tmp_path, "scope").key("events/a.md", b"source")
    assert len({key, PageCache(tmp_path, "other").key("events/a.md", b"source"),
                cache.key("events/b.md", b"source"), cache.key("events/a.md", b"source!"),
                cache.key("events/a.md", b"source", "2020-02-02")}) == 5
    assert digest(["ab", "c"]) != digest(["a", "bc"])  # parts are delimited
    assert generator_digest() == generator_digest()


def test_only_a_successful_build_keeps_its_pages_and_only_what_it_used(tmp_path: Path) -> None:
    first = PageCache(tmp_path, "scope")
    first.put("a" * 64, _page(tmp_path, b"<html>a</html>"))
    first.put("b" * 64, _page(tmp_path, b"<html>b</html>"))
    first.discard()  # a failed build
    assert PageCache(tmp_path, "scope").find("a" * 64) is None
    first.put("a" * 64, _page(tmp_path, b"<html>a</html>"))
    first.put("b" * 64, _page(tmp_path, b"<html>b</html>"))
    first.commit()
    second = PageCache(tmp_path, "scope")
    assert _read(second.find("a" * 64)) == b"<html>a</html>" and second.hits == 1
    second.put("c" * 64, _page(tmp_path, b"<html>c</html>"))
    second.commit()  # b was not used: it leaves
    third = PageCache(tmp_path, "scope")
    assert [_read(third.find(k * 64)) for k in "abc"] == [b"<html>a</html>", None, b"<html>c</html>"]
    third.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pages"]  # no pending folder left


def test_a_page_found_stays_whole_when_another_build_removes_its_entry(tmp_path: Path) -> None:
    first = PageCache(tmp_path, "scope")
    first.put("a" * 64, _page(tmp_path, b"<html>a</html>"))
    first.commit()
    mine, other = PageCache(tmp_path, "scope"), PageCache(tmp_path, "scope")
    other.pending = tmp_path / "pending-of-another-process"
    found = mine.find("a" * 64)
    other.commit()  # a build that did not use it: the entry leaves the cache
    assert other.find("a" * 64) is None and _read(found) == b"<html>a</html>"
    mine.commit()  # the build that used it keeps it
    assert _read(PageCache(tmp_path, "scope").find("a" * 64)) == b"<html>a</html>"


def _page(tmp_path: Path, html: bytes) -> Path:
    """A page as a build writes it into its new site, for the cache to keep."""
    written = tmp_path.parent / f"{tmp_path.name}-site" / hashlib.sha256(html).hexdigest() / "index.html"
    written.parent.mkdir(parents=True, exist_ok=True)
    written.write_bytes(html)
    return written


def _read(entry: Path | None) -> bytes | None:
    return entry.read_bytes() if entry is not None else None


def test_a_kept_page_is_the_site_s_file_not_a_copy(tmp_path: Path) -> None:
    written = _page(tmp_path, b"<html>a</html>")
    cache = PageCache(tmp_path, "scope")
    cache.put("a" * 64, written)
    cache.commit()
    found = PageCache(tmp_path, "scope").find("a" * 64)
    assert found is not None and found.stat().st_ino == written.stat().st_ino
