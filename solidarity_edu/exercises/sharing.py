"""The "Share with my circle (anonymous)" box under a prompt, shown only when a study circle is set up.

Ticking it shares the saved answer without a name; saving again updates the share; unticking withdraws
it. A failure to share never touches the journal: the answer stays saved privately.
"""

from __future__ import annotations

import logging
from typing import Any

from ..errors import CircleError, ShareRejected
from ..i18n import N_, tr
from ..pagestyle import escape
from ..prompts import Prompt
from .widgets import Store

log = logging.getLogger(__name__)
SHARE_LABEL = N_("Share with my circle (anonymous)")


def share_box(store: Store, prompt: Prompt) -> list[Any]:
    """The box for ``prompt`` (off by default), or nothing without a circle or for a personal prompt."""
    if not prompt.shareable:
        return []
    from ..circle.client import current_circle, make_share

    try:
        circle = current_circle()
    except CircleError as err:
        log.warning("%s", err)
        return []
    if circle is None:
        return []
    import ipywidgets as w

    kind = prompt.share_kind
    options = list(prompt.options) if kind in ("choice", "order", "scale") else None
    steps = prompt.steps if kind == "scale" else 0
    box = w.Checkbox(value=False, description=tr(SHARE_LABEL), indent=False, layout=w.Layout(width="auto"))
    note = w.HTML("", layout=w.Layout(margin="0 0 0 0.8em"))
    quiet: list[bool] = []  # set while the box is changed by the code, not by the learner

    def set_box(value: bool) -> None:
        quiet.append(True)
        try:
            box.value = value
        finally:
            quiet.pop()

    try:
        set_box(circle.is_shared(store.prompt_id))
        if box.value:
            note.value = tr("Shared with your circle, without your name.")
    except CircleError as err:
        box.disabled = True
        note.value = escape(tr("Sharing is not available right now: {reason}").format(reason=err))

    def send() -> None:
        if store.last is None:
            set_box(False)
            note.value = tr("Save an answer first, then you can share it.")
            return
        try:
            circle.share(make_share(store.prompt_id, store.question, kind, store.last.value, options, steps))
        except (ShareRejected, CircleError) as err:
            set_box(False)
            note.value = escape(tr("Not shared: {reason}. Your answer is still saved privately.").format(reason=err))
            return
        note.value = tr("Shared with your circle, without your name. Untick to withdraw it.")

    def withdraw() -> None:
        try:
            circle.withdraw(store.prompt_id)
        except CircleError as err:
            set_box(True)
            note.value = escape(tr("Could not withdraw yet: {reason}. Try again in a moment.").format(reason=err))
            return
        note.value = tr("Withdrawn: your circle no longer sees this answer.")

    def on_toggle(change: dict) -> None:
        if quiet:
            return
        try:
            send() if change["new"] else withdraw()
        except Exception:  # a learner never sees a traceback
            log.exception("sharing %s failed", store.prompt_id)

    def after_save() -> None:
        if box.value:
            send()

    box.observe(on_toggle, names="value")
    store.after_save.append(after_save)
    return [w.HBox([box, note])]
