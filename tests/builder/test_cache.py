"""The build's disk cache: drawn once, the same bytes from the cache, never half a file, never needed."""

from __future__ import annotations

from solidarity_edu.builder import outputs
from solidarity_edu.builder.cache import cache_in, cached_text

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "description": "Two bars.",
    "data": {"values": [{"x": "a", "y": 1}, {"x": "b", "y": 2}]},
    "mark": "bar",
    "encoding": {"x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}},
}


def test_drawn_once_then_read_from_disk(tmp_path):
    calls = []

    def make() -> str:
        calls.append(1)
        return "drawn"

    with cache_in(tmp_path):
        assert cached_text("svg", "key", make) == "drawn"
        assert cached_text("svg", "key", make) == "drawn"
        assert cached_text("svg", "other key", make) == "drawn"
    assert len(calls) == 2
    files = sorted(p.name for p in (tmp_path / "svg").iterdir())
    assert len(files) == 2 and not [f for f in files if f.startswith(".tmp-")]


def test_outside_a_build_nothing_is_stored(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cached_text("svg", "key", lambda: "drawn") == "drawn"
    assert list(tmp_path.iterdir()) == []


def test_an_unreadable_entry_is_drawn_again(tmp_path):
    with cache_in(tmp_path):
        cached_text("svg", "key", lambda: "first")
        (entry,) = (tmp_path / "svg").iterdir()
        entry.write_bytes(b"\xff\xfe not utf-8")
        assert cached_text("svg", "key", lambda: "again") == "again"
        assert entry.read_text() == "again"


def test_a_chart_from_the_cache_is_the_same_bytes_as_a_chart_drawn_now(tmp_path):
    outputs._svg.cache_clear()
    direct = outputs.static_chart_html(SPEC, "Two bars.")
    for _ in range(2):  # the second time, from disk
        outputs._svg.cache_clear()
        with cache_in(tmp_path):
            assert outputs.static_chart_html(SPEC, "Two bars.") == direct
    assert "<svg" in direct and len(list((tmp_path / "svg").iterdir())) == 1
