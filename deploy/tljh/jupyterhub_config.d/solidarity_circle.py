"""Study circles on The Littlest JupyterHub (TLJH).

deploy/tljh/setup.sh copies this file to /opt/tljh/config/jupyterhub_config.d/, which TLJH loads after
its own configuration (tljh-config: authenticator, memory limit, idle culler). It adds what tljh-config
cannot express:

- the circle service (answers participants choose to share), from solidarity_edu.circle.hub;
- NativeAuthenticator's page templates, when that authenticator is the one chosen.

solidarity-edu is installed twice on TLJH: fully in the user environment (/opt/tljh/user, where lessons
run) and without dependencies in the hub environment (/opt/tljh/hub), so that this file can import it
without touching the JupyterHub version TLJH pins. The circle service runs with the hub environment's
Python; it needs only JupyterHub, tornado and SQLAlchemy, which that environment has.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from solidarity_edu.circle.hub import add_circle_service

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# SQLite in a folder only root can read (setup.sh creates it); the owner-key secret is kept apart from it,
# in root's ~/.config/solidarity-edu/circle-secrets/ (SOLIDARITY_EDU_CIRCLE_SECRET_FILE to choose).
# SOLIDARITY_EDU_CIRCLE_MIN_SHARES (k, default 3): the facilitator sees a prompt once this many shared on it.
add_circle_service(
    c,
    database_url=os.environ.get("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", "sqlite:////srv/solidarity-circle/circle.sqlite"),
    min_shares=int(os.environ.get("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", "3")),
)

if "nativeauthenticator" in str(c.JupyterHub.get("authenticator_class", "")):
    native = importlib.util.find_spec("nativeauthenticator")
    if native and native.origin:  # "Sign up" on the login page, "Authorize users" for admins
        c.JupyterHub.template_paths = [str(Path(native.origin).parent / "templates")]

# A class logging in at once queues instead of failing: at most this many servers start together, the
# others are answered 429 with Retry-After (see deploy/jupyterhub_config.py and deploy/README.md,
# "Warming the hub before a session").
c.JupyterHub.concurrent_spawn_limit = int(os.environ.get("SOLIDARITY_EDU_SPAWN_LIMIT", 4 * (os.cpu_count() or 1)))
