"""The catalogs a running lesson reads: a lesson's prompts and the datasets' text in the learner's language.

Inside a kernel the language is :func:`solidarity_edu.i18n.current_language` (the lesson's ``language``
parameter, ``use_language()`` or SOLIDARITY_EDU_LANGUAGE). The catalogs are found under the course
folder (see :mod:`solidarity_edu.paths`): ``locale/<lang>/LC_MESSAGES/<lesson>.po`` for a lesson's
prompts (the lesson is found by the two digits its prompt ids start with) and ``data.po`` for the
datasets. Each catalog is read once per language and lesson, and read again only when the file changes.

Only checked translations are used: a fuzzy entry, a missing entry or a missing catalog leaves the
English, and the kernel's log says so once (per catalog, and per prompt or dataset).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from .apply import Lookup, catalog_lookup
from .catalogs import DATA_DOMAIN, gettext_language, read_catalog
from .units import TranslationError

log = logging.getLogger(__name__)

ENGLISH = ("en", "en-US", "en_US")
_said: set[tuple[str, ...]] = set()


def is_english(language: str) -> bool:
    """True for the language the course is written in (no catalog needed)."""
    return language in ENGLISH


def warn_once(key: tuple[str, ...], message: str, *args: object) -> None:
    """Log ``message`` the first time ``key`` is seen in this kernel (a lesson redraws its widgets often)."""
    if key in _said:
        return
    _said.add(key)
    log.warning(message, *args)


def _locale_dir(language: str) -> Path | None:
    from ..paths import project_root

    try:
        return project_root() / "locale" / gettext_language(language) / "LC_MESSAGES"
    except Exception as err:  # no course folder, or not a language tag: English, said once
        warn_once(("locale", language), "no catalogs for language %r (%s); showing English", language, err)
        return None


def lesson_catalog_path(language: str, lesson: str) -> Path | None:
    """``locale/<lang>/LC_MESSAGES/<lesson>-<slug>.po`` for lesson key ``lesson`` ("01"), or None."""
    folder = _locale_dir(language)
    found = sorted(folder.glob(f"{lesson}-*.po")) if folder is not None and folder.is_dir() else []
    return found[0] if found else None


def data_catalog_path(language: str) -> Path | None:
    """``locale/<lang>/LC_MESSAGES/data.po``, or None."""
    folder = _locale_dir(language)
    path = folder / f"{DATA_DOMAIN}.po" if folder is not None else None
    return path if path is not None and path.is_file() else None


def lesson_lookup(language: str, lesson: str) -> Lookup | None:
    """The checked translations of lesson ``lesson``'s catalog in ``language``, or None (English)."""
    path = lesson_catalog_path(language, lesson)
    if path is None:
        warn_once(
            ("lesson", language, lesson),
            "no %s catalog for lesson %s; its prompts are shown in English",
            language,
            lesson,
        )
        return None
    return _lookup(path, path.stat().st_mtime_ns)


def lesson_reverse_lookup(language: str, lesson: str) -> Lookup | None:
    """``lookup(context, translation)`` -> the English it translates, from lesson ``lesson``'s catalog
    in ``language`` (checked entries only), or None when there is no catalog."""
    path = lesson_catalog_path(language, lesson)
    return _reverse(path, path.stat().st_mtime_ns) if path is not None else None


def data_lookup(language: str) -> Lookup | None:
    """The checked translations of the datasets' catalog in ``language``, or None (English)."""
    path = data_catalog_path(language)
    if path is None:
        warn_once(
            ("data", language), "no %s catalog for the datasets (data.po); their text is shown in English", language
        )
        return None
    return _lookup(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _reverse(path: Path, _mtime: int) -> Lookup | None:
    try:
        po = read_catalog(path)
    except TranslationError as err:
        log.warning("%s; showing English", err)
        return None
    table = {(e.msgctxt, e.msgstr): e.msgid for e in po if e.msgstr and not e.obsolete and "fuzzy" not in e.flags}
    return lambda context, translated: table.get((context, translated))


@lru_cache(maxsize=32)
def _lookup(path: Path, _mtime: int) -> Lookup | None:
    try:
        return catalog_lookup(read_catalog(path))
    except TranslationError as err:  # a broken catalog must never stop a lesson: English instead
        log.warning("%s; showing English", err)
        return None
