"""How much a cited web host can be trusted: the source-quality list in ``data/source-hosts/``.

Every host the course cites (in a dataset or a lesson) is listed in one of the YAML files in
``data/source-hosts/`` with a class and one line of reason::

    hosts:
      nps.gov: {class: government, reason: US National Park Service}
      docslib.org: {class: weak, reason: document dump; uploads copied from elsewhere, no editor}

A URL's host is looked up without ``www.``, and a listed host covers its subdomains, the longest
listed name winning (``home.nps.gov`` is ``nps.gov``; ``staging.pbs.org`` may be listed as weak
while ``pbs.org`` is press). A host listed in two files must have the same class in both.

Weak hosts (mirrors of Wikipedia or of documents, staging servers, scraped aggregators, content
farms, document dumps) may be recorded as the copy a fact was read in (``read_at``), never as the
citation a reader sees. ``solidarity-edu data check`` and ``solidarity-edu lint`` enforce that.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .errors import DatasetError
from .yamlfile import read_yaml

CLASSES: dict[str, str] = {
    "government": "a government body, its archive or its official publication (statutes, Federal Register, agencies)",
    "court": "a court, or a law library that publishes court opinions as the court issued them",
    "scholarly": "a university, a scholarly publisher or journal, a museum, a scholarly encyclopedia",
    "press": "a news outlet with editors",
    "organization": "a community, advocacy or legal organization speaking for itself",
    "reference": "a general reference work (an encyclopedia anyone can read, with editorial control)",
    "weak": "a mirror, document dump, content farm, staging server or scraped aggregator: read_at only",
}
WEAK = "weak"
_ENTRY_KEYS = {"class", "reason"}


@dataclass(frozen=True)
class HostRating:
    host: str
    cls: str
    reason: str
    file: Path


def host_of(url: str) -> str:
    """The host of ``url`` in lower case, without ``www.`` and without a port."""
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return host.removeprefix("www.")


def _default_folder() -> Path:
    from .paths import data_dir

    return data_dir() / "source-hosts"


def read_host_list(folder: Path | None = None) -> dict[str, HostRating]:
    """Every listed host, from every ``*.yaml`` file in ``folder`` (default ``data/source-hosts``).

    Raises DatasetError naming the file and host for an unknown class, a missing reason, an unknown
    key, or a host given two different classes."""
    folder = Path(folder) if folder is not None else _default_folder()
    return dict(_read_host_list(folder.resolve()))


@functools.lru_cache(maxsize=8)
def _read_host_list(folder: Path) -> tuple[tuple[str, HostRating], ...]:
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise DatasetError(f"{folder}: no source-quality list (*.yaml with a 'hosts:' mapping) found")
    ratings: dict[str, HostRating] = {}
    for path in files:
        raw = read_yaml(path, DatasetError, "source-quality list not found")
        if not isinstance(raw, dict) or set(raw) != {"hosts"} or not isinstance(raw["hosts"], dict):
            raise DatasetError(f"{path}: expected one key, 'hosts:', mapping each host to its class and reason")
        for host, entry in raw["hosts"].items():
            where = f"{path}: host {host!r}"
            if not isinstance(entry, dict) or set(entry) - _ENTRY_KEYS:
                raise DatasetError(f"{where}: give exactly 'class' and 'reason' ({{class: press, reason: ...}})")
            cls, reason = entry.get("class"), str(entry.get("reason") or "").strip()
            if cls not in CLASSES:
                raise DatasetError(f"{where}: unknown class {cls!r}; use one of: {', '.join(CLASSES)}")
            if not reason:
                raise DatasetError(f"{where}: say in one line why it is {cls} (reason: ...)")
            name = str(host).lower().removeprefix("www.")
            earlier = ratings.get(name)
            if earlier and earlier.cls != cls:
                raise DatasetError(
                    f"{where}: listed as {cls} here and as {earlier.cls} in {earlier.file}; give it one class"
                )
            ratings[name] = HostRating(name, cls, reason, path)
    return tuple(ratings.items())


def rate(url: str, hosts: dict[str, HostRating]) -> HostRating | None:
    """The rating of ``url``'s host (the longest listed name it ends with), or None when unlisted."""
    host = host_of(url)
    parts = host.split(".")
    for start in range(len(parts) - 1):
        rating = hosts.get(".".join(parts[start:]))
        if rating is not None:
            return rating
    return None


def is_weak(url: str, hosts: dict[str, HostRating]) -> bool:
    """True when ``url``'s host is listed as weak."""
    rating = rate(url, hosts)
    return rating is not None and rating.cls == WEAK


UNLISTED = "unlisted"
COUNT_COLUMNS: tuple[str, ...] = (*CLASSES, UNLISTED)


def count_by_class(urls: Iterable[str], hosts: dict[str, HostRating]) -> dict[str, int]:
    """How many of ``urls`` fall in each class (every class, in CLASSES order, then ``unlisted``).

    Each URL counts once per time it is given, so pass one item per citation (a URL cited by three
    dataset rows counts three times). Works for any list: a dataset's ``sources`` cells, a lesson's
    Sources."""
    counts = dict.fromkeys(COUNT_COLUMNS, 0)
    for url in urls:
        rating = rate(url, hosts)
        counts[rating.cls if rating else UNLISTED] += 1
    return counts


def citation_table(counts: dict[str, dict[str, int]], label: str = "cited in") -> str:
    """A Markdown table, one row per name in ``counts`` (in the order given) and a total row: how many
    citations fall in each class. The ``unlisted`` column is shown only when some count is unlisted."""
    columns = [c for c in COUNT_COLUMNS if c != UNLISTED or any(row.get(UNLISTED) for row in counts.values())]
    lines = [
        "| " + " | ".join([label, *columns, "total", "weak share"]) + " |",
        "|" + "---|" * (len(columns) + 3),
    ]
    totals = dict.fromkeys(columns, 0)
    for name, row in [*counts.items(), ("**total**", None)]:
        values = row if row is not None else totals
        cells = [values.get(c, 0) for c in columns]
        total = sum(cells)
        weak = values.get(WEAK, 0)
        share = f"{100 * weak / total:.0f}%" if total else "-"
        lines.append("| " + " | ".join([name, *(str(v) for v in cells), str(total), share]) + " |")
        if row is not None:
            for column in columns:
                totals[column] += row.get(column, 0)
    return "\n".join(lines) + "\n"
