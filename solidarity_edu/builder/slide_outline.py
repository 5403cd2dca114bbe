"""Which slides a built deck has, and which part of the lesson plan each one shows.

The teacher guide names slide numbers in its procedure. It reads them from the deck the build has just
made (every top-level ``<section>`` of slides.html carries ``data-se-slide`` and ``data-se-part``), so a
guide can never name a slide the deck does not have.
"""

from __future__ import annotations

import re

from ..errors import BuildError

_SECTION = re.compile(r"<section\b([^>]*)>")
_ATTR = re.compile(r'data-se-(slide|part)="([0-9]+)"')


def slide_parts(slides_html: str) -> dict[int, int]:
    """slide number -> 1-based part index, for every numbered slide of ``slides_html``.

    Raises BuildError when a slide is numbered twice with different parts or the numbers skip one."""
    found: dict[int, int] = {}
    for match in _SECTION.finditer(slides_html):
        attrs = dict(_ATTR.findall(match.group(1)))
        if "slide" not in attrs:
            continue
        number, part = int(attrs["slide"]), int(attrs.get("part", "1"))
        if found.setdefault(number, part) != part:
            raise BuildError(f"slides.html: slide {number} names parts {found[number]} and {part}")
    if sorted(found) != list(range(1, len(found) + 1)):
        raise BuildError(f"slides.html: the slide numbers are not 1..{len(found)}: {sorted(found)}")
    return found


def slides_by_part(slides_html: str) -> dict[int, list[int]]:
    """1-based part index -> the numbers of its slides, in deck order."""
    grouped: dict[int, list[int]] = {}
    for number, part in sorted(slide_parts(slides_html).items()):
        grouped.setdefault(part, []).append(number)
    return grouped


def slide_ranges(numbers: list[int]) -> str:
    """Slide numbers as a teacher reads them: ``[3, 4, 5, 8]`` -> ``"3-5, 8"``; ``[]`` -> ``""``."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)
