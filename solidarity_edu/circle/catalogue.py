"""The course's prompts as the circle service knows them: what each prompt asks and what it accepts.

The service never believes what a participant says a prompt is. It reads a *prompt manifest*, the
JSON that :func:`solidarity_edu.lesson.prompt_manifest` computes from the lesson model::

    {"version": 1, "prompts": {"08-five-cs": {"lesson": "08", "kind": "scale", "question": "...",
                                             "options": ["Clarity", ...], "steps": 5, "shareable": true}}}

Where it comes from: ``$SOLIDARITY_EDU_CIRCLE_PROMPTS`` (a file written by ``solidarity-edu circle
manifest --out FILE``, for a course you changed), else the manifest shipped inside the package
(``prompts.json``, which a unit test keeps equal to the manifest of ``notebooks/course.yaml``).

Why a manifest and not the lesson model at start-up: the service runs in the hub's environment (on TLJH
``solidarity-edu`` is installed there without dependencies; on Kubernetes in the hub image), which has
neither the notebooks nor nbformat. A small JSON file is all the service needs, and it is the lesson
model's own output, so the two cannot disagree without a failing test.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import CircleError
from ..lesson import PROMPT_ID
from . import PROMPTS_ENV

BUNDLED = Path(__file__).with_name("prompts.json")
SHARE_KINDS = ("text", "choice", "order", "scale")


@dataclass(frozen=True)
class PromptSpec:
    """One prompt as the lesson defines it."""

    id: str
    lesson: str
    kind: str  # text, choice, order, scale; "none" for a prompt that is never shared
    question: str
    options: tuple[str, ...]
    steps: int
    shareable: bool


class Catalogue:
    """Every prompt of the course, by id."""

    def __init__(self, prompts: Mapping[str, PromptSpec], source: str = "<memory>") -> None:
        self.prompts = dict(prompts)
        self.source = source

    def get(self, prompt_id: str) -> PromptSpec | None:
        return self.prompts.get(prompt_id)

    def lessons(self) -> list[str]:
        """The lessons that have at least one prompt a participant may share."""
        return sorted({spec.lesson for spec in self.prompts.values() if spec.shareable})

    @classmethod
    def from_manifest(cls, manifest: Any, source: str = "<memory>") -> Catalogue:
        """A catalogue from the manifest's data; CircleError saying where the manifest is wrong."""
        if (
            not isinstance(manifest, dict)
            or manifest.get("version") != 1
            or not isinstance(manifest.get("prompts"), dict)
        ):
            raise CircleError(
                f"{source}: not a prompt manifest (expected {{'version': 1, 'prompts': {{...}}}}); "
                "write one with 'solidarity-edu circle manifest --out FILE'"
            )
        prompts = {}
        for prompt_id, entry in manifest["prompts"].items():
            try:
                spec = PromptSpec(
                    id=prompt_id,
                    lesson=str(entry["lesson"]),
                    kind=str(entry["kind"]),
                    question=str(entry["question"]),
                    options=tuple(str(o) for o in entry["options"]),
                    steps=int(entry["steps"]),
                    shareable=bool(entry["shareable"]),
                )
            except (KeyError, TypeError, ValueError) as err:
                raise CircleError(
                    f"{source}: prompt {prompt_id!r} is incomplete ({err!r}); write the manifest again"
                ) from err
            if not PROMPT_ID.fullmatch(prompt_id) or (spec.shareable and spec.kind not in SHARE_KINDS):
                raise CircleError(f"{source}: prompt {prompt_id!r} has a bad id or kind {spec.kind!r}")
            prompts[prompt_id] = spec
        return cls(prompts, source)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Catalogue:
        """The manifest at ``path``, else ``$SOLIDARITY_EDU_CIRCLE_PROMPTS``, else the bundled one."""
        chosen = Path(path or os.environ.get(PROMPTS_ENV) or BUNDLED)
        try:
            data = json.loads(chosen.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise CircleError(
                f"cannot read the circle's prompt manifest {chosen}: {err}. Write it with "
                f"'solidarity-edu circle manifest --out {chosen}' or unset {PROMPTS_ENV}"
            ) from err
        return cls.from_manifest(data, str(chosen))


@cache
def bundled() -> Catalogue:
    """The manifest shipped with the package (the course in this repository)."""
    return Catalogue.load(BUNDLED)
