"""Put a catalog's translations back into a lesson: each Markdown cell, paragraph by paragraph.

A paragraph with no translation (or only a fuzzy one, not yet checked) stays in English, and a cell
none of whose paragraphs is translated is left byte for byte as it was. Code cells, cell ids and
metadata are never touched, so journal keys and prompt ids are the same in every language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import polib

if TYPE_CHECKING:  # nbformat (with jsonschema) costs a kernel 0.1 s; only the build needs it
    import nbformat

Lookup = Callable[[str, str], "str | None"]


def catalog_lookup(po: polib.POFile) -> Lookup:
    """``lookup(context, english)`` -> the checked translation, or None (missing or fuzzy)."""
    table: dict[tuple[str | None, str], str] = {
        (e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags
    }
    return lambda context, english: table.get((context, english))


def translate_markdown(text: str, context: str, lookup: Lookup) -> str:
    """One Markdown text with every translated paragraph replaced; ``text`` itself when none is."""
    from translate.storage.markdown import MarkdownFile

    hits = 0

    def replace(english: str) -> str:
        nonlocal hits
        found = lookup(context, english)
        if found is None:
            return english
        hits += 1
        return found

    store = MarkdownFile(callback=replace)
    store.parse(text.encode("utf-8"))
    if not hits:
        return text
    return store.filesrc.rstrip("\n")


def translated_notebook(nb: Mapping, lookup: Lookup) -> nbformat.NotebookNode:
    """A copy of a lesson notebook with its Markdown cells translated (context = the cell's id)."""
    import nbformat

    out = nbformat.from_dict(nb)  # new dicts and lists all the way down: the caller's notebook stays as it was
    for cell in out.cells:
        if cell.cell_type == "markdown" and cell.get("id"):
            cell.source = translate_markdown(cell.source, cell.id, lookup)
    return out
