"""The source-quality rule for datasets: every cited host listed, no weak host among the citations a reader
sees, no row cited to weak pages alone; read_at copies registered with the work they copy; citations
counted by class, and the generated README tables kept in step with the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from solidarity_edu.data import (
    COUNTS_END,
    COUNTS_START,
    DATASETS,
    SOURCES_END,
    SOURCES_START,
    block,
    check_citations,
    citation_counts,
    citation_counts_table,
    read_meta,
    sources_tables,
    stale_tables,
    validate,
    write_tables,
)
from solidarity_edu.errors import DatasetError
from solidarity_edu.sources import COUNT_COLUMNS, count_by_class, host_of, rate, read_host_list

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

HOSTS = """hosts:
  nps.gov: {class: government, reason: National Park Service}
  wikipedia.org: {class: reference, reason: Wikipedia}
  docslib.org: {class: weak, reason: document dump}
  wikizero.com: {class: weak, reason: mirror of Wikipedia}
"""
SCHEMA = """schema:
  - column: id
    type: string
    description: Row id.
  - column: sources
    type: url-list
    description: Works cited.
  - column: read_at
    type: url-list
    required: false
    description: Copies read.
"""
NPS = "https://www.nps.gov/manz/index.htm"
WIKI = "https://en.wikipedia.org/wiki/Manzanar"
DUMP = "https://docslib.org/doc/1/manzanar"
MIRROR = "https://wikizero.com/en/Manzanar"
UNLISTED = "https://example.org/manzanar"


def _entry(url: str, **extra: str) -> str:
    lines = [f"  - url: {url}", "    publisher: P", "    title: T", "    accessed: 2026-12-07"]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def _dataset(tmp_path: Path, rows: list[tuple[str, str, str]], sources: list[str], read_at: list[str]) -> Path:
    """data/mini/ with the given rows (id, sources cell, read_at cell) and meta entries."""
    folder = tmp_path / "mini"
    folder.mkdir()
    (tmp_path / "source-hosts").mkdir()
    (tmp_path / "source-hosts" / "datasets.yaml").write_text(HOSTS, encoding="utf-8")
    meta = "title: Mini\ndescription: A test dataset.\nlicence: CC BY-SA 4.0\nsources:\n"
    meta += "".join(_entry(url) for url in sources)
    meta += "read_at:\n" + "".join(_entry(url, copy_of="Wikipedia, Manzanar") for url in read_at) if read_at else ""
    (folder / "mini.meta.yaml").write_text(meta + SCHEMA, encoding="utf-8")
    lines = ["id,sources,read_at", *(",".join(cells) for cells in rows)]
    (folder / "mini.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path) -> str:
    _meta, _rows, problems = validate("mini", tmp_path)
    assert problems == [], problems
    return "\n".join(check_citations("mini", tmp_path))


def test_acceptable_sources_with_weak_copies_under_read_at_pass(tmp_path):
    data = _dataset(tmp_path, [("a", f"{NPS} | {WIKI}", f"{DUMP} | {MIRROR}")], [NPS, WIKI], [DUMP, MIRROR])
    assert _problems(data) == ""


def test_unlisted_host_names_file_line_row_column_url_and_fix(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, ""), ("b", f"{NPS} | {UNLISTED}", "")], [NPS, UNLISTED], [])
    text = _problems(data)
    assert f"{data / 'mini' / 'mini.csv'}: line 3: row 'b': column 'sources': {UNLISTED} is on 'example.org'" in text
    assert "not in the source-quality list; add example.org to data/source-hosts/datasets.yaml" in text
    assert f"{data / 'mini' / 'mini.meta.yaml'}: line " in text and f"sources: {UNLISTED}" in text


def test_unlisted_host_in_a_read_at_cell_is_refused_too(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, UNLISTED)], [NPS], [UNLISTED])
    text = _problems(data)
    assert f"line 2: row 'a': column 'read_at': {UNLISTED} is on 'example.org'" in text


def test_weak_host_among_the_sources_says_move_it_to_read_at(tmp_path):
    data = _dataset(tmp_path, [("a", f"{NPS} | {DUMP}", "")], [NPS, DUMP], [])
    text = _problems(data)
    assert f"line 2: row 'a': column 'sources': {DUMP} is on 'docslib.org', a weak host (document dump)" in text
    assert "move it to the row's read_at column" in text
    assert "every source is weak" not in text


def test_row_cited_to_weak_pages_alone_is_refused(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, ""), ("alone", f"{DUMP} | {MIRROR}", "")], [NPS, DUMP, MIRROR], [])
    text = _problems(data)
    assert f"line 3: row 'alone': column 'sources': every source is weak ({DUMP}, {MIRROR})" in text
    assert "cite at least one acceptable source" in text


def test_weak_host_under_meta_sources_names_the_meta_line(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, DUMP)], [NPS], [DUMP])
    meta = data / "mini" / "mini.meta.yaml"
    meta.write_text(meta.read_text().replace("sources:\n", "sources:\n" + _entry(MIRROR), 1), encoding="utf-8")
    text = _problems(data)
    line = meta.read_text().splitlines().index(f"  - url: {MIRROR}") + 1
    assert f"{meta}: line {line}: sources: {MIRROR} is on 'wikizero.com', a weak host" in text
    assert "move this entry under read_at: with copy_of" in text


def test_a_read_at_entry_no_row_uses_is_refused(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, "")], [NPS], [DUMP])
    text = _problems(data)
    assert f"read_at: {DUMP} is not in any row's read_at cell; remove the entry" in text


def test_a_read_at_cell_must_be_registered_under_read_at(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, DUMP)], [NPS, DUMP], [])
    _, _, problems = validate("mini", data)
    assert any(
        "column 'read_at': 'https://docslib.org/doc/1/manzanar' is not listed under read_at" in p for p in problems
    )


def test_copy_of_a_url_must_name_a_listed_work(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, DUMP)], [NPS], [])
    meta = data / "mini" / "mini.meta.yaml"
    meta.write_text(
        meta.read_text().replace("schema:", "read_at:\n" + _entry(DUMP, copy_of=WIKI) + "schema:"), encoding="utf-8"
    )
    with pytest.raises(DatasetError, match=r"copy_of 'https://en.wikipedia.org/wiki/Manzanar' is a URL that is not"):
        read_meta(meta)


@pytest.mark.parametrize(("date", "ok"), [("1889", True), ("2021-03", True), ("2021-03-25", True), ("March 25", False)])
def test_a_source_date_is_a_year_month_or_day(tmp_path, date, ok):
    data = _dataset(tmp_path, [("a", NPS, "")], [NPS], [])
    meta = data / "mini" / "mini.meta.yaml"
    meta.write_text(
        meta.read_text().replace("    title: T\n", f"    title: T\n    date: {date}\n", 1), encoding="utf-8"
    )
    if ok:
        read_meta(meta)
    else:
        with pytest.raises(DatasetError, match="is not a year, YYYY-MM or YYYY-MM-DD"):
            read_meta(meta)


def test_read_at_entries_need_copy_of(tmp_path):
    data = _dataset(tmp_path, [("a", NPS, "")], [NPS], [])
    meta = data / "mini" / "mini.meta.yaml"
    meta.write_text(meta.read_text().replace("schema:", "read_at:\n" + _entry(DUMP) + "schema:"), encoding="utf-8")
    with pytest.raises(DatasetError, match=r"read_at\[1\]: 'copy_of' is empty"):
        read_meta(meta)


def test_counts_by_class_per_citation_for_a_dataset_or_any_list(tmp_path):
    data = _dataset(tmp_path, [("a", f"{NPS} | {WIKI}", DUMP), ("b", NPS, "")], [NPS, WIKI], [DUMP])
    counts = citation_counts("mini", data)
    assert list(counts) == list(COUNT_COLUMNS)
    assert counts["government"] == 2 and counts["reference"] == 1 and counts["weak"] == 0 and counts["unlisted"] == 0
    hosts = read_host_list(data / "source-hosts")
    listed = count_by_class([NPS, DUMP, MIRROR, UNLISTED], hosts)
    assert (listed["government"], listed["weak"], listed["unlisted"]) == (1, 2, 1)


def test_every_host_cited_in_data_is_classified_in_datasets_yaml(tmp_path):
    shutil.copy(DATA / "source-hosts" / "datasets.yaml", tmp_path / "datasets.yaml")
    hosts = read_host_list(tmp_path)
    unlisted = set()
    for name in DATASETS:
        meta, rows, _ = validate(name, DATA)
        urls = [e["url"] for e in (*meta.sources, *meta.read_at)]
        urls += [u for row in rows for c in meta.columns if c.type == "url-list" for u in row.get(c.name) or []]
        unlisted |= {host_of(u) for u in urls if rate(u, hosts) is None}
    assert not unlisted, f"add these hosts to data/source-hosts/datasets.yaml: {sorted(unlisted)}"


def test_data_readme_citation_table_is_what_the_data_gives():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert block(readme, COUNTS_START, COUNTS_END) == citation_counts_table(DATA), (
        "data/README.md: the citation table is out of date; run 'solidarity-edu data tables --write'"
    )


@pytest.mark.parametrize("name", DATASETS)
def test_dataset_readme_sources_are_what_the_meta_yaml_gives(name):
    readme = (DATA / name / "README.md").read_text(encoding="utf-8")
    meta = read_meta(DATA / name / f"{name}.meta.yaml")
    assert block(readme, SOURCES_START, SOURCES_END) == sources_tables(meta), (
        f"data/{name}/README.md: the Sources table is out of date; run 'solidarity-edu data tables --write'"
    )


def test_every_generated_readme_table_is_up_to_date():
    assert stale_tables(DATA) == [], "run 'solidarity-edu data tables --write'"


def test_write_tables_rewrites_a_stale_table(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    readme = copy / "README.md"
    readme.write_text(readme.read_text().replace("| **total** |", "| **totl** |"), encoding="utf-8")
    timeline = copy / "timeline" / "README.md"
    timeline.write_text(
        timeline.read_text().replace("(1850-04-13) | The day", "(1850-04-13) | A day"), encoding="utf-8"
    )
    assert [path for path, _ in stale_tables(copy)] == [readme, timeline]
    assert write_tables(copy) == [readme, timeline]
    assert write_tables(copy) == [] and stale_tables(copy) == []
