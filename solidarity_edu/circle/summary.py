"""The facilitator's view of a circle: what was shared, summed up, without names.

- choices: how many chose each option the lesson offers
- ratings (for example the 5 Cs self-assessment): the circle's average for each item, on the lesson's scale
- orders: the average place the circle gave each item
- reflections: the shared texts, shuffled (the same order until the summary changes, so it says nothing
  about who wrote what or when)

A prompt appears only once at least ``min_shares`` people (k, 3 by default) have shared on it, so no
one's answer can be read off a count of one. Averages are rounded to one decimal. The question, options and
scale come from the lesson (:mod:`.catalogue`), never from a share. When to recompute (in batches, so the
difference between two summaries is never one person's answer) is :mod:`.published`'s job.

``summarize`` gives plain data (the JSON API); ``summary_html`` a page to project, readable without
colour (every bar has its number written beside it) and with every shared word escaped.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .. import pagestyle
from ..templating import render
from .catalogue import Catalogue, PromptSpec
from .shares import Share, StoredShare

DEFAULT_MIN_SHARES = 3


def _stored(items: Iterable[Share | StoredShare]) -> list[StoredShare]:
    """Plain shares (a local circle, the tests) get no id: they cannot be hidden from a page."""
    return [item if isinstance(item, StoredShare) else StoredShare(0, item) for item in items]


def _frame(prompt: str, spec: PromptSpec | None, shares: list[Share]) -> tuple[str, str, list[str], int]:
    """(question, kind, options, steps) from the lesson; without a catalogue, from the latest share."""
    if spec is not None:
        return spec.question, spec.kind, list(spec.options), spec.steps
    kind = Counter(s.kind for s in shares).most_common(1)[0][0]
    latest = [s for s in shares if s.kind == kind][-1]
    return latest.question, kind, list(latest.options), max((s.steps for s in shares if s.kind == kind), default=0)


def summarize_prompt(
    prompt: str, stored: list[StoredShare], spec: PromptSpec | None = None, seed: int = 0
) -> dict[str, Any]:
    """The summary of one prompt. Shares that do not fit the frame (another kind, an option or item the
    lesson does not have, a rating off its scale) are left out and counted in ``left_out``."""
    question, kind, options, steps = _frame(prompt, spec, [s.share for s in stored])
    fits = [s for s in stored if s.share.kind == kind and _fits(s.share, kind, options, steps, spec is not None)]
    shares = [s.share for s in fits]
    result: dict[str, Any] = {
        "prompt": prompt,
        "question": question,
        "kind": kind,
        "count": len(shares),
        "left_out": len(stored) - len(fits),
    }
    if kind == "choice":
        counts = Counter(s.value for s in shares)
        options = options + sorted(set(counts) - set(options))  # only without a catalogue can there be extras
        result["counts"] = {option: counts.get(option, 0) for option in options}
    elif kind == "scale":
        ratings: dict[str, list[int]] = defaultdict(list)
        for share in shares:
            for item, rating in share.value.items():
                ratings[item].append(rating)
        items = options + sorted(set(ratings) - set(options))
        result["steps"] = steps
        result["averages"] = {item: _average(ratings[item]) for item in items}
        result["rated_by"] = {item: len(ratings[item]) for item in items}
    elif kind == "order":
        places: dict[str, list[int]] = defaultdict(list)
        for share in shares:
            for place, item in enumerate(share.value, start=1):
                places[item].append(place)
        averages = {item: _average(p) for item, p in places.items()}
        result["average_place"] = dict(sorted(averages.items(), key=lambda kv: (kv[1], kv[0])))
    else:
        texts = [{"id": s.id, "text": s.share.value} for s in sorted(fits, key=lambda s: (s.id, s.share.value))]
        random.Random(seed).shuffle(texts)
        result["texts"] = texts
    return result


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _fits(share: Share, kind: str, options: list[str], steps: int, strict: bool) -> bool:
    if kind == "choice":
        return share.value in options or not strict
    if kind == "scale":
        ratings = share.value
        return all(1 <= r <= steps for r in ratings.values()) and (set(ratings) == set(options) or not strict)
    if kind == "order":
        return sorted(share.value) == sorted(options) or not strict
    return isinstance(share.value, str)


def summarize(
    shares: Iterable[Share | StoredShare],
    *,
    min_shares: int = DEFAULT_MIN_SHARES,
    catalogue: Catalogue | None = None,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """One summary per prompt that at least ``min_shares`` people shared on, in prompt order."""
    by_prompt: dict[str, list[StoredShare]] = defaultdict(list)
    for stored in _stored(shares):
        by_prompt[stored.share.prompt].append(stored)
    found = []
    for prompt in sorted(by_prompt):
        if len(by_prompt[prompt]) < min_shares:
            continue
        item = summarize_prompt(prompt, by_prompt[prompt], catalogue.get(prompt) if catalogue else None, seed)
        if item["count"] >= min_shares:
            found.append(item)
    return found


# The page's stylesheet: the shared colours and fonts (pagestyle) as CSS variables, sized for a projector.
_CSS = """
html{font-family:var(--font);font-size:20px;line-height:1.4;color:var(--ink);background:var(--white)}
body{max-width:60rem;margin:0 auto;padding:1.2rem}
h1{color:var(--accent);font-size:1.6rem} h2{color:var(--accent);font-size:1.2rem;margin:1.6rem 0 .2rem}
.meta{color:var(--muted);margin:.1rem 0 .5rem;font-size:.9rem}
.row{display:grid;grid-template-columns:minmax(8rem,18rem) 1fr 9rem;gap:.6rem;align-items:center;margin:.25rem 0}
.track{background:#e6e6e6;height:1.1rem;border-radius:3px;display:block}
.bar{background:var(--accent);height:100%;display:block;border-radius:3px}
.num{font-weight:700}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:6px solid var(--accent);background:var(--quote-bg);white-space:pre-wrap}
.empty{font-style:italic}
.lessons{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.2rem 0 .6rem}
.lessons a{color:var(--accent)} .lessons a[aria-current]{font-weight:700;text-decoration:none}
form.hide{margin:0 0 .8rem}
form.hide button{font:inherit;font-size:.8rem;color:var(--accent);background:var(--white);border:1px solid var(--accent);border-radius:3px;padding:.1rem .5rem}
"""


def _lesson_links(lessons: list[str], current: str | None) -> list[tuple[str, str, bool]]:
    """(label, link, is the one shown) to show one lesson's shares at a time (the service's ``?lesson=07``)."""
    if not lessons:
        return []
    links = [("All lessons", "facilitator", current is None)]
    return links + [(f"Lesson {lesson}", f"facilitator?lesson={lesson}", lesson == current) for lesson in lessons]


def summary_html(
    summaries: list[dict[str, Any]],
    title: str = "What the circle shared",
    lessons: list[str] | None = None,
    current: str | None = None,
    *,
    min_shares: int = DEFAULT_MIN_SHARES,
    unreadable: int = 0,
    hide: dict[str, str] | None = None,
) -> str:
    """A self-contained page (no scripts, no network) to project for the circle's discussion.

    ``lessons``: the lessons, shown as links (on the hub's facilitator page). ``hide``: the XSRF token
    (``xsrf``) and ``lesson`` for the facilitator's "Hide" buttons; without it there are none.
    ``unreadable``: stored rows that could not be read (said on the page, never shown)."""
    return render(
        "circle_summary.html.j2",
        title=title,
        css=pagestyle.root_css() + _CSS,
        lessons=_lesson_links(lessons or [], current),
        summaries=summaries,
        min_shares=min_shares,
        unreadable=unreadable,
        hide=hide,
    )
