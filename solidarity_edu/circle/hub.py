"""One call in a jupyterhub_config.py adds the circle service::

    from solidarity_edu.circle.hub import add_circle_service
    add_circle_service(c)                                   # SQLite beside the hub
    add_circle_service(c, database_url=os.environ["CIRCLE_DB"])   # PostgreSQL

It registers the hub-managed service "circle", the custom scope that marks facilitators, a role that
gives every user access to the service, a role that gives the hub group ``facilitators`` the
facilitator scope, lets single-user servers' tokens reach the service (so the lesson widgets can share
from a kernel), and tells the servers where the service is.
"""

from __future__ import annotations

import sys
from typing import Any

from . import (
    DATABASE_ENV,
    FACILITATE_SCOPE,
    MIN_SHARES_ENV,
    PROMPTS_ENV,
    SECRET_ENV,
    SECRET_FILE_ENV,
    SERVICE_NAME,
    TRUSTED_PROXY_ENV,
    URL_ENV,
)

ACCESS_SCOPE = f"access:services!service={SERVICE_NAME}"
# JupyterHub's default scopes for a single-user server's own token, plus the circle.
SERVER_SCOPES = ["users:activity!user", "access:servers!server", ACCESS_SCOPE]


def _current(section: Any, name: str, default: Any) -> Any:
    """A value already set in a traitlets config section (unset values are lazy placeholders there;
    ``c.JupyterHub.services.append(...)`` before this call leaves a lazy value that we resolve)."""
    value = section.get(name, default)
    if hasattr(value, "get_value"):
        value = value.get_value(type(default)())
    return value


def _append_role(c: Any, role: dict) -> None:
    roles = [r for r in list(_current(c.JupyterHub, "load_roles", [])) if r.get("name") != role["name"]]
    c.JupyterHub.load_roles = [*roles, role]


def add_circle_service(
    c: Any,
    *,
    database_url: str | None = None,
    facilitator_group: str = "facilitators",
    port: int = 10101,
    secret: str | None = None,
    secret_file: str | None = None,
    service_url_for_servers: str | None = None,
    min_shares: int | None = None,
    prompts: str | None = None,
    trusted_proxy: bool = False,
) -> None:
    """Add the circle service to a JupyterHub config object ``c`` (see the module docstring).

    ``database_url``: SQLAlchemy URL of the circle store (default: circle.sqlite3 in the hub's folder).
    ``secret``: the owner-key secret; required with PostgreSQL. With SQLite and no ``secret``, it is a
    file kept apart from the database: ``secret_file``, else one in the hub user's ~/.config (never
    beside the database, so one copy of the database's folder never holds both).
    ``service_url_for_servers``: how kernels reach the service (default http://127.0.0.1:PORT/services/circle/);
    on Kubernetes this is the proxy's address, e.g. http://proxy-public/services/circle/.
    ``min_shares``: k, how many must share on a prompt before the facilitator sees it (default 3).
    ``prompts``: a prompt manifest file (``solidarity-edu circle manifest``) for a course other than the
    one shipped with the package.
    ``trusted_proxy``: believe X-Forwarded-For. Leave it off while kernels reach the service directly
    (the default URL above): anyone could then write that header.
    """
    environment = {}
    if database_url:
        environment[DATABASE_ENV] = database_url
    else:
        environment[DATABASE_ENV] = "sqlite:///circle.sqlite3"
    if secret:
        environment[SECRET_ENV] = secret
    if secret_file:
        environment[SECRET_FILE_ENV] = str(secret_file)
    if min_shares is not None:
        if isinstance(min_shares, bool) or not isinstance(min_shares, int) or min_shares < 1:
            raise ValueError(f"min_shares must be a whole number of participants, at least 1, not {min_shares!r}")
        environment[MIN_SHARES_ENV] = str(min_shares)
    if prompts:
        environment[PROMPTS_ENV] = str(prompts)
    if trusted_proxy:
        environment[TRUSTED_PROXY_ENV] = "1"
    services = [s for s in list(_current(c.JupyterHub, "services", [])) if s.get("name") != SERVICE_NAME]
    services.append(
        {
            "name": SERVICE_NAME,
            "url": f"http://127.0.0.1:{port}",
            "command": [sys.executable, "-m", "solidarity_edu.circle.service"],
            "environment": environment,
            "oauth_no_confirm": True,
            "oauth_client_allowed_scopes": [FACILITATE_SCOPE],
            "display": True,
            "info": {"description": "Study circle: answers participants chose to share, without names"},
        }
    )
    c.JupyterHub.services = services
    custom = dict(_current(c.JupyterHub, "custom_scopes", {}))
    custom[FACILITATE_SCOPE] = {"description": "See the anonymous summary of what a study circle shared."}
    c.JupyterHub.custom_scopes = custom
    _append_role(c, {"name": "user", "scopes": ["self", ACCESS_SCOPE]})
    _append_role(c, {"name": "server", "scopes": list(SERVER_SCOPES)})
    _append_role(
        c,
        {
            "name": "circle-facilitator",
            "description": "Facilitators of the study circle",
            "scopes": [FACILITATE_SCOPE, ACCESS_SCOPE],
            "groups": [facilitator_group],
        },
    )
    groups = dict(_current(c.JupyterHub, "load_groups", {}))
    groups.setdefault(facilitator_group, {"users": []})
    c.JupyterHub.load_groups = groups
    env = dict(_current(c.Spawner, "environment", {}))
    env[URL_ENV] = service_url_for_servers or f"http://127.0.0.1:{port}/services/{SERVICE_NAME}/"
    c.Spawner.environment = env
