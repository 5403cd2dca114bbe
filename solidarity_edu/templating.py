"""Pages the package writes from templates (solidarity_edu/templates/): the exports' index, the journal
export, the circle's summary page. One Jinja environment; HTML templates escape everything by default.
Templates write their own words as ``{{ tr("Answer key") }}`` (see :mod:`solidarity_edu.i18n`)."""

from __future__ import annotations

import functools
from typing import Any

from . import pagestyle
from .i18n import current_language, tr


@functools.lru_cache(maxsize=2)
def _environment(autoescape: bool) -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("solidarity_edu", "templates"),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["style"] = pagestyle
    env.globals["tr"] = tr  # the page's own words in the current language (solidarity_edu.i18n)
    env.globals["current_language"] = current_language  # the page's lang attribute
    return env


def render(name: str, **context: Any) -> str:
    """Render ``templates/<name>``; ``.html`` templates escape every value unless marked safe."""
    return _environment(name.endswith((".html", ".html.j2"))).get_template(name).render(**context)


def safe(markup: str) -> Any:
    """Mark HTML the package made itself (already escaped) as safe to insert in a template."""
    import markupsafe

    return markupsafe.Markup(markup)
