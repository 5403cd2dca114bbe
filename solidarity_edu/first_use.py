"""Helpers a lesson's first cell hands out before their modules are loaded.

A lesson begins with ``from solidarity_edu import *``. Python answers a star import by asking the
package for every name in ``__all__``, so a package that loaded each name on request would still load
charts (Altair, pandas), cards and the exercises in that first cell: most of a second before the
student sees anything. Instead the package hands out a :class:`Helper` for each name whose module is
not loaded yet. Calling it loads the module once and calls the real function; its ``__doc__`` and
signature are the real function's, so ``course_map?`` and Shift-Tab in JupyterLab read as usual.

Inside a kernel the modules are then loaded in a background thread (:func:`warm_up`), while the
student reads the lesson's first paragraphs; a cell that needs one before it is ready simply waits
for Python's import lock. Measured in bench/ (student kernel: first cell, first chart).
"""

from __future__ import annotations

import importlib
import inspect
import logging
import sys
import threading
from collections.abc import Iterable
from typing import Any

log = logging.getLogger(__name__)

_warming: threading.Thread | None = None


class Helper:
    """Stands in for one of the package's helpers (``course_map``, ``reflect`` ...) until first use."""

    __slots__ = ("_module", "_name")

    def __init__(self, name: str, module: str) -> None:
        self._name, self._module = name, module

    def _target(self) -> Any:
        return getattr(importlib.import_module(self._module), self._name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._target()(*args, **kwargs)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._target(), attribute)

    @property
    def __doc__(self) -> str | None:  # type: ignore[override]
        return self._target().__doc__

    @property
    def __signature__(self) -> inspect.Signature:
        return inspect.signature(self._target())

    def __repr__(self) -> str:
        return f"<solidarity_edu helper {self._name}>"


def is_loaded(module: str) -> bool:
    """True once ``module`` has been imported in this process, all the way through.

    A module is in ``sys.modules`` from the moment its import starts; while the warm-up thread is
    still importing it, asking for it would wait for that thread, so it counts as not loaded yet."""
    found = sys.modules.get(module)
    if found is None:
        return False
    return not getattr(getattr(found, "__spec__", None), "_initializing", False)


def warm_up(modules: Iterable[str]) -> None:
    """In a Jupyter kernel, import ``modules`` in one background thread (once); elsewhere do nothing.

    A failure here is only logged: the same import runs again, in the open, when the helper is called.
    """
    global _warming
    if _warming is not None or "ipykernel" not in sys.modules:
        return
    wanted = [m for m in dict.fromkeys(modules) if not is_loaded(m)]

    def load() -> None:
        for module in wanted:
            try:
                importlib.import_module(module)
            except Exception as err:  # said again, with its traceback, when the helper is called
                log.debug("warming up %s failed: %s", module, err)

    _warming = threading.Thread(target=load, name="solidarity-edu-warm-up", daemon=True)
    _warming.start()
