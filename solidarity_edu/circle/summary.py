"""The facilitator's view of a circle: what was shared, summed up, without names.

- choices: how many chose each option (every option listed, even with no one)
- ratings (for example the 5 Cs self-assessment): the circle's average for each item, and how many rated
- orders: the average place the circle gave each item
- reflections: the shared texts, sorted alphabetically so their order says nothing about who or when

``summarize`` gives plain data (the JSON API); ``summary_html`` a page to project, readable without
colour (every bar has its number written beside it) and with every shared word escaped.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from typing import Any

from .shares import Share


def _summarize_prompt(shares: list[Share]) -> dict[str, Any]:
    latest = shares[-1]
    kind, count = latest.kind, len(shares)
    result: dict[str, Any] = {"prompt": latest.prompt, "question": latest.question, "kind": kind, "count": count}
    if kind == "choice":
        counts = Counter(s.value for s in shares)
        options = list(latest.options) + sorted(set(counts) - set(latest.options))
        result["counts"] = {option: counts.get(option, 0) for option in options}
    elif kind == "scale":
        items = list(latest.options)
        ratings: dict[str, list[int]] = defaultdict(list)
        for share in shares:
            for item, rating in share.value.items():
                ratings[item].append(rating)
        items += sorted(set(ratings) - set(items))
        result["steps"] = max(s.steps for s in shares)
        result["averages"] = {
            item: round(sum(ratings[item]) / len(ratings[item]), 2) if ratings[item] else None for item in items
        }
        result["rated_by"] = {item: len(ratings[item]) for item in items}
    elif kind == "order":
        places: dict[str, list[int]] = defaultdict(list)
        for share in shares:
            for place, item in enumerate(share.value, start=1):
                places[item].append(place)
        averages = {item: round(sum(p) / len(p), 2) for item, p in places.items()}
        result["average_place"] = dict(sorted(averages.items(), key=lambda kv: (kv[1], kv[0])))
    else:
        result["texts"] = sorted((s.value for s in shares), key=str.casefold)
    return result


def summarize(shares: list[Share]) -> list[dict[str, Any]]:
    """One summary per prompt, in prompt order."""
    by_prompt: dict[str, list[Share]] = defaultdict(list)
    for share in shares:
        by_prompt[share.prompt].append(share)
    return [_summarize_prompt(by_prompt[prompt]) for prompt in sorted(by_prompt)]


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _bar(label: str, value: float, maximum: float, shown: str) -> str:
    width = 0 if maximum <= 0 else round(100 * value / maximum)
    return (
        f'<div class="row"><span class="label">{_e(label)}</span>'
        f'<span class="track" aria-hidden="true"><span class="bar" style="width:{width}%"></span></span>'
        f'<span class="num">{_e(shown)}</span></div>'
    )


def _prompt_html(item: dict[str, Any]) -> str:
    people = f"{item['count']} {'person' if item['count'] == 1 else 'people'} shared"
    parts = [f'<section><h2>{_e(item["question"])}</h2><p class="meta">{_e(item["prompt"])} · {people}</p>']
    if item["kind"] == "choice":
        top = max(item["counts"].values(), default=0)
        parts += [_bar(option, n, top, str(n)) for option, n in item["counts"].items()]
    elif item["kind"] == "scale":
        steps = item["steps"]
        parts.append(f'<p class="meta">Average rating, from 1 to {steps}</p>')
        for label, average in item["averages"].items():
            shown = "no ratings" if average is None else f"{average:.1f} (rated by {item['rated_by'][label]})"
            parts.append(_bar(label, average or 0, steps, shown))
    elif item["kind"] == "order":
        parts.append('<p class="meta">Average place (1 = first)</p><ol>')
        parts += [f"<li>{_e(label)}: {place:.1f}</li>" for label, place in item["average_place"].items()]
        parts.append("</ol>")
    else:
        parts += [f"<blockquote>{_e(text)}</blockquote>" for text in item["texts"]]
    parts.append("</section>")
    return "".join(parts)


_CSS = """
html{font-family:"Atkinson Hyperlegible","DejaVu Sans",sans-serif;font-size:20px;line-height:1.4;color:#1a1a1a;background:#fff}
body{max-width:60rem;margin:0 auto;padding:1.2rem}
h1{color:#1f4e79;font-size:1.6rem} h2{color:#1f4e79;font-size:1.2rem;margin:1.6rem 0 .2rem}
.meta{color:#4a4a4a;margin:.1rem 0 .5rem;font-size:.9rem}
.row{display:grid;grid-template-columns:minmax(8rem,18rem) 1fr 9rem;gap:.6rem;align-items:center;margin:.25rem 0}
.track{background:#e6e6e6;height:1.1rem;border-radius:3px;display:block}
.bar{background:#1f4e79;height:100%;display:block;border-radius:3px}
.num{font-weight:700}
blockquote{margin:.4rem 0;padding:.4rem .8rem;border-left:6px solid #1f4e79;background:#f4f7fb;white-space:pre-wrap}
.empty{font-style:italic}
.lessons{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.2rem 0 .6rem}
.lessons a{color:#1f4e79} .lessons a[aria-current]{font-weight:700;text-decoration:none}
"""


def _lesson_nav(lessons: list[str], current: str | None) -> str:
    """Links to show one lesson's shares at a time (the service's ``?lesson=07``)."""
    if not lessons:
        return ""
    links = [("All lessons", "facilitator", current is None)]
    links += [(f"Lesson {lesson}", f"facilitator?lesson={lesson}", lesson == current) for lesson in lessons]
    current_mark = ' aria-current="page"'
    items = "".join(
        f'<li><a href="{_e(href)}"{current_mark if here else ""}>{_e(label)}</a></li>' for label, href, here in links
    )
    return f'<nav aria-label="Lessons"><ul class="lessons">{items}</ul></nav>'


def summary_html(
    summaries: list[dict[str, Any]],
    title: str = "What the circle shared",
    lessons: list[str] | None = None,
    current: str | None = None,
) -> str:
    """A self-contained page (no scripts, no network) to project for the circle's discussion.

    ``lessons``: the lessons with shares, shown as links (on the hub's facilitator page)."""
    body = "".join(_prompt_html(item) for item in summaries) or (
        '<p class="empty">Nothing has been shared yet. Sharing is always a choice: participants tick '
        "\u201cShare with my circle\u201d under a prompt.</p>"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body><main>"
        f'<h1>{_e(title)}</h1>{_lesson_nav(lessons or [], current)}<p class="meta">Anonymous: no names are stored with shared answers. '
        "A participant can withdraw a share at any time; reload to see the latest.</p>"
        f"{body}</main></body></html>"
    )
