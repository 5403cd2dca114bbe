"""The package's own words (buttons, "saved at" lines, messages) in the learner's language.

Code marks each sentence a learner reads with ``tr()`` (translated when shown) or ``N_()`` (a constant
kept in English, translated with ``tr()`` where it is shown). The name is ``tr``, not gettext's usual
``_``, because this package uses ``_`` for arguments it ignores (``def on_click(*_)``), which would
hide it. ``solidarity-edu translate extract`` collects the marked sentences with Babel into
``locale/templates/interface.pot``; translators fill ``locale/<lang>/LC_MESSAGES/interface.po`` like
the lessons' catalogs.

The language is, in order: the one set with :func:`use_language`; the ``language`` parameter of the
lesson running in this kernel (the cell papermill and the build set, beside ``audience``); the
SOLIDARITY_EDU_LANGUAGE environment variable; English. A sentence with no checked translation is shown
in English. Placeholders are named (``tr("Saved privately at {time}").format(time=...)``) so that a
translation may put them where its grammar wants.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

DOMAIN = "interface"
_chosen: str | None = None


def use_language(tag: str | None) -> None:
    """Show the interface in ``tag`` (``"vi"``, ``"zh-Hant"``) from now on; None goes back to the
    lesson's ``language`` parameter or the environment."""
    global _chosen
    _chosen = tag


@contextlib.contextmanager
def speaking(tag: str | None) -> Iterator[None]:
    """Within the block, the interface speaks ``tag`` (the build wraps each language's pages in it)."""
    global _chosen
    before = _chosen
    _chosen = tag
    try:
        yield
    finally:
        _chosen = before


def current_language() -> str:
    """The language tag the interface speaks now (see the module docstring)."""
    if _chosen:
        return _chosen
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # not in a kernel
        shell = None
    if shell is not None:
        value = shell.user_ns.get("language")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return os.environ.get("SOLIDARITY_EDU_LANGUAGE", "").strip() or "en"


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it here (a constant); call ``tr()`` on it
    where it is shown."""
    return message


def tr(message: str, language: str | None = None) -> str:
    """``message`` in ``language`` (default: the current language), or as written when it has no
    checked translation."""
    language = language or current_language()
    if language in ("en", "en-US", "en_US"):
        return message
    return _table(language).get(message, message)


def _catalog_path(language: str) -> Path | None:
    from .paths import project_root

    folder = language.replace("-", "_")
    try:
        root = project_root()
    except Exception:  # no course folder here: English
        return None
    path = root / "locale" / folder / "LC_MESSAGES" / f"{DOMAIN}.po"
    return path if path.is_file() else None


def _table(language: str) -> dict[str, str]:
    path = _catalog_path(language)
    if path is None:
        return {}
    return _read(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _read(path: Path, _mtime: int) -> dict[str, str]:
    import polib

    try:
        po = polib.pofile(str(path))
    except (OSError, ValueError) as err:  # a broken catalog must never stop a lesson: English instead
        log.warning("%s: cannot read the interface catalog (%s); showing English", path, err)
        return {}
    return {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags and not e.msgctxt}
