"""The datasets' reader-facing text in the learner's language: event titles, summaries and chart labels,
glossary terms and definitions, camp names (the columns of :data:`.units.DATASET_TEXT`).

Charts, cards and maps call :func:`dataset_in` on the frame they loaded; ids, dates, numbers and sources
are never touched, so a chart filters and sorts the same in every language. A cell with no checked
translation in ``locale/<lang>/LC_MESSAGES/data.po`` (context ``<dataset>/<row id>/<column>``) stays
English; the kernel's log says once per dataset how many were left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .units import DATASET_TEXT

if TYPE_CHECKING:
    import pandas as pd


def dataset_in(name: str, frame: pd.DataFrame, language: str | None = None) -> pd.DataFrame:
    """A copy of dataset ``name``'s ``frame`` with its text columns in ``language`` (None: the
    kernel's current language); the frame itself when the language is English or nothing is translated."""
    import pandas as pd

    from ..i18n import current_language
    from .runtime import data_lookup, is_english, warn_once

    language = language or current_language()
    columns = [c for c in DATASET_TEXT.get(name, ()) if c in frame.columns]
    if is_english(language) or not columns or "id" not in frame.columns:
        return frame
    lookup = data_lookup(language)
    if lookup is None:
        return frame
    out = frame.copy()
    left = 0
    for column in columns:
        values = []
        for row_id, english in zip(frame["id"], frame[column], strict=True):
            if not isinstance(english, str) or not english.strip():
                values.append(english)
                continue
            found = lookup(f"{name}/{row_id}/{column}", english.strip())
            left += found is None
            values.append(found if found is not None else english)
        out[column] = pd.Series(values, index=frame.index, dtype=frame[column].dtype)
    if left:
        warn_once(
            ("dataset", language, name),
            "%d text cells of the %s dataset have no checked %s translation; they are shown in English",
            left,
            name,
            language,
        )
    out.attrs = dict(frame.attrs)
    return out


def data_text(dataset: str, row_id: str, column: str, english: str, language: str | None = None) -> str:
    """One text cell of a dataset (a glossary term, a definition) in ``language`` (None: the current
    language), or ``english`` when it has no checked translation."""
    from ..i18n import current_language
    from .runtime import data_lookup, is_english

    language = language or current_language()
    if is_english(language) or not english or not english.strip():
        return english
    lookup = data_lookup(language)
    found = lookup(f"{dataset}/{row_id}/{column}", english.strip()) if lookup else None
    return found or english
