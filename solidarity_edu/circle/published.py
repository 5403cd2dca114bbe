"""When the facilitator's summary of a prompt may change: in batches, so no one's answer shows alone.

Polling the summary before and after one person shares would recover that person's answer (the
difference). So the service publishes a prompt's summary as a *snapshot* and keeps showing it until at
least k (``min_shares``) different participants have changed something on that prompt (shared, replaced,
withdrawn, or a facilitator hid a share). The next snapshot then mixes at least k changes. The first
snapshot appears once k people have shared. Texts are shuffled once per snapshot (a fixed random seed),
so reloading shows the same order and the order says nothing about arrival.

Withdrawn or hidden texts leave the page at once (a person's right to take their words back outweighs
the batch; removing a text reveals only which text it was, which the facilitator had already seen);
counts and averages wait for the batch.

Snapshots live in the service's memory: a restart starts afresh from what is stored (deploy/README.md).
Changes are counted by owner key (an HMAC), never by name.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from typing import Any

from .catalogue import Catalogue
from .shares import StoredShare
from .store import Records
from .summary import summarize_prompt


class Publisher:
    """The published snapshots of every prompt, and the changes waiting for the next one."""

    def __init__(self, min_shares: int) -> None:
        self.min_shares = min_shares
        self._snapshots: dict[str, dict[str, Any]] = {}
        self._pending: dict[str, set[str]] = defaultdict(set)

    def changed(self, prompt: str, owner_key: str) -> None:
        """Someone changed their share of ``prompt`` (counted once per person until the next snapshot)."""
        self._pending[prompt].add(owner_key)

    def pending(self, prompt: str) -> int:
        return len(self._pending.get(prompt, ()))

    def summaries(self, records: Records, catalogue: Catalogue, lesson: str | None = None) -> list[dict[str, Any]]:
        """What the facilitator may see now: one summary per prompt with a snapshot, in prompt order."""
        by_prompt: dict[str, list[StoredShare]] = defaultdict(list)
        for stored in records.shares:
            by_prompt[stored.share.prompt].append(stored)
        prompts = set(by_prompt) | {p for p in self._snapshots if lesson is None or p.startswith(f"{lesson}-")}
        shown = []
        for prompt in sorted(prompts):
            current = by_prompt.get(prompt, [])
            snapshot = self._snapshots.get(prompt)
            if snapshot is None or self.pending(prompt) >= self.min_shares:
                snapshot = self._publish(prompt, current, catalogue)
            if snapshot is not None:
                snapshot = self._snapshots[prompt] = _still_current(snapshot, current)  # forget withdrawn texts
                shown.append(snapshot)
        return shown

    def _publish(self, prompt: str, current: list[StoredShare], catalogue: Catalogue) -> dict[str, Any] | None:
        if len(current) < self.min_shares:
            self._snapshots.pop(prompt, None)  # too few now: shown again once k have shared
            return None
        snapshot = summarize_prompt(prompt, current, catalogue.get(prompt), seed=secrets.randbits(64))
        if snapshot["count"] < self.min_shares:
            self._snapshots.pop(prompt, None)
            return None
        self._pending.pop(prompt, None)
        self._snapshots[prompt] = snapshot
        return snapshot


def _still_current(snapshot: dict[str, Any], current: list[StoredShare]) -> dict[str, Any]:
    """The snapshot without texts that were withdrawn, hidden or rewritten since it was taken."""
    if "texts" not in snapshot:
        return snapshot
    now = {stored.id: stored.share.value for stored in current}
    texts = [entry for entry in snapshot["texts"] if now.get(entry["id"]) == entry["text"]]
    return {**snapshot, "texts": texts}
