"""The first cell of a student notebook: import the helpers, or say in one sentence how to get them.

A lesson imports its helpers with ``from solidarity_edu import *``. A student who opens the notebook in a
Python without the package would see a ModuleNotFoundError traceback; the student copy the build makes
replaces that line with a guarded import that, when the package is missing, stops the notebook with one
sentence saying how to install it (IPython prints what ``_render_traceback_`` returns instead of a
traceback).
"""

from __future__ import annotations

IMPORT_LINE = "from solidarity_edu import *"
MISSING_MESSAGE = (
    "This lesson needs the solidarity-edu package, which is not installed here: open the lesson on your "
    "class JupyterHub, or run 'pip install .' in the course folder and restart the kernel."
)
GUARDED_IMPORT = f"""try:
    from solidarity_edu import *
except ModuleNotFoundError as _missing:
    if _missing.name != "solidarity_edu":
        raise

    class SolidarityEduMissing(Exception):
        def _render_traceback_(self):
            return [{MISSING_MESSAGE!r}]

    raise SolidarityEduMissing({MISSING_MESSAGE!r}) from None"""


def guard_import(source: str) -> str:
    """``source`` with the helpers' import guarded, when the cell is just that import; else unchanged."""
    return GUARDED_IMPORT if source.strip() == IMPORT_LINE else source
