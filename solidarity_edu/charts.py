"""Chart builders for the lessons. Each returns an Altair chart (never displays it) with a text
description, in one theme with a colour-blind-safe palette.

Charts reach JupyterLab as Vega-Lite JSON under the v5 MIME type, which JupyterLab 4 draws with its
built-in renderer: no CDN, no extra extension, no JavaScript sent from the kernel. Altair 6 writes
Vega-Lite 6 specs; the charts built here only use features that Vega-Lite 5 draws the same way
(tests/unit/test_charts.py checks the specs). The build draws the same specs with vl-convert.
"""

from __future__ import annotations

import re
from typing import Any

import altair as alt
import pandas as pd

from . import pagestyle
from .errors import ChartError
from .i18n import N_, tr
from .tags import CHART_META, VEGA_LITE_MIME

PALETTE = pagestyle.PALETTE  # Okabe & Ito: distinguishable with the common forms of colour blindness
FONT = pagestyle.CHART_FONT
V5_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "range": {"category": PALETTE},
            "view": {"stroke": None},
            "axis": {"labelFontSize": 13, "titleFontSize": 14, "labelLimit": 320},
            "legend": {"labelFontSize": 13, "titleFontSize": 14},
            "title": {"fontSize": 17, "anchor": "start"},
        }
    }


def _render(spec: dict, **_: Any) -> tuple[dict, dict]:
    """Altair renderer: Vega-Lite JSON that JupyterLab draws offline, plus a text fallback."""
    shown = dict(spec)
    shown["$schema"] = V5_SCHEMA
    description = spec.get("description", "")
    return (
        {VEGA_LITE_MIME: shown, "text/plain": f"{tr('Chart:')} {description}"},
        # No "..." actions menu in JupyterLab: its <summary> has no accessible name (axe: summary-name), and
        # its "Open in Vega Editor" link would leave the offline course.
        {CHART_META: {"schema": spec.get("$schema", "")}, VEGA_LITE_MIME: {"embed_options": {"actions": False}}},
    )


alt.renderers.register("solidarity", _render)
alt.renderers.enable("solidarity")
alt.theme.register("solidarity", enable=True)(_theme)


def chart_description(chart: alt.TopLevelMixin) -> str:
    """The text description of a chart (for screen readers, print, and the tests)."""
    return str(chart.to_dict().get("description", ""))


def _require_description(description: str) -> str:
    if not description or not description.strip():
        raise ChartError("every chart needs description='One sentence saying what the chart shows'")
    return description.strip()


def bar_chart(
    frame: pd.DataFrame,
    category: str,
    value: str,
    description: str,
    title: str = "",
    color: str | None = None,
    value_title: str | None = None,
) -> alt.Chart:
    """A horizontal bar chart with values written at the end of each bar (meaning not by colour alone)."""
    description = _require_description(description)
    base = alt.Chart(frame, description=description, title=title or alt.Undefined).encode(
        y=alt.Y(f"{category}:N", sort=None, title=None),
        x=alt.X(f"{value}:Q", title=value_title or value.replace("_", " ")),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{value}:Q")],
    )
    bars = (
        base.mark_bar(color=PALETTE[0])
        if color is None
        else base.mark_bar().encode(color=alt.Color(f"{color}:N", legend=alt.Legend(orient="bottom")))
    )
    labels = base.mark_text(align="left", dx=4, fontSize=13).encode(text=alt.Text(f"{value}:Q"))
    return (bars + labels).properties(width=560, description=description)


def course_map(audience: str = "high-school") -> alt.Chart:
    """The lessons of the course and how long each takes for ``audience`` (from course.yaml), with the
    lessons' titles and the audience's name in the learner's language (the course catalog)."""
    from .course import load_course
    from .i18n import current_language
    from .lesson import lesson_key
    from .paths import course_file
    from .translate.course import course_in

    course = course_in(load_course(course_file()), current_language())
    rows = [
        {"lesson": f"{lesson_key(lesson.id)}. {lesson.title}", "minutes": lesson.duration_minutes.get(audience)}
        for lesson in course.lessons
        if audience in lesson.audiences
    ]
    label = course.audiences[audience].label if audience in course.audiences else audience
    return bar_chart(
        pd.DataFrame(rows),
        "lesson",
        "minutes",
        description=(
            tr(
                "Bar chart of the course's {count} lessons in order, with the minutes each takes for the {audience} audience."
            )
            if len(rows) != 1
            else tr(
                "Bar chart of the course's {count} lesson in order, with the minutes each takes for the {audience} audience."
            )
        ).format(count=len(rows), audience=label.lower()),
        title=tr("The course: lessons and minutes ({audience})").format(audience=label),
        value_title=tr("minutes"),
    )


# --- Charts of the course's datasets -------------------------------------------------------------

# Every kind of event gets its own colour AND shape, so no two kinds look alike (and colour is never
# the only cue). Colours: Okabe & Ito's eight plus four from Paul Tol's colour-blind-safe sets.
KIND_STYLE = {
    "law": ("#0072B2", "square"),
    "court-ruling": ("#E69F00", "diamond"),
    "executive-action": ("#D55E00", "triangle-up"),
    "policy": ("#CC79A7", "triangle-down"),
    "violence": ("#000000", "cross"),
    "report": ("#999999", "triangle-left"),
    "migration": ("#56B4E9", "triangle-right"),
    "resistance": ("#009E73", "circle"),
    "organizing": ("#882255", "square"),
    "solidarity": ("#117733", "diamond"),
    "redress": ("#332288", "triangle-up"),
    "commemoration": ("#AA4499", "circle"),
}


def _year_span(frame: pd.DataFrame) -> str:
    first, last = frame["date"].min().year, frame["date"].max().year
    return str(first) if first == last else tr("{first} to {last}").format(first=first, last=last)


# English; kind_label() and community_label() give them in the current language.
KIND_LABELS = {
    "law": N_("Law"),
    "court-ruling": N_("Court ruling"),
    "executive-action": N_("Executive action"),
    "policy": N_("Policy"),
    "violence": N_("Violence"),
    "report": N_("Report"),
    "migration": N_("Migration"),
    "resistance": N_("Resistance"),
    "organizing": N_("Organizing"),
    "solidarity": N_("Solidarity"),
    "redress": N_("Redress"),
    "commemoration": N_("Commemoration"),
}
COMMUNITY_LABELS = {
    "all": N_("All Asian Americans"),
    "asian-american": N_("Asian American"),
    "south-asian": N_("South Asian"),
    "southeast-asian": N_("Southeast Asian"),
    "latinx": N_("Latinx"),
}
ANY = "any"  # the menus' "show everything" value (no community or kind is called this)
_TITLE_SPAN = re.compile(
    r"[,，]?\s*[(（]?\d{4}\s*(?:-|–|~|至|to|đến)\s*\d{4}\s*(?:年)?[)）]?\s*$"
)  # "1850 to 1965" in any course language


def community_label(slug: str) -> str:
    """How a menu or a legend names a community: ``"south-asian"`` -> ``"South Asian"``."""
    return tr(COMMUNITY_LABELS.get(slug) or " ".join(w.capitalize() for w in slug.split("-")))


def kind_label(slug: str) -> str:
    """How a legend or a menu names a kind of event: ``"court-ruling"`` -> ``"Court ruling"``."""
    return tr(KIND_LABELS.get(slug) or slug.replace("-", " ").capitalize())


LABEL_PX_PER_CHAR = 11  # a name in bold 20 px type on a slide, per character (the widest theme)
LABEL_MAX_PX = 300  # chart_themes.LABEL_LIMIT
PLOT_PX = 760


def _place_labels(frame: pd.DataFrame, dates: pd.Series) -> None:
    """Move named events to the sub-row (slot) where their name does not run into another name.

    Names are drawn to the right of their mark; two names collide when they share a row and a slot and
    the first one is still running when the second begins. Greedy, in time order; unnamed events keep
    their slots (marks may touch, names may not)."""
    first, last = dates.min(), dates.max()
    span = max((last - first).days, 1)
    ends: dict[tuple[str, int], float] = {}
    for index in frame.index[frame["label"] != ""]:
        x = (dates.loc[index] - first).days / span * PLOT_PX
        width = min(len(frame.at[index, "label"]) * LABEL_PX_PER_CHAR, LABEL_MAX_PX) + 14
        row = frame.at[index, "row"]
        free = [s for s in range(4) if ends.get((row, s), -1e9) < x]
        slot = free[0] if free else min(range(4), key=lambda s: ends.get((row, s), -1e9))
        frame.at[index, "slot"] = slot
        ends[(row, slot)] = x + width


def timeline(
    era: str | list[str] | None = None,
    ids: list[str] | None = None,
    start: int | None = None,
    end: int | None = None,
    title: str | None = None,
    label: list[str] | None = None,
) -> alt.LayerChart:
    """An interactive timeline of events from data/timeline.

    The upper row holds acts of resistance, organizing, redress and solidarity; the lower row what
    governments and attackers did. Hover a point for its summary and source; the menus below the chart
    filter by community and kind. The events in ``label`` (event ids; by default every event of a
    short timeline chosen with ``ids``) are named on the chart itself, so a room watching a projector
    can read them. A year range at the end of ``title`` is replaced by the span of the events drawn,
    so title and chart cannot disagree. Example: ``timeline(era="incarceration", label=["eo-9066"])``.
    """
    from .events import ACTION_LANE, ERA_LABELS, RESISTANCE_LANE, format_date, select_events

    events = select_events(era, ids, start, end)
    if label is None:
        label = list(ids) if ids is not None and len(ids) <= 10 else []
    unknown = sorted(set(label) - set(events["id"].astype(str)))
    if unknown:
        raise ChartError(
            f"timeline(label=...): {unknown[0]!r} is not one of the events this timeline draws; "
            "label only events the chart shows (see data/timeline/timeline.csv for ids)"
        )
    frame = pd.DataFrame(
        {
            "date": events["date"].dt.strftime("%Y-%m-%d"),
            "when": [format_date(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)],
            "event": events["title"].astype(str),
            "summary": events["summary"].astype(str),
            "kind": events["kind"].astype(str).map(kind_label),
            "communities": events["communities"].map(lambda cs: ", ".join(community_label(c) for c in cs)),
            "community_key": events["communities"].map(lambda c: "|" + "|".join(c) + "|"),
            "row": [tr(RESISTANCE_LANE) if r else tr(ACTION_LANE) for r in events["is_resistance"]],
            "source": events["sources"].map(lambda s: s[0]),
            # The short name the data gives for charts (chart_label), else the title.
            "label": [
                (str(c) if isinstance(c, str) and c.strip() else str(t)) if str(i) in set(label) else ""
                for i, t, c in zip(events["id"], events["title"], events["chart_label"], strict=True)
            ],
        }
    )
    frame["slot"] = frame.groupby("row").cumcount() % 4
    _place_labels(frame, events["date"])
    communities = sorted({c for cs in events["communities"] for c in cs})
    present = [k for k in KIND_STYLE if k in set(events["kind"])]
    community = alt.param(
        name="community",
        value=ANY,
        bind=alt.binding_select(
            options=[ANY, *communities],
            labels=[tr("All communities"), *[community_label(c) for c in communities]],
            name=tr("Community") + " ",
        ),
    )
    kind = alt.param(
        name="kind",
        value=ANY,
        bind=alt.binding_select(
            options=[ANY, *[kind_label(k) for k in present]],
            labels=[tr("All kinds"), *[kind_label(k) for k in present]],
            name=tr("Kind") + " ",
        ),
    )
    eras = [era] if isinstance(era, str) else list(era or [])
    scope = "; ".join(tr(ERA_LABELS[e]) for e in eras) if eras else tr("selected events")
    resisting = int(events["is_resistance"].sum())
    acting = len(events) - resisting
    rows = []
    if resisting:
        rows.append(tr("{count} acts of resistance, organizing, redress or solidarity").format(count=resisting))
    if acting:
        rows.append(tr("{count} laws, rulings, government actions or acts of violence").format(count=acting))
    facts = {"count": len(events), "span": _year_span(events), "scope": scope}
    if len(rows) == 2:
        description = tr("Timeline of {count} events, {span} ({scope}), in two rows: {upper} and {lower}.").format(
            upper=rows[0], lower=rows[1], **facts
        )
    else:
        description = tr("Timeline of {count} events, {span} ({scope}), in one row: {row}.").format(
            row="".join(rows), **facts
        )
    if label:
        named = (
            tr("{count} key events are named on the chart.")
            if len(label) != 1
            else tr("{count} key event is named on the chart.")
        )
        description += " " + named.format(count=len(label))
    if title:
        title = _TITLE_SPAN.sub("", title).strip() + f", {_year_span(events)}"
    rows_sort = [tr(r) for r in (RESISTANCE_LANE, ACTION_LANE) if tr(r) in set(frame["row"])]
    years = events["date"].max().year - events["date"].min().year
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50) if years / s <= 10), 100)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "date:T",
            title=None,
            axis=alt.Axis(format="%Y", labelAngle=0, tickCount={"interval": "year", "step": step}),
        ),
        y=alt.Y("row:N", title=None, sort=rows_sort, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("slot:O"),
    )
    points = base.mark_point(filled=True, size=140, opacity=0.9).encode(
        color=alt.Color(
            "kind:N",
            scale=alt.Scale(domain=[kind_label(k) for k in present], range=[KIND_STYLE[k][0] for k in present]),
            legend=alt.Legend(orient="bottom", columns=4, title=tr("Kind of event")),
        ),
        shape=alt.Shape(
            "kind:N",
            scale=alt.Scale(domain=[kind_label(k) for k in present], range=[KIND_STYLE[k][1] for k in present]),
        ),
        tooltip=[
            alt.Tooltip("when:N", title=tr("When")),
            alt.Tooltip("event:N", title=tr("Event")),
            alt.Tooltip("summary:N", title=tr("What happened")),
            alt.Tooltip("communities:N", title=tr("Communities")),
            alt.Tooltip("source:N", title=tr("Source")),
        ],
    )
    name_style = {"align": "left", "dx": 9, "fontSize": 12, "fontWeight": "bold", "limit": 200}
    # A white outline under each name keeps it readable where it crosses other marks.
    halo = base.mark_text(**name_style, stroke="#ffffff", strokeWidth=5, strokeJoin="round", aria=False).encode(
        text="label:N"
    )
    names = base.mark_text(**name_style).encode(text="label:N")
    return (
        alt.layer(points, halo, names, title=title or alt.Undefined, description=description)
        .add_params(community, kind)
        .transform_filter(
            f"(community == '{ANY}' || indexof(datum.community_key, '|' + community + '|') >= 0)"
            f" && (kind == '{ANY}' || datum.kind == kind)"
        )
        .properties(width=640, height=220)
    )


def camps_map() -> alt.LayerChart:
    """The ten War Relocation Authority camps on a map of the states, circles sized by peak population."""
    import json
    from importlib import resources

    from .data import load_camps
    from .translate.datasets import dataset_in

    camps = dataset_in("camps", load_camps())
    frame = pd.DataFrame(
        {
            "camp": camps["name"].astype(str),
            "state": camps["state"].astype(str),
            "latitude": camps["latitude"].astype(float),
            "longitude": camps["longitude"].astype(float),
            "peak_population": camps["peak_population"].astype(int),
            "opened": camps["opened"].dt.strftime("%B %-d, %Y"),
            "closed": camps["closed"].dt.strftime("%B %-d, %Y"),
            "below": camps["id"].isin(["jerome", "gila-river"]),
        }
    )
    topo = json.loads(resources.files("solidarity_edu").joinpath("assets", "us-states-10m.json").read_text())
    states = alt.Data(values=topo, format=alt.DataFormat(type="topojson", feature="states"))
    largest = frame.loc[frame["peak_population"].idxmax()]
    smallest = frame.loc[frame["peak_population"].idxmin()]
    description = tr(
        "Map of the ten War Relocation Authority camps in {states} states, from California to Arkansas; circle "
        "size shows each camp's peak population, from {smallest} at {smallest_camp} to {largest} at {largest_camp}."
    ).format(
        states=frame["state"].nunique(),
        smallest=f"{smallest['peak_population']:,}",
        smallest_camp=smallest["camp"],
        largest=f"{largest['peak_population']:,}",
        largest_camp=largest["camp"],
    )
    # The state outlines are decoration (aria=False hides them from screen readers; the description says it all).
    base = alt.Chart(states).mark_geoshape(fill="#e8e8e8", stroke="#ffffff", strokeWidth=0.8, aria=False)
    points = (
        alt.Chart(frame)
        .mark_circle(color=PALETTE[5], opacity=0.75, stroke="#000000", strokeWidth=0.6)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size(
                "peak_population:Q",
                scale=alt.Scale(range=[80, 1400]),
                legend=alt.Legend(
                    title=tr("Peak population"), orient="bottom", format=",d", values=[8000, 12000, 16000]
                ),
            ),
            tooltip=[
                alt.Tooltip("camp:N", title=tr("Camp")),
                alt.Tooltip("state:N", title=tr("State")),
                alt.Tooltip("peak_population:Q", title=tr("Peak population"), format=","),
                alt.Tooltip("opened:N", title=tr("First arrivals")),
                alt.Tooltip("closed:N", title=tr("Closed")),
            ],
        )
    )
    text = alt.Chart(frame).encode(longitude="longitude:Q", latitude="latitude:Q", text="camp:N")
    above = text.transform_filter("!datum.below").mark_text(dy=-14, fontSize=12, fontWeight="bold")
    below = text.transform_filter("datum.below").mark_text(dy=16, fontSize=12, fontWeight="bold")
    return (
        alt.layer(base, points, above, below, description=description)
        .project("albersUsa")
        .properties(width=640, height=400)
    )


# The removals data's countries as the chart names them, and how it writes a figure with a qualifier.
COUNTRY_NAMES = {
    "cambodia": N_("Cambodia"),
    "laos": N_("Laos"),
    "vietnam": N_("Vietnam"),
    "cambodia-laos-vietnam": N_("All three"),
}
QUALIFIED_FIGURES = {"about": N_("about {value}"), "more-than": N_("more than {value}")}


def country_name(slug: str) -> str:
    """How the removals chart names a country (``"laos"`` -> ``"Laos"``), in the current language."""
    return tr(COUNTRY_NAMES.get(slug) or slug.capitalize())


def removals_chart() -> alt.VConcatChart:
    """Removals (yearly figures) and people with final orders of removal, for Cambodia, Laos and Vietnam.

    Each point is one published figure, with who reported it; multi-year totals are left out of the
    chart (they are in data/removals) because they cannot be compared with yearly counts.
    """
    from .data import load_removals

    data = load_removals()
    data = data[data["value"].notna()].copy()
    span_days = (data["period_end"] - data["period_start"]).dt.days
    yearly = data[(data["measure"] == "removals") & span_days.between(0, 366)]
    orders = data[(data["measure"] == "final-orders") & (data["subgroup"] == "all")]

    def frame(rows: pd.DataFrame) -> pd.DataFrame:
        qualified = rows["value_qualifier"].map(lambda q: tr(QUALIFIED_FIGURES.get(q, "{value}")))
        return pd.DataFrame(
            {
                "date": rows["period_end"].dt.strftime("%Y-%m-%d"),
                "country": rows["country"].astype(str).map(country_name),
                "value": rows["value"].astype(int),
                "label": [
                    form.format(value=f"{value:,}") for form, value in zip(qualified, rows["value"], strict=True)
                ],
                "reporter": rows["reporter"].astype(str),
                "reporter_type": rows["reporter_type"].astype(str),
            }
        )

    countries = [country_name(c) for c in COUNTRY_NAMES]
    country_scale = {
        "color": alt.Scale(domain=countries, range=[PALETTE[0], PALETTE[1], PALETTE[2], "#000000"]),
        "shape": alt.Scale(domain=countries, range=["circle", "square", "triangle-up", "diamond"]),
    }

    def panel(rows: pd.DataFrame, title: str, y_title: str) -> alt.LayerChart:
        # Country by colour AND shape (a black-and-white copy keeps the shapes); who reported a figure
        # by fill: filled for a government agency, open for a community group or the press.
        base = alt.Chart(frame(rows), title=title).encode(
            x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "country:N", scale=country_scale["color"], legend=alt.Legend(orient="bottom", title=tr("Country"))
            ),
            shape=alt.Shape(
                "country:N", scale=country_scale["shape"], legend=alt.Legend(orient="bottom", title=tr("Country"))
            ),
            tooltip=[
                alt.Tooltip("country:N", title=tr("Country")),
                alt.Tooltip("label:N", title=tr("Figure")),
                alt.Tooltip("date:T", title=tr("As of"), format="%B %Y"),
                alt.Tooltip("reporter:N", title=tr("Reporter")),
            ],
        )
        government = "datum.reporter_type == 'government'"
        return (
            base.transform_filter(government).mark_point(filled=True, size=110)
            + base.transform_filter(f"!({government})").mark_point(filled=False, size=110, strokeWidth=2)
            + base.mark_text(dx=8, align="left", fontSize=11).encode(text="label:N")
        ).properties(width=600, height=190)

    description = tr(
        "Two panels of published figures for Cambodia, Laos and Vietnam. Top: {yearly} yearly counts of "
        "removals, between {yearly_low} and {yearly_high} a year. Bottom: {orders} counts of people with final "
        "orders of removal, from {orders_low} to {orders_high}, reported by government agencies (filled marks), "
        "community groups and the press (open marks) between {first_year} and {last_year}."
    ).format(
        yearly=len(yearly),
        yearly_low=int(yearly["value"].min()),
        yearly_high=int(yearly["value"].max()),
        orders=len(orders),
        orders_low=f"{int(orders['value'].min()):,}",
        orders_high=f"{int(orders['value'].max()):,}",
        first_year=orders["period_end"].dt.year.min(),
        last_year=orders["period_end"].dt.year.max(),
    )
    return alt.vconcat(
        panel(yearly, tr("Removals in one fiscal or calendar year"), tr("people removed")),
        panel(orders, tr("People with final orders of removal (a running total on a given date)"), tr("people")),
        description=description,
    )


# What each collector counts, and the groups a count is about, as a reader reads them (data/incidents
# keeps slugs). A slug not listed here is shown as written, capitalised.
MEASURE_LABELS = {
    "civil-rights-complaints": N_("Civil rights complaints"),
    "documented-incidents": N_("Documented incidents"),
    "hate-crime-incidents": N_("Hate crime incidents"),
    "hate-crime-victims": N_("Hate crime victims"),
    "hate-crimes-in-cities": N_("Hate crimes in cities"),
    "self-reported-incidents-cumulative": N_("Self-reported incidents, running total"),
}
GROUP_LABELS = {
    "anti-arab": N_("Anti-Arab"),
    "anti-asian": N_("Anti-Asian"),
    "anti-hindu": N_("Anti-Hindu"),
    "anti-islamic": N_("Anti-Islamic"),
    "anti-middle-eastern": N_("Anti-Middle-Eastern"),
    "anti-pacific-islander": N_("Anti-Pacific-Islander"),
    "anti-sikh": N_("Anti-Sikh"),
    "anti-south-asian": N_("Anti-South-Asian"),
}


def _label(slug: str, labels: dict[str, str]) -> str:
    return tr(labels[slug]) if slug in labels else slug.replace("-", " ").capitalize()


def incidents_chart(groups: list[str] | tuple[str, ...] = ("anti-asian",)) -> alt.FacetChart:
    """Counts of hate incidents and crimes from different collectors, one panel per collector.

    Each panel has its own scale: the collectors count different things (crimes reported by police,
    self-reports, city counts), so their numbers should be compared for trend, not size.
    """
    from .data import load_incidents

    data = load_incidents()
    wanted = set(groups)
    data = data[data["target_group"].map(lambda g: bool(wanted & set(g))) & data["period_end"].notna()]
    if data.empty:
        raise ChartError(f"no incident figures for {sorted(wanted)}; see data/incidents for the target groups")
    collector = data["collector"].astype(str).str.replace(r"\s*\(.*\)$", "", regex=True)
    frame = pd.DataFrame(
        {
            "date": data["period_end"].dt.strftime("%Y-%m-%d"),
            "collector": collector,
            "what": data["measure"].astype(str).map(lambda m: _label(m, MEASURE_LABELS)),
            "group": data["target_group"].map(lambda gs: ", ".join(_label(g, GROUP_LABELS) for g in gs)),
            # The legend's name for the group: a count of several groups at once gets a short name (the
            # tooltip lists them), so the legend never cuts a label short.
            "targeted": data["target_group"].map(
                lambda gs: _label(gs[0], GROUP_LABELS) if len(gs) == 1 else tr("Several groups")
            ),
            "value": data["value"].astype(int),
            "label": data["value"].map("{:,}".format),
            "release": data["release"].astype(str),
        }
    )
    # Figures written on the chart: each series' first, largest and latest (every figure is in the
    # tooltip and the data table); all of them at once crowd a long series into an unreadable pile.
    series = frame.groupby(["collector", "what", "group"], sort=False)["value"]
    frame["order"] = frame.groupby(["collector", "what", "group"], sort=False)["date"].rank(method="first")
    key = frame["order"]
    named = (key == 1) | (key == series.transform("count")) | (frame["value"] == series.transform("max"))
    frame["shown"] = frame["label"].where(named, "")
    frame = frame.drop(columns="order")
    description = tr(
        "Counts of {groups} hate incidents or crimes from {count} collectors ({collectors}), {first_year} to "
        "{last_year}, one panel each with its own scale, because each collector counts something different."
    ).format(
        groups=", ".join(sorted(_label(g, GROUP_LABELS) for g in wanted)),
        count=frame["collector"].nunique(),
        collectors=", ".join(sorted(frame["collector"].unique())),
        first_year=frame["date"].min()[:4],
        last_year=frame["date"].max()[:4],
    )
    base = alt.Chart().encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
        y=alt.Y("value:Q", title=tr("count")),
        opacity=alt.Opacity(
            "targeted:N",
            scale=alt.Scale(range=[1.0, 0.5, 0.25]),
            legend=alt.Legend(orient="bottom", title=tr("Targeted group"), labelLimit=400, columns=1),
        ),
        tooltip=[
            alt.Tooltip("collector:N", title=tr("Collector")),
            alt.Tooltip("what:N", title=tr("What is counted")),
            alt.Tooltip("group:N", title=tr("Groups counted")),
            alt.Tooltip("label:N", title=tr("Count")),
            alt.Tooltip("date:T", title=tr("Period ending"), format="%B %Y"),
            alt.Tooltip("release:N", title=tr("Release")),
        ],
    )
    # What is counted by colour AND shape (a black-and-white copy keeps the shapes), on the points only;
    # the targeted group by how solid the mark is, which a grey copy keeps too. The figures are set in
    # the text colour: coloured too, they split the points' one legend into two.
    legend = alt.Legend(orient="bottom", title=tr("What is counted"), labelLimit=400, columns=1)
    points = base.mark_point(filled=True, size=90).encode(
        color=alt.Color("what:N", legend=legend), shape=alt.Shape("what:N", legend=legend)
    )
    layers = points + base.mark_text(dy=-10, fontSize=11).encode(text="shown:N")
    return (
        layers.properties(width=560, height=120)
        .facet(
            row=alt.Row(
                "collector:N",
                title=None,
                header=alt.Header(
                    labelOrient="top", labelAnchor="start", labelFontSize=13, labelFontWeight="bold", labelLimit=600
                ),
            ),
            data=frame,
            description=description,
        )
        .resolve_scale(y="independent")
    )


def self_assessment_chart(
    ratings: dict[str, int], steps: int = 5, low: str = N_("Not yet"), high: str = N_("Strongly")
) -> alt.Chart:
    """A learner's own ratings (from exercises.scale) as labelled bars on a 1-to-``steps`` scale."""
    low, high = tr(low), tr(high)
    frame = pd.DataFrame({"practice": list(ratings), "rating": [int(v) for v in ratings.values()]})
    strongest = frame.loc[frame["rating"].idxmax(), "practice"]
    description = tr(
        "Bar chart of your ratings of {count} items on a scale from 1 ({low}) to {steps} ({high}); "
        "the highest is {strongest} at {rating}."
    ).format(count=len(frame), low=low, steps=steps, high=high, strongest=strongest, rating=frame["rating"].max())
    base = alt.Chart(frame, description=description).encode(
        y=alt.Y("practice:N", sort=None, title=None),
        x=alt.X(
            "rating:Q",
            scale=alt.Scale(domain=[0, steps]),
            axis=alt.Axis(tickMinStep=1),
            title=tr("1 = {low}, {steps} = {high}").format(low=low, steps=steps, high=high),
        ),
        tooltip=["practice:N", "rating:Q"],
    )
    bars = base.mark_bar(color=PALETTE[2])
    labels = base.mark_text(align="left", dx=4, fontSize=13).encode(text="rating:Q")
    return (bars + labels).properties(width=420, description=description)
