"""The datasets load, validate, cite their sources, and reject bad rows with a clear message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from fixtures.lanes import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solidarity_edu.data import DATASETS, check_all, load_dataset, load_timeline, validate
from solidarity_edu.errors import DatasetError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def test_all_datasets_validate():
    assert check_all(DATA) == []


@pytest.mark.parametrize("name", DATASETS)
def test_every_row_has_a_source_and_unique_id(name):
    frame = load_dataset(name, DATA)
    assert len(frame) > 0
    assert frame["id"].is_unique
    assert frame["sources"].map(len).min() >= 1
    assert all(url.startswith(("http://", "https://")) for urls in frame["sources"] for url in urls)


@pytest.mark.parametrize("name", DATASETS)
def test_a_dataset_frame_carries_nothing_in_attrs(name):
    """pandas deep-copies ``attrs`` on every operation: the dataset's metadata kept there made a column
    access cost milliseconds and each chart a third of a second (issue 17). Metadata stays in read_meta."""
    frame = load_dataset(name, DATA)
    assert frame.attrs == {}
    assert frame[frame.columns[:2]].attrs == {}


def test_timeline_covers_the_course():
    events = load_timeline(DATA)
    assert len(events) >= 80
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert events["date"].min().year < 1860 and events["date"].max().year >= 2021
    assert set(events["era"]) == {"exclusion", "incarceration", "after-9-11", "deportation", "connections"}
    assert events["is_resistance"].mean() >= 1 / 3
    assert events["summary"].str.split().str.len().max() <= 60


def test_timeline_ids_are_stable():
    listed = ROOT / "tests" / "data" / "timeline_ids.txt"
    ids = {ln for ln in listed.read_text().splitlines() if ln and not ln.startswith("#")}
    missing = ids - set(load_timeline(DATA)["id"])
    assert not missing, f"timeline ids removed or renamed (lessons use them): {sorted(missing)}"


def test_camps_are_the_ten_wra_camps():
    camps = load_dataset("camps", DATA)
    assert len(camps) == 10
    assert camps["latitude"].between(30, 46).all() and camps["longitude"].between(-125, -90).all()
    assert (camps["peak_population"] > 1000).all()


def test_readmes_document_every_column():
    for name in DATASETS:
        meta, _, _ = validate(name, DATA)
        readme = (DATA / name / "README.md").read_text()
        for column in meta.columns:
            assert column.name in readme, f"{name}/README.md does not document column {column.name}"


@pytest.fixture()
def scratch(tmp_path):
    """A copy of the timeline dataset to break."""
    shutil.copytree(DATA / "timeline", tmp_path / "timeline", ignore=shutil.ignore_patterns("_parts"))
    return tmp_path


def _replace_row(scratch: Path, line: int, text: str) -> Path:
    path = scratch / "timeline" / "timeline.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = text + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return path


GOOD = "x-event,1900-01-01,year,Title,,Summary,exclusion,law,false,chinese,United States,,{url},,"


def _good(scratch: Path) -> str:
    _meta, rows, _ = validate("timeline", scratch)
    return GOOD.format(url=rows[0]["sources"][0])


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("1900-01-01,year", "1900-13-01,year", "column 'date': '1900-13-01' is not a date"),
        ("1900-01-01,year", "1900-05-01,year", "precision 'year', so it must be written 1900-01-01"),
        (",exclusion,", ",exclusionn,", "'exclusionn' is not an allowed value"),
        (",false,", ",maybe,", "'maybe' is not true or false"),
        ("x-event,", "X Event,", "does not match the pattern"),
        (",chinese,", ",,", "column 'communities': is empty"),
    ],
)
def test_bad_values_name_file_line_column(scratch, old, new, message):
    row = _good(scratch).replace(old, new, 1)
    path = _replace_row(scratch, 3, row)
    with pytest.raises(DatasetError) as err:
        load_timeline(scratch)
    assert f"{path}: line 3:" in str(err.value) and message in str(err.value)


def test_unlisted_source_duplicate_id_and_short_row(scratch):
    _meta, rows, _ = validate("timeline", scratch)
    first_id = rows[0]["id"]
    _replace_row(scratch, 3, GOOD.format(url="https://example.org/unlisted"))
    _replace_row(scratch, 4, _good(scratch).replace("x-event", first_id))
    _replace_row(scratch, 5, "only,three,cells")
    _, _, problems = validate("timeline", scratch)
    text = "\n".join(problems)
    assert "line 3: column 'sources': 'https://example.org/unlisted' is not listed under sources" in text
    assert f"line 4: column 'id': '{first_id}' repeats line 2" in text
    assert "line 5: has 3 cells but the header has 15" in text


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(st.text(max_size=30), min_size=0, max_size=16))
def test_any_malformed_row_gives_a_dataset_error_never_a_traceback(scratch, cells):
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    _replace_row(scratch, 3, buffer.getvalue())
    try:
        frame = load_timeline(scratch)
    except DatasetError as err:
        assert "timeline.csv" in str(err)
    else:
        assert len(frame) > 0


@settings(max_examples=examples(40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_any_bytes_give_a_dataset_error(scratch, raw):
    path = scratch / "timeline" / "timeline.csv"
    path.write_bytes(path.read_bytes()[:400] + raw)
    try:
        load_timeline(scratch)
    except DatasetError as err:
        assert "timeline.csv" in str(err)


def test_a_chart_label_longer_than_its_limit_names_the_row_and_the_limit(scratch):
    row = _good(scratch).replace("Title,,", "Title,A name far too long to read from the back,", 1)
    path = _replace_row(scratch, 3, row)
    with pytest.raises(DatasetError) as err:
        load_timeline(scratch)
    assert f"{path}: line 3:" in str(err.value) and "at most 22" in str(err.value)
