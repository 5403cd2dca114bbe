"""The dataset charts: described, colour-blind-safe, and valid Vega-Lite 5 (what JupyterLab 4 draws).

The schema is vega-lite@5.23.0's build/vega-lite-schema.json from npm (BSD-3-Clause), gzipped.
"""

from __future__ import annotations

import csv
import gzip
import html
import json
import re
from pathlib import Path

import jsonschema
import pytest

from solidarity_edu import cards, charts
from solidarity_edu.errors import ChartError, DatasetError
from solidarity_edu.tags import VEGA_LITE_MIME

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "fixtures" / "vega-lite-5.23.0.schema.json.gz"


@pytest.fixture(scope="module")
def v5():
    return jsonschema.Draft7Validator(json.loads(gzip.decompress(SCHEMA.read_bytes())))


@pytest.fixture(autouse=True)
def project_root(root, monkeypatch):
    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))


BUILDERS = {
    "course_map": lambda: charts.course_map("college"),
    "timeline": lambda: charts.timeline(era="incarceration"),
    "timeline-ids": lambda: charts.timeline(ids=["executive-order-9066", "civil-liberties-act-1988"]),
    "camps_map": charts.camps_map,
    "removals_chart": charts.removals_chart,
    "incidents_chart": lambda: charts.incidents_chart(["anti-islamic", "anti-sikh"]),
}


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_chart_is_valid_vega_lite_5_with_a_description(name, v5):
    bundle, _ = BUILDERS[name]()._repr_mimebundle_()
    spec = bundle[VEGA_LITE_MIME]
    errors = [f"{list(e.path)}: {e.message[:200]}" for e in v5.iter_errors(spec)]
    assert errors == []
    assert len(spec["description"].split()) >= 10


def test_timeline_counts_and_filters():
    spec = charts.timeline(era="incarceration").to_dict()
    assert "30 events" in spec["description"] or "events" in spec["description"]
    names = {p["name"] for p in spec["params"]}
    assert names == {"community", "kind"}
    points = spec["layer"][0]["encoding"]
    colours, shapes = points["color"]["scale"]["range"], points["shape"]["scale"]["range"]
    assert len(set(zip(colours, shapes, strict=True))) == len(colours)
    assert len(set(colours)) == len(colours)  # no two kinds share a colour
    # The legend lists only the kinds the chart draws, by their human names.
    drawn = {row["kind"] for row in spec["datasets"][spec["data"]["name"]]}
    assert set(points["color"]["scale"]["domain"]) == drawn
    assert all(" " in k or k[0].isupper() for k in drawn) and "court-ruling" not in drawn
    menus = {p["name"]: p["bind"] for p in spec["params"]}
    assert menus["community"]["labels"][0] == "All communities"
    assert "asian-american" not in menus["community"]["labels"]


def test_timeline_title_takes_the_years_of_the_events_it_draws():
    """A hand-written year range in the title is replaced by the span of the events drawn."""
    spec = charts.timeline(
        era="incarceration", start=1969, end=1990, title="The road to redress, 1969 to 1990"
    ).to_dict()
    years = sorted(int(row["date"][:4]) for row in spec["datasets"][spec["data"]["name"]])
    assert spec["title"] == f"The road to redress, {years[0]} to {years[-1]}"


def test_timeline_names_its_key_events_on_the_chart():
    ids = ["chinese-exclusion-act-1882", "geary-act-1892"]
    spec = charts.timeline(ids=ids).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    # The data's short chart name (chart_label), not the headline.
    assert {r["event"]: r["label"] for r in rows} == {
        "Chinese Exclusion Act suspends immigration of Chinese laborers for ten years": "Chinese Exclusion Act",
        "Geary Act renews exclusion and forces Chinese residents to register": "Geary Act",
    }
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["point", "text", "text"]
    with pytest.raises(ChartError, match="not one of the events"):
        charts.timeline(ids=ids, label=["scott-act-1888"])


def test_camps_map_describes_the_extremes():
    description = charts.camps_map().to_dict()["description"]
    assert "ten War Relocation Authority camps" in description and "Tule Lake" in description


def test_unknown_ids_and_eras_are_clear_errors():
    with pytest.raises(DatasetError, match="no timeline event with id 'nope'"):
        charts.timeline(ids=["nope"])
    with pytest.raises(DatasetError, match="unknown era 'wwii'"):
        charts.timeline(era="wwii")
    with pytest.raises(DatasetError, match="no glossary term"):
        cards.define("nope")


def test_cards_escape_and_cite():
    card = cards.event_card("chinese-exclusion-act-1882")._repr_html_()
    assert "May 6, 1882" in card and "Sources:" in card and "<script" not in card


def test_an_event_card_names_each_source_by_its_publisher_and_links_the_work():
    """A reader sees who published each source (from timeline.meta.yaml), not a bare host name."""
    from solidarity_edu.data import read_meta

    meta = read_meta(ROOT / "data" / "timeline" / "timeline.meta.yaml")
    publisher = {s["url"]: s["publisher"] for s in meta.sources}
    row = next(r for r in csv.DictReader((ROOT / "data/timeline/timeline.csv").open()) if r["id"] == "tape-v-hurley")
    card = cards.event_card("tape-v-hurley")._repr_html_()
    for url in row["sources"].split(" | "):
        assert f'<a href="{url}">{html.escape(publisher[url])}</a>' in card
    assert "pressreader" not in card  # a copy read (read_at) is never shown as a source
    table = cards.event_list(era="exclusion")._repr_html_()
    assert table.count("<tr>") >= 20


def _rows(spec: dict) -> list[dict]:
    return spec["datasets"][spec["data"]["name"]] if "data" in spec else []


def _numbers(text: str) -> list[int]:
    return [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"era": "exclusion"},
        {"era": "incarceration", "start": 1969, "end": 1990},
        {"ids": ["chinese-exclusion-act-1882", "geary-act-1892"]},
        {"era": ["exclusion", "incarceration", "after-9-11", "deportation"]},
    ],
)
def test_a_timeline_caption_states_the_numbers_it_draws(kwargs):
    """Caption (description) and title are written from the rows the chart draws: count, years, rows."""
    from solidarity_edu.events import RESISTANCE_LANE

    spec = charts.timeline(title="A title, 1800 to 2100", **kwargs).to_dict()
    rows = _rows(spec)
    years = sorted(int(r["date"][:4]) for r in rows)
    resisting = sum(r["row"] == RESISTANCE_LANE for r in rows)
    text = spec["description"]
    assert text.startswith(f"Timeline of {len(rows)} events, {years[0]}")
    assert f"to {years[-1]}" in text or years[0] == years[-1]
    assert ("two rows" in text) == (0 < resisting < len(rows))
    if resisting:
        assert f"{resisting} acts of resistance" in text
    if resisting < len(rows):
        assert f"{len(rows) - resisting} laws" in text
    assert spec["title"] == f"A title, {years[0]} to {years[-1]}"


def test_dataset_chart_captions_state_the_numbers_they_draw():
    camps = charts.camps_map().to_dict()
    rows = next(_rows({"datasets": camps["datasets"], "data": layer["data"]}) for layer in camps["layer"][1:2])
    populations = sorted(r["peak_population"] for r in rows)
    assert {populations[0], populations[-1]} <= set(_numbers(camps["description"]))
    assert f"in {len({r['state'] for r in rows})} states" in camps["description"]

    removals = charts.removals_chart().to_dict()
    panels = [_rows({"datasets": removals["datasets"], "data": p["data"]}) for p in removals["vconcat"]]
    yearly, orders = panels
    numbers = set(_numbers(removals["description"]))
    assert {len(yearly), len(orders), min(r["value"] for r in yearly), max(r["value"] for r in yearly)} <= numbers
    assert {min(r["value"] for r in orders), max(r["value"] for r in orders)} <= numbers

    incidents = charts.incidents_chart(["anti-islamic", "anti-sikh"]).to_dict()
    rows = _rows(incidents)
    assert f"from {len({r['collector'] for r in rows})} collectors" in incidents["description"]
    years = sorted(r["date"][:4] for r in rows)
    assert f"{years[0]} to {years[-1]}" in incidents["description"]


def _units(node, found=None):
    """Every single-view spec (a dict with a mark) of a chart, with the layer it sits in."""
    found = [] if found is None else found
    if isinstance(node, dict):
        if "layer" in node:
            for child in node["layer"]:
                found.append((child, node["layer"]))
        for key, value in node.items():
            if key not in {"datasets", "data", "config"}:
                _units(value, found)
    elif isinstance(node, list):
        for value in node:
            _units(value, found)
    return found


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_print_charts_survive_a_black_and_white_copy(name):
    """Issue 12, item 5: a series told apart by colour is also told apart by shape (or named by a text
    label next to it), so a greyscale photocopy keeps every series apart."""
    spec = BUILDERS[name]().to_dict()
    units = _units(spec) or [(spec, [spec])]
    checked = 0
    for unit, layer in units:
        color = (unit.get("encoding") or {}).get("color") or {}
        if not color.get("field") or color.get("type", "nominal") not in {"nominal", "ordinal"}:
            continue
        field = color["field"]
        shape = (unit.get("encoding") or {}).get("shape") or {}
        labelled = any(((u.get("encoding") or {}).get("text") or {}).get("field") == field for u in layer)
        assert shape.get("field") == field or labelled, f"{name}: colour by {field!r} with no shape or label"
        checked += 1
    if name not in {"course_map", "camps_map"}:  # one colour each: nothing to tell apart
        assert checked >= 1, f"{name}: no series found to check"


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.timeline(era="incarceration", label=["executive-order-9066"]),
        charts.camps_map,
        charts.removals_chart,
    ],
)
def test_a_chart_described_in_traditional_chinese_keeps_every_number(make, root, monkeypatch):
    from solidarity_edu import i18n

    monkeypatch.setenv("SOLIDARITY_EDU_ROOT", str(root))
    english = charts.chart_description(make())
    try:
        i18n.use_language("zh-Hant")
        chinese = charts.chart_description(make())
    finally:
        i18n.use_language(None)
    assert re.search(r"[\u4e00-\u9fff]{4}", chinese), chinese
    assert not re.search(r"\b(?:events|camps|panels|removals)\b", chinese)
    assert sorted(re.findall(r"\d+(?:,\d{3})*", chinese)) == sorted(re.findall(r"\d+(?:,\d{3})*", english))
