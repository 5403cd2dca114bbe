"""The circle service: a small web app that JupyterHub starts and puts behind its proxy.

Every request is authenticated by the hub (OAuth in a browser, the participant's API token from a
kernel), so only members of the hub reach it. Routes, under the service prefix (/services/circle/):

    POST   api/shares            share (or replace) my answer to one prompt      201
    GET    api/shares/PROMPT     have I shared this prompt?                      200 {"shared": bool}
    DELETE api/shares/PROMPT     withdraw my share                               200 {"shared": false}
    GET    api/summary?lesson=07 the circle's shares, summed up (facilitators)   200 / 403
    GET    facilitator?lesson=07 the same as a page to project (facilitators)    200 / 403
    POST   facilitator/hide      hide one shared text from the summary           303 / 403 / 404

Facilitators are hub users whose token carries the custom scope ``custom:solidarity-circle:facilitate``
(granted to the hub group "facilitators" by ``hub.add_circle_service``). A share must fit one of the
course's prompts (:mod:`.catalogue`, :mod:`.shares`). Bad input gets a 4xx with a JSON
``{"error": ..., "field": ...}`` and changes nothing. A body over 16 KiB is refused with 413 from its
Content-Length, before anything is read or anyone is authenticated; the HTTP server itself stops reading
at 64 KiB. The summary shows a prompt once k participants shared on it and changes in batches of k
(:mod:`.published`). The access log names no prompt and carries no token, and a share's own requests
are logged at debug level only, so no log line ties a participant to a share.

Settings (environment, set by ``add_circle_service``): the store's URL and secret,
``SOLIDARITY_EDU_CIRCLE_MIN_SHARES`` (k, default 3), ``SOLIDARITY_EDU_CIRCLE_PROMPTS`` (a prompt
manifest; default: the course shipped with the package) and ``SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY``
("1" to believe X-Forwarded-For: only when every request comes through a proxy that sets it). Run by
the hub as ``python -m solidarity_edu.circle.service``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import defaultdict, deque
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlparse

from jupyterhub.services.auth import HubOAuthCallbackHandler, HubOAuthenticated
from tornado import httputil, web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.log import access_log

from ..errors import CircleError, ShareRejected
from ..lesson import PROMPT_ID
from . import FACILITATE_SCOPE, MIN_SHARES_ENV, TRUSTED_PROXY_ENV
from .catalogue import Catalogue
from .published import Publisher
from .shares import MAX_BODY_BYTES, parse_share
from .store import CircleStore
from .summary import DEFAULT_MIN_SHARES, summary_html

log = logging.getLogger(__name__)
WRITES_PER_MINUTE = 30
# tornado's own limits (HTTPServer): it stops reading a body beyond this and closes the connection.
SERVER_MAX_BODY = 4 * MAX_BODY_BYTES
SERVER_MAX_BUFFER = 256 * 1024
_LESSON = re.compile(r"[0-9]{2}")
_SHARE_ID = re.compile(r"[1-9][0-9]{0,9}")
_SECRET_ARGS = {"token", "code", "state", "_xsrf"}
_PROMPT_IN_PATH = re.compile(r"(/api/shares/)[^/?]+")


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


def redacted_uri(uri: str) -> str:
    """A request's path and query as the log may show it: no prompt id, no token, code or XSRF value."""
    path, _, query = uri.partition("?")
    path = _PROMPT_IN_PATH.sub(r"\1PROMPT", path)
    if not query:
        return path
    pairs = [(k, "[redacted]" if k.lower() in _SECRET_ARGS else v) for k, v in parse_qsl(query, keep_blank_values=True)]
    return f"{path}?{urlencode(pairs, safe='[]')}"


def log_request(handler: web.RequestHandler) -> None:
    """The access log: no token, no prompt; a share's own requests at debug level and without an address
    (on Kubernetes the address is a participant's pod, so it would name them)."""
    status = handler.get_status()
    request = handler.request
    share_route = "/api/shares" in request.path
    if status >= 500:
        level = logging.ERROR
    elif status >= 400:
        level = logging.WARNING
    else:
        level = logging.DEBUG if share_route else logging.INFO
    where = "" if share_route else f" ({request.remote_ip})"
    elapsed = 1000.0 * request.request_time()
    access_log.log(level, "%d %s %s%s %.2fms", status, request.method, redacted_uri(request.uri or ""), where, elapsed)


class _Redacted:
    """tornado's warning for a refused request repeats its URI and address: without prompt or token here."""

    def _request_summary(self) -> str:
        return f"{self.request.method} {redacted_uri(self.request.uri or '')}"


@web.stream_request_body
class _Handler(_Redacted, HubOAuthenticated, web.RequestHandler):
    """Every route: security headers, JSON errors, and a body read only when it is small enough.

    The body streams in (``data_received``) after ``prepare`` has checked Content-Length, so a large body
    is refused with 413 before it is read and before the hub is asked who is calling."""

    def prepare(self) -> None:
        self._body = bytearray()
        self._too_big = False
        length = self.request.headers.get("Content-Length")
        if length is None:
            return
        if not length.isascii() or not length.isdigit():
            raise web.HTTPError(400, "Content-Length must be a number of bytes")
        if int(length) > MAX_BODY_BYTES:
            raise web.HTTPError(413, f"the body is {int(length)} bytes; the limit is {MAX_BODY_BYTES}")

    def data_received(self, chunk: bytes) -> None:
        if self._too_big:
            return
        if len(self._body) + len(chunk) > MAX_BODY_BYTES:
            self._too_big = True  # a chunked body with no Content-Length: stop keeping it
            self._body.clear()
            return
        self._body += chunk

    @property
    def body(self) -> bytes:
        if self._too_big:
            raise web.HTTPError(413, f"the body is over the limit of {MAX_BODY_BYTES} bytes")
        return bytes(self._body)

    @property
    def store(self) -> CircleStore:
        return self.settings["circle_store"]

    @property
    def catalogue(self) -> Catalogue:
        return self.settings["catalogue"]

    @property
    def publisher(self) -> Publisher:
        return self.settings["publisher"]

    def set_default_headers(self) -> None:
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        )
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("Cache-Control", "no-store")

    def user(self) -> dict:
        """The hub user asking (403 without one; cookie sessions need the XSRF token on writes)."""
        user = self.current_user
        if not user:
            raise web.HTTPError(403, "log in to the hub first (or send your API token)")
        return user

    def who(self) -> str:
        user = self.user()
        if user.get("kind") != "user":
            raise web.HTTPError(403, "only hub users can share with a circle")
        return user["name"]

    def is_facilitator(self) -> bool:
        return FACILITATE_SCOPE in set(self.user().get("scopes", []))

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
        if not PROMPT_ID.fullmatch(prompt):
            raise web.HTTPError(400, "prompt must be a prompt id like '07-who'")
        spec = self.catalogue.get(prompt)
        if spec is None or not spec.shareable:
            raise web.HTTPError(404, f"{prompt} is not a prompt of this course that can be shared")
        return prompt

    def lesson_arg(self) -> str | None:
        lesson = self.get_argument("lesson", "") or None
        if lesson is not None and not _LESSON.fullmatch(lesson):
            raise web.HTTPError(400, "lesson must be two digits, like 07")
        return lesson

    def require_facilitator(self) -> None:
        if not self.is_facilitator():
            raise web.HTTPError(403, "only the circle's facilitators can see the summary")

    def current_summaries(self, lesson: str | None) -> tuple[list[dict[str, Any]], int]:
        records = self.store.records(lesson, self.catalogue)
        return self.publisher.summaries(records, self.catalogue, lesson), records.unreadable


class SharesHandler(_Handler):
    def post(self) -> None:
        who = self.who()
        if not self.settings["rate_limiter"].allow(who):
            self.send_json(429, {"error": "too many shares in a minute; wait a moment and try again"})
            return
        try:
            share = parse_share(self.body, self.catalogue)
        except ShareRejected as err:
            self.send_json(400, {"error": str(err), "field": err.field})
            return
        self.store.put(who, share)
        self.publisher.changed(share.prompt, self.store.owner_key(who, share.prompt))
        log.debug("a share was stored")  # no prompt, no name: see the module docstring
        self.send_json(201, {"shared": True, "prompt": share.prompt})


class ShareHandler(_Handler):
    def get(self, prompt: str) -> None:
        who = self.who()
        self.send_json(200, {"shared": self.store.is_shared(who, self.prompt_arg(prompt))})

    def delete(self, prompt: str) -> None:
        who = self.who()
        if not self.settings["rate_limiter"].allow(who):
            self.send_json(429, {"error": "too many changes in a minute; wait a moment and try again"})
            return
        prompt = self.prompt_arg(prompt)
        if self.store.withdraw(who, prompt):
            self.publisher.changed(prompt, self.store.owner_key(who, prompt))
        self.send_json(200, {"shared": False})


class SummaryHandler(_Handler):
    def get(self) -> None:
        self.require_facilitator()
        summaries, unreadable = self.current_summaries(self.lesson_arg())
        payload = {"min_shares": self.publisher.min_shares, "prompts": summaries, "unreadable": unreadable}
        self.send_json(200, payload)


class FacilitatorPage(_Handler):
    @web.authenticated
    def get(self) -> None:
        self.require_facilitator()
        lesson = self.lesson_arg()
        title = f"What the circle shared: lesson {lesson}" if lesson else "What the circle shared"
        summaries, unreadable = self.current_summaries(lesson)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        token = self.xsrf_token
        hide = {"xsrf": token.decode("ascii") if isinstance(token, bytes) else token, "lesson": lesson or ""}
        page = summary_html(
            summaries,
            title,
            self.catalogue.lessons(),
            lesson,
            min_shares=self.publisher.min_shares,
            unreadable=unreadable,
            hide=hide,
        )
        self.finish(page)


class HideHandler(_Handler):
    """A facilitator hides one shared text (the page's button: a form POST carrying the XSRF token)."""

    def post(self) -> None:
        self._read_form()  # before authentication: the hub's XSRF check reads _xsrf from the form
        self.require_facilitator()
        raw = self.get_body_argument("share", "")
        if not _SHARE_ID.fullmatch(raw):
            raise web.HTTPError(400, "share must be the number of a shared answer, as the page's button sends it")
        prompt = self.store.hide(int(raw))
        if prompt is None:
            raise web.HTTPError(404, f"there is no shared answer {raw} (withdrawn already?)")
        self.publisher.changed(prompt, f"hidden-{raw}")
        log.info("a facilitator hid a shared answer to %s from the summary", prompt)
        lesson = self.get_body_argument("lesson", "")
        where = f"?lesson={lesson}" if _LESSON.fullmatch(lesson) else ""
        self.redirect(f"{self.settings['prefix']}facilitator{where}", status=303)

    def _read_form(self) -> None:
        content_type = self.request.headers.get("Content-Type", "")
        httputil.parse_body_arguments(
            content_type, self.body, self.request.body_arguments, self.request.files, self.request.headers
        )
        for name, values in self.request.body_arguments.items():
            self.request.arguments.setdefault(name, []).extend(values)


class HomePage(_Handler):
    @web.authenticated
    def get(self) -> None:
        self.redirect(self.settings["prefix"] + "facilitator")


class OAuthCallback(_Redacted, HubOAuthCallbackHandler):
    """The hub's OAuth callback, logged without its code and state."""


def make_app(
    store: CircleStore,
    prefix: str = "/services/circle/",
    *,
    catalogue: Catalogue | None = None,
    min_shares: int = DEFAULT_MIN_SHARES,
) -> web.Application:
    """The tornado application; ``prefix`` is where the hub's proxy routes the service."""
    if not prefix.endswith("/"):
        prefix += "/"
    routes = [
        (prefix, HomePage),
        (prefix + "api/shares", SharesHandler),
        (prefix + r"api/shares/([^/]+)", ShareHandler),
        (prefix + "api/summary", SummaryHandler),
        (prefix + "facilitator", FacilitatorPage),
        (prefix + "facilitator/hide", HideHandler),
        (prefix + "oauth_callback", OAuthCallback),
    ]
    return web.Application(
        routes,
        circle_store=store,
        catalogue=catalogue or Catalogue.load(),
        publisher=Publisher(min_shares),
        rate_limiter=RateLimiter(),
        prefix=prefix,
        cookie_secret=os.urandom(32),
        log_function=log_request,
    )


def min_shares_setting() -> int:
    """k from $SOLIDARITY_EDU_CIRCLE_MIN_SHARES (default 3); CircleError for anything but a whole number >= 1."""
    raw = os.environ.get(MIN_SHARES_ENV, "").strip()
    if not raw:
        return DEFAULT_MIN_SHARES
    if not raw.isascii() or not raw.isdigit() or int(raw) < 1:
        raise CircleError(
            f"{MIN_SHARES_ENV} must be a whole number of participants, at least 1 (default 3), not {raw!r}"
        )
    return int(raw)


def make_server(app: web.Application) -> HTTPServer:
    """The HTTP server with the body limits tornado enforces itself, and X-Forwarded-For believed only
    when $SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY says every request comes through a proxy that sets it."""
    trusted = os.environ.get(TRUSTED_PROXY_ENV, "").strip().lower() in {"1", "true", "yes"}
    return HTTPServer(app, xheaders=trusted, max_body_size=SERVER_MAX_BODY, max_buffer_size=SERVER_MAX_BUFFER)


def main() -> None:
    """Entry point for the hub: reads JUPYTERHUB_SERVICE_URL/PREFIX and the circle settings."""
    logging.basicConfig(level=logging.INFO, format="[circle %(levelname)s %(asctime)s] %(message)s")
    url = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", "http://127.0.0.1:10101"))
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/circle/")
    try:
        store = CircleStore()
        catalogue = Catalogue.load()
        min_shares = min_shares_setting()
    except CircleError as err:
        log.error("%s", err)
        raise SystemExit(2) from err
    server = make_server(make_app(store, prefix, catalogue=catalogue, min_shares=min_shares))
    server.listen(url.port or 80, url.hostname or "127.0.0.1")
    log.info(
        "circle service on %s%s (store: %s; %d prompts from %s; a prompt shows once %d have shared)",
        url.geturl(),
        prefix,
        store.url.split("@")[-1],
        len(catalogue.prompts),
        catalogue.source,
        min_shares,
    )
    IOLoop.current().start()


if __name__ == "__main__":
    main()
