"""A cache on disk for what a build draws again and again from the same input: the Vega runtime
inlined in every slide deck, and each chart's SVG. It lives in ``exports/.cache/`` while a build
runs (``make clean`` removes it); outside a build nothing is stored.

A cached file is named after a hash of everything that makes it (the input, the vl-convert version),
written to a temporary file and renamed, so a build that is killed never leaves half a file, and an
entry is the same bytes that drawing again would give: the exports do not depend on the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

_folder: Path | None = None


@contextlib.contextmanager
def cache_in(folder: Path) -> Iterator[None]:
    """Keep drawn charts and the Vega runtime in ``folder`` during the ``with`` block."""
    global _folder
    saved, _folder = _folder, folder
    try:
        yield
    finally:
        _folder = saved


def cached_text(kind: str, key: str, make: Callable[[], str]) -> str:
    """The text ``make()`` returns for ``key``, from the cache when a build has drawn it before."""
    if _folder is None:
        return make()
    digest = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()
    path = _folder / kind / f"{digest}.txt"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError) as err:
        log.warning("ignoring an unreadable cache file %s (%s); drawing again", path, err)
    text = make()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as err:  # a full or read-only disk costs time, never the build
        log.warning("could not write the cache file %s (%s)", path, err)
    return text
