"""Choosing timeline events for a lesson, and writing their dates as people read them."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pandas as pd

from .errors import DatasetError
from .i18n import N_

ERAS = ("exclusion", "incarceration", "after-9-11", "deportation", "connections")
# English constants; charts show them translated (tr(ERA_LABELS[era]), tr(RESISTANCE_LANE)).
ERA_LABELS = {
    "exclusion": N_("Chinese exclusion and the exclusion era"),
    "incarceration": N_("The WWII incarceration of Japanese Americans"),
    "after-9-11": N_("After September 11, 2001"),
    "deportation": N_("Southeast Asian refugees and deportation"),
    "connections": N_("Threads that connect the histories"),
}
RESISTANCE_LANE = N_("Resisting and organizing")
ACTION_LANE = N_("Laws, orders and violence")


@functools.lru_cache(maxsize=1)
def _timeline() -> pd.DataFrame:
    from .data import load_timeline

    return load_timeline()


def timeline_events() -> pd.DataFrame:
    """The whole timeline dataset (cached for the kernel's life), its titles, summaries and chart labels
    in the learner's language (see :mod:`solidarity_edu.translate.datasets`)."""
    from .translate.datasets import dataset_in

    return dataset_in("timeline", _timeline()).copy()


def select_events(
    era: str | Iterable[str] | None = None,
    ids: Iterable[str] | None = None,
    start: int | None = None,
    end: int | None = None,
) -> pd.DataFrame:
    """Events by era, by id, and/or between two years (inclusive), in date order."""
    events = timeline_events()
    if era is not None:
        eras = [era] if isinstance(era, str) else list(era)
        unknown = [e for e in eras if e not in ERAS]
        if unknown:
            raise DatasetError(f"unknown era {unknown[0]!r}; the eras are: {', '.join(ERAS)}")
        events = events[events["era"].isin(eras)]
    if ids is not None:
        ids = list(ids)
        missing = [i for i in ids if i not in set(events["id"])]
        if missing:
            raise DatasetError(
                f"no timeline event with id {missing[0]!r}"
                + (" in that era" if era is not None else "")
                + "; see data/timeline/timeline.csv for the ids"
            )
        events = events[events["id"].isin(ids)]
    if start is not None:
        events = events[events["date"].dt.year >= start]
    if end is not None:
        events = events[events["date"].dt.year <= end]
    if events.empty:
        raise DatasetError("no timeline events match that choice of era, ids and years")
    return events.sort_values(["date", "id"]).reset_index(drop=True)


def format_date(date: pd.Timestamp, precision: str) -> str:
    """'May 6, 1882', 'March 1942' or '1910', as precise as the source allows."""
    if precision == "year":
        return f"{date.year}"
    if precision == "month":
        return f"{date:%B} {date.year}"
    return f"{date:%B} {date.day}, {date.year}"
