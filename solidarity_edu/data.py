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
_SOURCE_KEYS = {"url", "publisher", "title", "accessed"}
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
    "description",
}
_URL = re.compile(r"^https?://[^\s|]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


@dataclass(frozen=True)
class Meta:
    path: Path
    title: str
    description: str
    licence: str
    sources: tuple[dict, ...]
    columns: tuple[Column, ...]

    @property
    def source_urls(self) -> set[str]:
        return {s["url"] for s in self.sources}


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
    for key in sorted(set(raw) - _META_KEYS):
        raise DatasetError(f"{path}: unknown key {key!r}; allowed: {', '.join(sorted(_META_KEYS))}")
    for key in sorted(_META_KEYS - set(raw)):
        raise DatasetError(f"{path}: missing key {key!r} (see data/SCHEMA.md)")
    sources = raw["sources"] or []
    for number, source in enumerate(sources, start=1):
        where = f"{path}: sources[{number}]"
        if not isinstance(source, dict):
            raise DatasetError(f"{where}: expected url, publisher, title, accessed")
        for key in sorted(set(source) - _SOURCE_KEYS):
            raise DatasetError(f"{where}: unknown key {key!r}; allowed: {', '.join(sorted(_SOURCE_KEYS))}")
        for key in sorted(_SOURCE_KEYS):
            if not str(source.get(key) or "").strip():
                raise DatasetError(
                    f"{where}: {key!r} is empty; every source needs url, publisher, title and accessed date"
                )
        if not _URL.match(str(source["url"])):
            raise DatasetError(f"{where}: url {source['url']!r} is not an http(s) URL")
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
    )


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
            if item not in meta.source_urls:
                return (
                    None,
                    f"{item!r} is not listed under sources in {meta.path.name}; add it with publisher, title and accessed date",
                )
    if kind == "string" and column.max_words and len(value.split()) > column.max_words:
        return None, f"has {len(value.split())} words; at most {column.max_words}"
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
    frame.attrs["meta"] = meta
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


def check_all(data_dir: str | Path | None = None) -> list[str]:
    """Every problem in every dataset (schema, values, sources, unique ids)."""
    problems: list[str] = []
    for name in DATASETS:
        try:
            _, _, found = validate(name, data_dir)
        except DatasetError as err:
            found = [str(err)]
        problems += found
    return problems
