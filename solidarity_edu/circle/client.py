"""What a lesson's widgets call to share with the circle: the hub's service, or a store on this machine.

``current_circle()`` decides, from the environment the kernel runs in:

- on a JupyterHub with the circle service: ``SOLIDARITY_EDU_CIRCLE_URL`` and the server's
  ``JUPYTERHUB_API_TOKEN`` are set (``add_circle_service`` arranges it) -> ``HubCircle``;
- on a laptop for a demo or a small session: ``SOLIDARITY_EDU_CIRCLE=local`` (``solidarity-edu lab
  --circle``) -> ``LocalCircle``, a SQLite store everyone on the machine shares
  (``SOLIDARITY_EDU_CIRCLE_DATABASE_URL`` moves it);
- otherwise ``None``: no circle, and the widgets show no share box at all.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import urllib.error
import urllib.request
from typing import Any, Protocol

from ..errors import CircleError
from . import LOCAL_ENV, URL_ENV
from .shares import Share, validate_share

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 5  # a prompt cell waits at most this long for a circle that does not answer


class Circle(Protocol):
    def share(self, share: Share) -> None: ...
    def withdraw(self, prompt: str) -> None: ...
    def is_shared(self, prompt: str) -> bool: ...


def make_share(
    prompt: str, question: str, kind: str, value: Any, options: list[str] | None = None, steps: int = 0
) -> Share:
    """A validated share (raises ShareRejected with a plain message if the answer cannot be shared)."""
    payload: dict[str, Any] = {"prompt": prompt, "question": question, "kind": kind, "value": value}
    if options:
        payload["options"] = list(options)
    if kind == "scale":
        payload["steps"] = steps
    return validate_share(payload)


class HubCircle:
    """The hub's circle service, reached with this server's own API token."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url if url.endswith("/") else url + "/"
        self._token = token

    def _call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Authorization", f"token {self._token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as err:
            try:
                message = json.loads(err.read() or b"{}").get("error") or err.reason
            except json.JSONDecodeError:
                message = err.reason
            raise CircleError(f"the circle said no ({err.code}): {message}") from err
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            raise CircleError(f"the circle service at {self.url} cannot be reached ({err}); try again later") from err

    def share(self, share: Share) -> None:
        self._call("POST", "api/shares", share.to_dict())

    def withdraw(self, prompt: str) -> None:
        self._call("DELETE", f"api/shares/{prompt}")

    def is_shared(self, prompt: str) -> bool:
        return bool(self._call("GET", f"api/shares/{prompt}").get("shared"))


def local_participant_id() -> str:
    """A random id for this learner on this machine, kept beside the journal (never a name)."""
    from ..journal import default_path

    path = default_path().parent / "circle-id"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(16))
    return path.read_text().strip()


class LocalCircle:
    """A circle store on this machine (a demo, or a small session on one computer)."""

    def __init__(self, url: str | None = None, participant: str | None = None) -> None:
        from .store import CircleStore

        self.store = CircleStore(url)
        self.participant = participant or local_participant_id()

    def share(self, share: Share) -> None:
        self.store.put(self.participant, share)

    def withdraw(self, prompt: str) -> None:
        self.store.withdraw(self.participant, prompt)

    def is_shared(self, prompt: str) -> bool:
        return self.store.is_shared(self.participant, prompt)


def current_circle() -> Circle | None:
    """The circle this kernel belongs to, or None when sharing is not set up here."""
    url, token = os.environ.get(URL_ENV), os.environ.get("JUPYTERHUB_API_TOKEN")
    if url and token:
        return HubCircle(url, token)
    if os.environ.get(LOCAL_ENV, "").lower() == "local":
        return LocalCircle()
    return None
