"""Translating the course: gettext catalogs for the lessons' text, their prompts and the datasets.

A bilingual volunteer never edits a notebook. ``solidarity-edu translate extract`` writes one template
(``locale/templates/<domain>.pot``) per lesson and one for the datasets; ``translate update --language vi``
makes or refreshes ``locale/vi/LC_MESSAGES/<domain>.po`` from them, keeping every translation already
made; the volunteer edits the PO files in Poedit or Weblate; ``translate status`` says how far each
catalog has got.

- :mod:`.units` reads what a reader sees out of a lesson (Markdown paragraphs, prompts, parts) and out
  of the datasets, each with a context that stays stable when text changes (a cell id, a prompt id and
  field, a row id and column).
- :mod:`.catalogs` writes and merges the PO files (polib) and counts their state.
- :mod:`.apply` puts a catalog's translations back into a lesson's Markdown.
"""
