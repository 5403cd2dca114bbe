"""Load the course's datasets and check them against their meta.yaml.

    from solidarity_edu import load_timeline
    events = load_timeline()          # a pandas DataFrame, one row per event

Every dataset lives in data/<name>/ (see data/SCHEMA.md). Loading validates every row; a problem raises
DatasetError naming the file, line, column and value and saying what was expected.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DatasetError
from .yamlfile import read_yaml

DATASETS = ("timeline", "camps", "removals", "incidents", "glossary")
TYPES = {"string", "integer", "number", "date", "boolean", "list", "url-list"}
SEPARATOR = " | "
_META_KEYS = {"title", "description", "licence", "sources", "schema"}
_OPTIONAL_META_KEYS = {"read_at"}
_SOURCE_KEYS = {"url", "publisher", "title", "accessed", "date"}
_SOURCE_REQUIRED = ("url", "publisher", "title", "accessed")
_READ_AT_KEYS = {"url", "publisher", "title", "accessed", "copy_of"}
_READ_AT_REQUIRED = ("url", "publisher", "title", "accessed", "copy_of")
READ_AT_PREFIX = "read_at"
_COLUMN_KEYS = {
    "column",
    "type",
    "unit",
    "required",
    "unique",
    "allowed",
    "pattern",
    "minimum",
    "maximum",
    "max_words",
    "max_chars",
    "description",
}
_URL = re.compile(r"^https?://[^\s|]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WORK_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_words: int | None = None
    max_chars: int | None = None


@dataclass(frozen=True)
class Meta:
    path: Path
    title: str
    description: str
    licence: str
    sources: tuple[dict, ...]
    columns: tuple[Column, ...]
    read_at: tuple[dict, ...] = ()

    @property
    def source_urls(self) -> set[str]:
        """The URLs of the works cited (``sources:``)."""
        return {s["url"] for s in self.sources}

    @property
    def read_at_urls(self) -> set[str]:
        """The URLs of the copies a fact was read in (``read_at:``)."""
        return {s["url"] for s in self.read_at}


def is_read_at(column: str) -> bool:
    """True for a column (or key) that records copies read, never shown as a citation."""
    return column.startswith(READ_AT_PREFIX)


def cited_columns(meta: Meta) -> list[str]:
    """The url-list columns a reader sees as citations (every url-list column not named read_at...)."""
    return [c.name for c in meta.columns if c.type == "url-list" and not is_read_at(c.name)]


def _data_dir(data_dir: str | Path | None) -> Path:
    if data_dir is not None:
        return Path(data_dir)
    from .paths import data_dir as default

    return default()


def read_meta(path: Path) -> Meta:
    """Read and check a <name>.meta.yaml; unknown keys and missing fields are errors."""
    raw = read_yaml(path, DatasetError, "missing; every dataset needs a meta.yaml (see data/SCHEMA.md)")
    if not isinstance(raw, dict):
        raise DatasetError(f"{path}: expected a mapping with keys {', '.join(sorted(_META_KEYS))}")
    for key in sorted(set(raw) - _META_KEYS - _OPTIONAL_META_KEYS):
        allowed = ", ".join(sorted(_META_KEYS | _OPTIONAL_META_KEYS))
        raise DatasetError(f"{path}: unknown key {key!r}; allowed: {allowed}")
    for key in sorted(_META_KEYS - set(raw)):
        raise DatasetError(f"{path}: missing key {key!r} (see data/SCHEMA.md)")
    sources = _read_entries(path, "sources", raw["sources"], _SOURCE_KEYS, _SOURCE_REQUIRED)
    read_at = _read_entries(path, "read_at", raw.get("read_at"), _READ_AT_KEYS, _READ_AT_REQUIRED)
    work_urls = {s["url"] for s in sources}
    for number, entry in enumerate(read_at, start=1):
        copy_of = str(entry["copy_of"]).strip()
        if _URL.match(copy_of) and copy_of not in work_urls:
            raise DatasetError(
                f"{path}: read_at[{number}] ({entry['url']}): copy_of {copy_of!r} is a URL that is not listed "
                "under sources:; list the work there, or name it in words (author, title, date)"
            )
    columns = []
    for number, spec in enumerate(raw["schema"] or [], start=1):
        where = f"{path}: schema[{number}]"
        if not isinstance(spec, dict) or "column" not in spec:
            raise DatasetError(f"{where}: expected a mapping with at least column, type, description")
        for key in sorted(set(spec) - _COLUMN_KEYS):
            raise DatasetError(
                f"{where} ({spec['column']}): unknown key {key!r}; allowed: {', '.join(sorted(_COLUMN_KEYS))}"
            )
        if spec.get("type") not in TYPES:
            raise DatasetError(
                f"{where} ({spec['column']}): type {spec.get('type')!r} is not one of {', '.join(sorted(TYPES))}"
            )
        if not str(spec.get("description") or "").strip():
            raise DatasetError(f"{where} ({spec['column']}): description is empty; say what the column means")
        allowed = spec.get("allowed")
        columns.append(
            Column(
                name=str(spec["column"]),
                type=spec["type"],
                description=str(spec["description"]).strip(),
                unit=spec.get("unit"),
                required=bool(spec.get("required", True)),
                unique=bool(spec.get("unique", False)),
                allowed=tuple(str(a) for a in allowed) if allowed else None,
                pattern=spec.get("pattern"),
                minimum=spec.get("minimum"),
                maximum=spec.get("maximum"),
                max_words=spec.get("max_words"),
                max_chars=spec.get("max_chars"),
            )
        )
    if not columns:
        raise DatasetError(f"{path}: schema is empty; describe every CSV column")
    return Meta(
        path,
        str(raw["title"]),
        str(raw["description"]).strip(),
        str(raw["licence"]).strip(),
        tuple(sources),
        tuple(columns),
        tuple(read_at),
    )


def _read_entries(path: Path, section: str, entries: Any, keys: set[str], required: tuple[str, ...]) -> list[dict]:
    """The entries of ``sources:`` or ``read_at:``, checked: known keys, required keys filled, http(s) urls,
    and a ``date`` (of publication) written as a year, YYYY-MM or YYYY-MM-DD."""
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise DatasetError(f"{path}: {section}: expected a list of entries (- url: ...)")
    checked = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: {section}[{number}]"
        if not isinstance(entry, dict):
            raise DatasetError(f"{where}: expected a mapping with {', '.join(required)}")
        for key in sorted(set(entry) - keys):
            raise DatasetError(f"{where}: unknown key {key!r}; allowed: {', '.join(sorted(keys))}")
        for key in required:
            if not str(entry.get(key) or "").strip():
                raise DatasetError(f"{where}: {key!r} is empty; every {section} entry needs {', '.join(required)}")
        if not _URL.match(str(entry["url"])):
            raise DatasetError(f"{where}: url {entry['url']!r} is not an http(s) URL")
        if "date" in entry:
            value = entry["date"]
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
            if not _WORK_DATE.match(text):
                raise DatasetError(
                    f"{where} ({entry['url']}): date {value!r} is not a year, YYYY-MM or YYYY-MM-DD; "
                    "give the work's date of publication, or leave the key out when it is not known"
                )
        checked.append(entry)
    return checked


def _parse(value: str, column: Column, meta: Meta) -> tuple[Any, str | None]:
    """(parsed value, problem or None) for one cell."""
    if value == "":
        return None, ("is empty; this column is required" if column.required else None)
    kind = column.type
    if kind == "integer":
        if not re.fullmatch(r"-?\d+", value):
            return None, f"{value!r} is not a whole number (write digits only, no commas or '~')"
        parsed: Any = int(value)
    elif kind == "number":
        try:
            parsed = float(value)
        except ValueError:
            return None, f"{value!r} is not a number"
    elif kind == "date":
        try:
            if not _DATE.match(value):
                raise ValueError
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            return None, f"{value!r} is not a date; write YYYY-MM-DD (e.g. 1882-05-06)"
    elif kind == "boolean":
        if value not in {"true", "false"}:
            return None, f"{value!r} is not true or false"
        parsed = value == "true"
    elif kind in {"list", "url-list"}:
        parsed = [v.strip() for v in value.split("|")]
        if any(not v for v in parsed):
            return None, f"{value!r} has an empty item; separate items with ' | '"
    else:
        parsed = value
    if kind in {"integer", "number"}:
        if column.minimum is not None and parsed < column.minimum:
            return None, f"{value} is below the minimum {column.minimum}"
        if column.maximum is not None and parsed > column.maximum:
            return None, f"{value} is above the maximum {column.maximum}"
    items = parsed if kind in {"list", "url-list"} else [parsed] if kind == "string" else []
    for item in items:
        if column.allowed and item not in column.allowed:
            return None, f"{item!r} is not an allowed value; allowed: {', '.join(column.allowed)}"
        if column.pattern and not re.search(column.pattern, item):
            return None, f"{item!r} does not match the pattern {column.pattern}"
        if kind == "url-list":
            if not _URL.match(item):
                return None, f"{item!r} is not an http(s) URL"
            if is_read_at(column.name):
                if item not in meta.read_at_urls:
                    return (
                        None,
                        f"{item!r} is not listed under read_at in {meta.path.name}; add it with publisher, "
                        "title, accessed date and copy_of (the work it copies)",
                    )
            elif item not in meta.source_urls:
                return (
                    None,
                    f"{item!r} is not listed under sources in {meta.path.name}; add it with publisher, title and accessed date",
                )
    if kind == "string" and column.max_words and len(value.split()) > column.max_words:
        return None, f"has {len(value.split())} words; at most {column.max_words}"
    if kind == "string" and column.max_chars and len(value) > column.max_chars:
        return None, f"has {len(value)} characters; at most {column.max_chars} (shorten it)"
    return parsed, None


def _precision_problems(row: dict[str, Any], precision_of: dict[str, str]) -> list[tuple[str, str]]:
    problems = []
    for date_col, prec_col in precision_of.items():
        date, precision = row.get(date_col), row.get(prec_col)
        if date is None or precision is None:
            continue
        if precision == "year" and (date.month, date.day) != (1, 1):
            problems.append((date_col, f"{date} has precision 'year', so it must be written {date.year}-01-01"))
        if precision == "month" and date.day != 1:
            problems.append((date_col, f"{date} has precision 'month', so it must be written {date:%Y-%m}-01"))
    return problems


def validate(name: str, data_dir: str | Path | None = None) -> tuple[Meta, list[dict[str, Any]], list[str]]:
    """Read data/<name>/ and return (meta, parsed rows, problems). Never raises for bad rows."""
    folder = _data_dir(data_dir) / name
    meta = read_meta(folder / f"{name}.meta.yaml")
    path = folder / f"{name}.csv"
    problems: list[str] = []
    rows: list[dict[str, Any]] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except FileNotFoundError as err:
        raise DatasetError(f"{path}: missing; every dataset needs its CSV next to its meta.yaml") from err
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as err:
            raise DatasetError(f"{path}: line 1: cannot read the header ({err}); save the file as UTF-8 CSV") from err
        expected = [c.name for c in meta.columns]
        if header != expected:
            missing = [c for c in expected if c not in (header or [])]
            extra = [c for c in (header or []) if c not in expected]
            detail = (f"missing {missing}" if missing else "") + (f" unexpected {extra}" if extra else "")
            raise DatasetError(
                f"{path}: line 1: the header does not match the schema in {meta.path.name} "
                f"({detail.strip() or 'columns are in a different order'}); expected: {','.join(expected)}"
            )
        columns = {c.name: c for c in meta.columns}
        precision_of = {c: f"{c}_precision" for c in columns if f"{c}_precision" in columns}
        if "date" in columns and "date_precision" in columns:
            precision_of["date"] = "date_precision"
        seen: dict[str, dict[Any, int]] = {c.name: {} for c in meta.columns if c.unique}
        line = 1
        while True:
            start = line + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as err:
                problems.append(f"{path}: line {start}: cannot read this row ({err}); check its quotes")
                break
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(expected):
                problems.append(
                    f"{path}: line {start}: has {len(cells)} cells but the header has {len(expected)}; "
                    "a cell containing a comma must be in double quotes"
                )
                continue
            row: dict[str, Any] = {}
            for column, value in zip(meta.columns, cells, strict=True):
                if value != value.strip():
                    problems.append(f"{path}: line {start}: column {column.name!r}: remove the spaces around {value!r}")
                parsed, problem = _parse(value, column, meta)
                if problem:
                    problems.append(f"{path}: line {start}: column {column.name!r}: {problem}")
                row[column.name] = parsed
                if column.unique and parsed is not None:
                    key = parsed if not isinstance(parsed, list) else tuple(parsed)
                    if key in seen[column.name]:
                        problems.append(
                            f"{path}: line {start}: column {column.name!r}: {value!r} repeats line "
                            f"{seen[column.name][key]}; values in this column must be unique"
                        )
                    else:
                        seen[column.name][key] = start
            for column_name, problem in _precision_problems(row, precision_of):
                problems.append(f"{path}: line {start}: column {column_name!r}: {problem}")
            row["_line"] = start
            rows.append(row)
    if not rows:
        problems.append(f"{path}: has no data rows")
    return meta, rows, problems


def load_dataset(name: str, data_dir: str | Path | None = None):
    """A dataset as a pandas DataFrame with proper dtypes; DatasetError on the first bad row."""
    import pandas as pd

    if name not in DATASETS and not (_data_dir(data_dir) / name).is_dir():
        raise DatasetError(f"no dataset {name!r}; the datasets are: {', '.join(DATASETS)}")
    meta, rows, problems = validate(name, data_dir)
    if problems:
        more = f" (and {len(problems) - 1} more: run 'solidarity-edu data check')" if len(problems) > 1 else ""
        raise DatasetError(problems[0] + more)
    frame = pd.DataFrame(
        [{k: v for k, v in r.items() if k != "_line"} for r in rows], columns=[c.name for c in meta.columns]
    )
    for column in meta.columns:
        series = frame[column.name]
        if column.type == "date":
            frame[column.name] = pd.to_datetime(series)
        elif column.type == "integer":
            frame[column.name] = series.astype("Int64")
        elif column.type == "number":
            frame[column.name] = series.astype("Float64")
        elif column.type == "boolean":
            frame[column.name] = series.astype("boolean")
        elif column.type == "string":
            frame[column.name] = series.astype("string")
    # No metadata in frame.attrs: pandas deep-copies attrs on every operation, and the dataset's
    # metadata (its sources) made each column access cost milliseconds, a chart a third of a second.
    # The metadata (columns, sources) is read with read_meta(<data>/<name>/<name>.meta.yaml).
    return frame


def load_timeline(data_dir: str | Path | None = None):
    """Dated events of the four histories and the threads between them."""
    return load_dataset("timeline", data_dir)


def load_camps(data_dir: str | Path | None = None):
    """The ten War Relocation Authority camps."""
    return load_dataset("camps", data_dir)


def load_removals(data_dir: str | Path | None = None):
    """Removals of Cambodian, Lao and Vietnamese nationals, final orders, repatriation agreements."""
    return load_dataset("removals", data_dir)


def load_incidents(data_dir: str | Path | None = None):
    """Reported anti-Asian, anti-Muslim and anti-Sikh hate incidents and crimes, by collector."""
    return load_dataset("incidents", data_dir)


def load_glossary(data_dir: str | Path | None = None):
    """The course's key terms."""
    return load_dataset("glossary", data_dir)


HOSTS_FOLDER = "source-hosts"
COUNTS_START = "<!-- citation-counts: generated by `solidarity-edu data tables --write`; do not edit by hand -->"
COUNTS_END = "<!-- /citation-counts -->"


def _yaml_url_lines(path: Path) -> dict[tuple[str, str], int]:
    """(top-level section, url) -> line number, for every ``url:`` line of a meta.yaml."""
    found: dict[tuple[str, str], int] = {}
    section = ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        top = re.match(r"^([A-Za-z_]+):", line)
        if top:
            section = top.group(1)
        entry = re.match(r"^\s*-?\s*url:\s*(.+?)\s*$", line)
        if entry:
            url = entry.group(1).split(" #")[0].strip().strip("'\"")
            found.setdefault((section, url), number)
    return found


def citation_problems(meta: Meta, rows: list[dict[str, Any]], csv_path: Path, hosts: dict) -> list[str]:
    """What the source-quality list (data/source-hosts/*.yaml) finds wrong in one dataset.

    Every host cited (rows' sources and read_at cells, meta.yaml sources: and read_at:) must be listed; a
    weak host may not be cited in a row's sources cell or under sources: (only in read_at); a row must
    cite at least one source that is not weak; and every read_at: entry must be a copy some row records. Each problem names the file, line, row id, column
    and URL and says how to fix it."""
    from .sources import WEAK, host_of, rate

    problems: list[str] = []
    hosts_file = f"data/{HOSTS_FOLDER}/datasets.yaml"

    def unlisted(url: str) -> str:
        host = host_of(url)
        return (
            f"{url} is on {host!r}, which is not in the source-quality list; add {host} to {hosts_file} "
            "with its class and a one-line reason"
        )

    url_columns = [c.name for c in meta.columns if c.type == "url-list"]
    cited = set(cited_columns(meta))
    for row in rows:
        where = f"{csv_path}: line {row['_line']}: row {row.get('id')!r}"
        for column in url_columns:
            urls = row.get(column) or []
            weak = []
            for url in urls:
                rating = rate(url, hosts)
                if rating is None:
                    problems.append(f"{where}: column {column!r}: {unlisted(url)}")
                elif rating.cls == WEAK and column in cited:
                    weak.append(url)
            if column not in cited:
                continue
            if urls and len(weak) == len(urls):
                problems.append(
                    f"{where}: column {column!r}: every source is weak ({', '.join(weak)}); move them to the "
                    f"read_at column and cite at least one acceptable source for the row's facts (the work "
                    "itself, or a government, court, scholarly, press, organization or reference page), or "
                    "drop the facts no acceptable source supports"
                )
            else:
                for url in weak:
                    rating = rate(url, hosts)
                    problems.append(
                        f"{where}: column {column!r}: {url} is on {rating.host!r}, a weak host ({rating.reason}); "
                        f"move it to the row's read_at column (and under read_at: in {meta.path.name}, with "
                        "copy_of) and cite the work itself"
                    )
            if not urls and not next(c for c in meta.columns if c.name == column).required:
                problems.append(f"{where}: column {column!r}: cites no source; cite at least one acceptable source")
    lines = _yaml_url_lines(meta.path)
    copies_read = {url for row in rows for c in url_columns if c not in cited for url in row.get(c) or []}
    for entry in meta.read_at:
        if entry["url"] not in copies_read:
            problems.append(
                f"{meta.path}: line {lines.get(('read_at', entry['url']), '?')}: read_at: {entry['url']} is not in "
                "any row's read_at cell; remove the entry, or record the copy in the row where the fact was read"
            )
    for section, entries in (("sources", meta.sources), ("read_at", meta.read_at)):
        for entry in entries:
            url = str(entry["url"])
            where = f"{meta.path}: line {lines.get((section, url), '?')}: {section}:"
            rating = rate(url, hosts)
            if rating is None:
                problems.append(f"{where} {unlisted(url)}")
            elif rating.cls == WEAK and section == "sources":
                problems.append(
                    f"{where} {url} is on {rating.host!r}, a weak host ({rating.reason}); a work cited must "
                    "be the original: move this entry under read_at: with copy_of naming the work, and list "
                    "the work itself under sources:"
                )
    return problems


def _hosts(data_dir: str | Path | None):
    from .sources import read_host_list

    return read_host_list(_data_dir(data_dir) / HOSTS_FOLDER)


def check_citations(name: str, data_dir: str | Path | None = None, hosts: dict | None = None) -> list[str]:
    """The source-quality problems of one dataset (see citation_problems)."""
    meta, rows, _ = validate(name, data_dir)
    hosts = _hosts(data_dir) if hosts is None else hosts
    return citation_problems(meta, rows, _data_dir(data_dir) / name / f"{name}.csv", hosts)


def citation_counts(name: str, data_dir: str | Path | None = None, hosts: dict | None = None) -> dict[str, int]:
    """How many of a dataset's citations (URLs in its rows' sources cells, once per row citing them) fall
    in each class of the source-quality list; read_at copies are not counted."""
    from .sources import count_by_class

    meta, rows, _ = validate(name, data_dir)
    hosts = _hosts(data_dir) if hosts is None else hosts
    columns = cited_columns(meta)
    return count_by_class((url for row in rows for column in columns for url in row.get(column) or []), hosts)


def citation_counts_table(data_dir: str | Path | None = None, extra: dict[str, list[str]] | None = None) -> str:
    """The Markdown table of data/README.md: citations by class, one row per dataset, then one row per
    entry of ``extra`` (a name and its list of cited URLs, e.g. a lesson's Sources)."""
    from .sources import citation_table, count_by_class

    hosts = _hosts(data_dir)
    counts = {f"[{name}]({name}/README.md)": citation_counts(name, data_dir, hosts) for name in DATASETS}
    for label, urls in (extra or {}).items():
        counts[label] = count_by_class(urls, hosts)
    return citation_table(counts)


SOURCES_START = (
    "<!-- sources: generated from the meta.yaml by `solidarity-edu data tables --write`; do not edit by hand -->"
)
SOURCES_END = "<!-- /sources -->"


def _cell(value: Any) -> str:
    """A Markdown table cell: text on one line, pipes escaped."""
    text = value.isoformat() if isinstance(value, dt.date) else str(value if value is not None else "")
    return " ".join(text.split()).replace("|", "\\|")


def sources_tables(meta: Meta) -> str:
    """The Sources block of a dataset README, made from its meta.yaml: the works cited (sources:) and the
    copies read (read_at:), each with the work it copies."""
    lines = [
        "| publisher | title | date | url | accessed |",
        "|---|---|---|---|---|",
        *(
            f"| {_cell(s['publisher'])} | {_cell(s['title'])} | {_cell(s.get('date', ''))} | <{s['url']}> | "
            f"{_cell(s['accessed'])} |"
            for s in meta.sources
        ),
    ]
    if meta.read_at:
        lines += [
            "",
            "### Copies read (read_at)",
            "",
            "Where a fact was read in a copy (a mirror, a repost, a document dump), the copy is recorded here as "
            "evidence of checking. These pages are not citations: each names the work it copies, and the row cites "
            "the work or another acceptable source.",
            "",
            "| publisher | title | copy of | url | accessed |",
            "|---|---|---|---|---|",
            *(
                f"| {_cell(s['publisher'])} | {_cell(s['title'])} | {_cell(s['copy_of'])} | <{s['url']}> | "
                f"{_cell(s['accessed'])} |"
                for s in meta.read_at
            ),
        ]
    return "\n".join(lines) + "\n"


NOTES_START = (
    "<!-- notes: generated from the CSV's notes column by `solidarity-edu data tables --write`; do not edit by hand -->"
)
NOTES_END = "<!-- /notes -->"


def notes_table(rows: list[dict[str, Any]]) -> str:
    """The "Where sources disagree" part of a README: every row that has notes, in CSV order, with the notes as
    written in the CSV. A glossary (rows with a term) gets a list of terms; other datasets a table by id and date."""
    noted = [row for row in rows if row.get("notes")]
    if noted and "term" in noted[0]:
        return "\n".join(f"- **{row['term']}**: {' '.join(str(row['notes']).split())}" for row in noted) + "\n"
    lines = ["| event | what the sources say, and the choice made |", "|---|---|"]
    for row in noted:
        date = row.get("date")
        label = f"{row['id']} ({date.isoformat()})" if isinstance(date, dt.date) else str(row["id"])
        lines.append(f"| {label} | {_cell(row['notes'])} |")
    return "\n".join(lines) + "\n"


def replace_block(text: str, start: str, end: str, body: str, where: str) -> str:
    """``text`` with the part between the ``start`` and ``end`` marker lines replaced by ``body``.
    DatasetError naming ``where`` when a marker is missing."""
    if start not in text or end not in text:
        raise DatasetError(f"{where}: add the lines {start} and {end} where the generated table goes")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    return f"{before}{start}\n{body}{end}{after}"


def block(text: str, start: str, end: str) -> str:
    """The text between two marker lines ('' when either is missing)."""
    if start not in text or end not in text:
        return ""
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n") + "\n"


def generated_tables(data_dir: str | Path | None = None) -> list[tuple[Path, str, str, str]]:
    """Every table the READMEs carry that is made from the data: (file, start marker, end marker, table).
    data/README.md's citation counts; each dataset README's Sources; a "Where sources disagree" table made
    from the notes column where the README has the notes markers."""
    folder = _data_dir(data_dir)
    targets = [(folder / "README.md", COUNTS_START, COUNTS_END, citation_counts_table(folder))]
    for name in DATASETS:
        meta, rows, _ = validate(name, folder)
        readme = folder / name / "README.md"
        targets.append((readme, SOURCES_START, SOURCES_END, sources_tables(meta)))
        if NOTES_START in readme.read_text(encoding="utf-8"):
            targets.append((readme, NOTES_START, NOTES_END, notes_table(rows)))
    return targets


def stale_tables(data_dir: str | Path | None = None) -> list[tuple[Path, str]]:
    """(file, marker) for every generated table that no longer matches the data."""
    return [
        (path, start)
        for path, start, end, body in generated_tables(data_dir)
        if block(path.read_text(encoding="utf-8"), start, end) != body
    ]


def write_tables(data_dir: str | Path | None = None) -> list[Path]:
    """Regenerate every table of generated_tables; the files that changed."""
    changed: list[Path] = []
    for path, start, end, body in generated_tables(data_dir):
        text = path.read_text(encoding="utf-8")
        updated = replace_block(text, start, end, body, str(path))
        if updated != text:
            path.write_text(updated, encoding="utf-8")
            if path not in changed:
                changed.append(path)
    return changed


def check_all(data_dir: str | Path | None = None) -> list[str]:
    """Every problem in every dataset (schema, values, sources, unique ids) and every citation the
    source-quality list in data/source-hosts/ refuses (unlisted host, weak host cited, all-weak row)."""
    problems: list[str] = []
    try:
        hosts = _hosts(data_dir)
    except DatasetError as err:
        hosts = None
        problems.append(str(err))
    for name in DATASETS:
        try:
            meta, rows, found = validate(name, data_dir)
        except DatasetError as err:
            problems.append(str(err))
            continue
        problems += found
        if hosts is not None:
            problems += citation_problems(meta, rows, _data_dir(data_dir) / name / f"{name}.csv", hosts)
    return problems
