"""Printed views of the data: an event's card, a list of events, a glossary definition.

Each returns an object that shows as HTML in JupyterLab and in every export; all text is escaped.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable
from urllib.parse import urlparse

import pandas as pd

from .errors import DatasetError
from .events import format_date, select_events, timeline_events
from .i18n import tr


class HTML:
    """A piece of HTML for the notebook and the exports (with a plain-text form for screen readers)."""

    def __init__(self, markup: str, text: str) -> None:
        self.markup, self.text = markup, text

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text


@functools.lru_cache(maxsize=1)
def _timeline_publishers() -> dict[str, str]:
    """URL -> the publisher named for it in data/timeline/timeline.meta.yaml (its sources: list)."""
    from .data import read_meta
    from .paths import data_dir

    meta = read_meta(data_dir() / "timeline" / "timeline.meta.yaml")
    return {s["url"]: str(s["publisher"]) for s in meta.sources}


def _sources(urls: list[str]) -> str:
    """The works an event rests on, by publisher (the name a reader knows), each a link to the work."""
    publishers = _timeline_publishers()
    names: dict[str, str] = {}
    for url in urls:
        name = publishers.get(url) or urlparse(url).netloc.removeprefix("www.")
        names.setdefault(name, url)  # two pages of one publisher: one name, linked to the first
    links = "; ".join(
        f'<a href="{html.escape(url, quote=True)}">{html.escape(name)}</a>' for name, url in names.items()
    )
    return f'<p class="se-card-sources">Sources: {links}</p>'


def _row(frame: pd.DataFrame, column: str, key: str, what: str, csv: str):
    """The one row of ``frame`` whose ``column`` is ``key``, or a DatasetError naming the file to look in."""
    match = frame[frame[column] == key]
    if match.empty:
        raise DatasetError(f"no {what} with id {key!r}; see {csv} for the ids")
    return match.iloc[0]


def event_card(event_id: str) -> HTML:
    """One event: its title, date, summary and the pages it was checked against."""
    row = _row(timeline_events(), "id", event_id, "timeline event", "data/timeline/timeline.csv")
    when = format_date(row["date"], row["date_precision"])
    markup = (
        f'<div class="se-card se-event-card" data-event-id="{html.escape(event_id, quote=True)}">'
        f'<p class="se-card-kicker">{html.escape(when)} &middot; {html.escape(str(row["place"]))}</p>'
        f'<p class="se-card-title">{html.escape(str(row["title"]))}</p>'
        f"<p>{html.escape(str(row['summary']))}</p>{_sources(list(row['sources']))}</div>"
    )
    return HTML(markup, f"{when}: {row['title']}. {row['summary']}")


def event_list(
    era: str | Iterable[str] | None = None,
    ids: Iterable[str] | None = None,
    start: int | None = None,
    end: int | None = None,
) -> HTML:
    """The events of a timeline as a table (date, event, communities), for print."""
    events = select_events(era, ids, start, end)
    rows = []
    for _, row in events.iterrows():
        mark = " ★" if row["is_resistance"] else ""
        rows.append(
            f"<tr><td>{html.escape(format_date(row['date'], row['date_precision']))}</td>"
            f"<td>{html.escape(str(row['title']))}{mark}</td>"
            f"<td>{html.escape(', '.join(row['communities']))}</td></tr>"
        )
    markup = (
        '<table class="se-event-table"><caption>Events on the timeline '
        "(★ marks resistance, organizing, redress or solidarity)</caption>"
        '<thead><tr><th scope="col">Date</th><th scope="col">Event</th><th scope="col">Communities</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return HTML(markup, f"{len(events)} events")


@functools.lru_cache(maxsize=1)
def _glossary():
    from .data import load_glossary

    return load_glossary()


def define(term_id: str) -> HTML:
    """A key term of the course, defined in plain language (from data/glossary)."""
    from .translate.datasets import dataset_in

    row = _row(dataset_in("glossary", _glossary()), "id", term_id, "glossary term", "data/glossary/glossary.csv")
    why = row.get("why_it_matters")
    why = "" if why is None or why is pd.NA else str(why).strip()
    label = html.escape(tr("Why it matters:"))
    why_html = f'<p class="se-card-why"><strong>{label}</strong> {html.escape(why)}</p>' if why else ""
    markup = (
        f'<div class="se-card se-definition" data-term-id="{html.escape(term_id, quote=True)}">'
        f'<p class="se-card-kicker">{html.escape(tr("Key term"))}</p>'
        f'<p class="se-card-title">{html.escape(str(row["term"]))}</p>'
        f"<p>{html.escape(str(row['definition']))}</p>{why_html}</div>"
    )
    return HTML(markup, f"{row['term']}: {row['definition']}")
