"""The circle service: a small web app that JupyterHub starts and puts behind its proxy.

Every request is authenticated by the hub (OAuth in a browser, the participant's API token from a
kernel), so only members of the hub reach it. Routes, under the service prefix (/services/circle/):

    POST   api/shares            share (or replace) my answer to one prompt      201
    GET    api/shares/PROMPT     have I shared this prompt?                      200 {"shared": bool}
    DELETE api/shares/PROMPT     withdraw my share                               200 {"shared": false}
    GET    api/summary?lesson=07 the circle's shares, summed up (facilitators)   200 / 403
    GET    facilitator?lesson=07 the same as a page to project (facilitators)    200 / 403

Facilitators are hub users whose token carries the custom scope ``custom:solidarity-circle:facilitate``
(granted to the hub group "facilitators" by ``hub.add_circle_service``). Bad input gets a 4xx with a
JSON ``{"error": ..., "field": ...}`` and changes nothing. Run by the hub as
``python -m solidarity_edu.circle.service``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import defaultdict, deque
from typing import Any
from urllib.parse import urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop

from ..errors import CircleError, ShareRejected
from . import FACILITATE_SCOPE
from .shares import MAX_BODY_BYTES, PROMPT_ID, parse_share
from .store import CircleStore
from .summary import summarize, summary_html

log = logging.getLogger(__name__)
WRITES_PER_MINUTE = 30
_LESSON = re.compile(r"^\d{2}$")


class RateLimiter:
    """At most ``limit`` writes per participant in any ``window`` seconds (kept in memory only)."""

    def __init__(self, limit: int = WRITES_PER_MINUTE, window: float = 60.0) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, who: str) -> bool:
        now = time.monotonic()
        seen = self._seen[who]
        while seen and now - seen[0] > self.window:
            seen.popleft()
        if len(seen) >= self.limit:
            return False
        seen.append(now)
        return True


class _Handler(HubOAuthenticated, web.RequestHandler):
    @property
    def store(self) -> CircleStore:
        return self.settings["circle_store"]

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.set_header("Referrer-Policy", "no-referrer")

    def who(self) -> str:
        user = self.current_user
        if user.get("kind") != "user":
            raise web.HTTPError(403, "only hub users can share with a circle")
        return user["name"]

    def is_facilitator(self) -> bool:
        return FACILITATE_SCOPE in set(self.current_user.get("scopes", []))

    def send_json(self, status: int, payload: dict[str, Any]) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(payload, ensure_ascii=False))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = self._reason
        err = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(err, web.HTTPError) and err.log_message:
            reason = err.log_message
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps({"error": reason}))

    def prompt_arg(self, prompt: str) -> str:
        if not PROMPT_ID.match(prompt):
            raise web.HTTPError(400, "prompt must be a prompt id like '07-who'")
        return prompt

    def lesson_arg(self) -> str | None:
        lesson = self.get_argument("lesson", "") or None
        if lesson is not None and not _LESSON.match(lesson):
            raise web.HTTPError(400, "lesson must be two digits, like 07")
        return lesson

    def require_facilitator(self) -> None:
        if not self.is_facilitator():
            raise web.HTTPError(403, "only the circle's facilitators can see the summary")


class SharesHandler(_Handler):
    @web.authenticated
    def post(self) -> None:
        who = self.who()
        if not self.settings["rate_limiter"].allow(who):
            self.send_json(429, {"error": "too many shares in a minute; wait a moment and try again"})
            return
        try:
            share = parse_share(self.request.body)
        except ShareRejected as err:
            too_big = len(self.request.body) > MAX_BODY_BYTES
            self.send_json(413 if too_big else 400, {"error": str(err), "field": err.field})
            return
        self.store.put(who, share)
        log.info("a share for %s was stored", share.prompt)
        self.send_json(201, {"shared": True, "prompt": share.prompt})


class ShareHandler(_Handler):
    @web.authenticated
    def get(self, prompt: str) -> None:
        self.send_json(200, {"shared": self.store.is_shared(self.who(), self.prompt_arg(prompt))})

    @web.authenticated
    def delete(self, prompt: str) -> None:
        who = self.who()
        if not self.settings["rate_limiter"].allow(who):
            self.send_json(429, {"error": "too many changes in a minute; wait a moment and try again"})
            return
        self.store.withdraw(who, self.prompt_arg(prompt))
        self.send_json(200, {"shared": False})


class SummaryHandler(_Handler):
    @web.authenticated
    def get(self) -> None:
        self.require_facilitator()
        self.send_json(200, {"prompts": summarize(self.store.all_shares(self.lesson_arg()))})


class FacilitatorPage(_Handler):
    @web.authenticated
    def get(self) -> None:
        self.require_facilitator()
        lesson = self.lesson_arg()
        title = f"What the circle shared: lesson {lesson}" if lesson else "What the circle shared"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        lessons = sorted({share.lesson for share in self.store.all_shares()})
        self.finish(summary_html(summarize(self.store.all_shares(lesson)), title, lessons, lesson))


class HomePage(_Handler):
    @web.authenticated
    def get(self) -> None:
        self.redirect(self.settings["prefix"] + "facilitator")


def make_app(store: CircleStore, prefix: str = "/services/circle/") -> web.Application:
    """The tornado application; ``prefix`` is where the hub's proxy routes the service."""
    if not prefix.endswith("/"):
        prefix += "/"
    routes = [
        (prefix, HomePage),
        (prefix + "api/shares", SharesHandler),
        (prefix + r"api/shares/([^/]+)", ShareHandler),
        (prefix + "api/summary", SummaryHandler),
        (prefix + "facilitator", FacilitatorPage),
        (prefix + "oauth_callback", HubOAuthCallbackHandler),
    ]
    return web.Application(
        routes,
        circle_store=store,
        rate_limiter=RateLimiter(),
        prefix=prefix,
        cookie_secret=os.urandom(32),
        max_body_size=64 * 1024,
    )


def main() -> None:
    """Entry point for the hub: reads JUPYTERHUB_SERVICE_URL/PREFIX and the circle database URL."""
    logging.basicConfig(level=logging.INFO, format="[circle %(levelname)s %(asctime)s] %(message)s")
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/circle/")
    try:
        store = CircleStore()
    except CircleError as err:
        log.error("%s", err)
        raise SystemExit(2) from err
    server = HTTPServer(make_app(store, prefix), xheaders=True)
    server.listen(url.port or 80, url.hostname or "127.0.0.1")
    log.info("circle service on %s%s (store: %s)", url.geturl(), prefix, store.url.split("@")[-1])
    IOLoop.current().start()


if __name__ == "__main__":
    main()
