"""JupyterHub for a study circle on one machine (plain JupyterHub, no TLJH, no Kubernetes).

Run as root from the virtualenv that has solidarity-edu installed (see deploy/README.md, "One machine"):

    /opt/solidarity-edu/venv/bin/jupyterhub -f /opt/solidarity-edu/deploy/jupyterhub_config.py

Everything that differs between machines comes from environment variables. One has no default:

    SOLIDARITY_EDU_HUB_ADMINS            REQUIRED: your hub username (comma-separated for several). They
                                         approve sign-ups, and NativeAuthenticator approves an admin's own
                                         sign-up at once, so sign up under it before you share the address.

The others have these defaults:

    SOLIDARITY_EDU_HUB_BIND_URL          http://127.0.0.1:8000 (put Caddy or nginx in front for HTTPS)
    SOLIDARITY_EDU_HUB_PUBLIC_URL        unset; e.g. https://circle.example.org
    SOLIDARITY_EDU_HUB_STATE             /srv/solidarity-circle (hub database, cookie secret, circle store)
    SOLIDARITY_EDU_CIRCLE_DATABASE_URL   sqlite:////srv/solidarity-circle/circle.sqlite
    SOLIDARITY_EDU_FACILITATORS          unset (comma-separated; added to the hub group "facilitators")
    SOLIDARITY_EDU_MEM_LIMIT             1G    (per participant; see the README's "Sizes")
    SOLIDARITY_EDU_MEM_GUARANTEE         512M
    SOLIDARITY_EDU_CULL_TIMEOUT          3600  (seconds without activity before a server is stopped)
    SOLIDARITY_EDU_CHP                   configurable-http-proxy (the proxy command, if not on PATH)
    SOLIDARITY_EDU_CIRCLE_MIN_SHARES     3     (the facilitator sees a prompt once this many shared on it)
"""

from __future__ import annotations

import importlib.util
import os
import pwd
import re
import subprocess
import sys
from pathlib import Path

from solidarity_edu.circle.hub import add_circle_service

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _names(name: str, default: str = "") -> set[str]:
    return {n.strip().lower() for n in _env(name, default).split(",") if n.strip()}


USERNAME = re.compile(r"[a-z][a-z0-9_-]{0,23}")  # each participant becomes the Unix account jupyter-<name>


def _admins() -> set[str]:
    """The admin names the person installing chose; no default, since the first to sign up under a
    default name would become admin."""
    admins = _names("SOLIDARITY_EDU_HUB_ADMINS")
    if not admins:
        raise SystemExit(
            "SOLIDARITY_EDU_HUB_ADMINS is not set: give your own hub username (for example "
            "Environment=SOLIDARITY_EDU_HUB_ADMINS=ana in the systemd unit, deploy/README.md), start the hub, "
            "and sign up under that name at /hub/signup before you share the address"
        )
    bad = sorted(name for name in admins if not USERNAME.fullmatch(name))
    if bad:
        raise SystemExit(
            f"SOLIDARITY_EDU_HUB_ADMINS: {', '.join(bad)} cannot be a username here "
            "(a lower-case letter, then up to 23 lower-case letters, digits, '_' or '-')"
        )
    return admins


STATE = Path(_env("SOLIDARITY_EDU_HUB_STATE", "/srv/solidarity-circle"))
VENV_BIN = Path(sys.prefix) / "bin"

# --- the hub and its proxy -----------------------------------------------------------------------
c.JupyterHub.bind_url = _env("SOLIDARITY_EDU_HUB_BIND_URL", "http://127.0.0.1:8000")
if os.environ.get("SOLIDARITY_EDU_HUB_PUBLIC_URL"):
    c.JupyterHub.public_url = os.environ["SOLIDARITY_EDU_HUB_PUBLIC_URL"]
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.command = [_env("SOLIDARITY_EDU_CHP", "configurable-http-proxy")]
# Restarting the hub (to change a setting mid-session) leaves participants' servers running.
c.JupyterHub.cleanup_servers = False
# A class logging in at once: at most this many servers start together; a participant beyond it is
# answered 429 with Retry-After ("Too many users trying to log in right now") and gets in on trying
# again, so the burst queues instead of overloading the machine. 4 per core kept a 2-core test machine
# busy without starving the servers already starting
# (tests/hub/test_load.py: 30 participants at once; deploy/README.md, "Warming the hub before a session").
c.JupyterHub.concurrent_spawn_limit = int(_env("SOLIDARITY_EDU_SPAWN_LIMIT", str(4 * (os.cpu_count() or 1))))

# --- who can log in: NativeAuthenticator, every sign-up approved by an admin ----------------------
# pip install jupyterhub-nativeauthenticator (into this virtualenv)
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.NativeAuthenticator.open_signup = False  # a sign-up waits until an admin approves it at /hub/authorize
# JupyterHub 5+ lets nobody in without an "allow" rule; the approval above is that rule.
c.NativeAuthenticator.allow_all = True
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 600
c.Authenticator.admin_users = _admins()
# Each participant becomes the Unix account jupyter-<name>: at most 32 characters, lower case.
c.Authenticator.username_pattern = rf"^{USERNAME.pattern}$"
_native = importlib.util.find_spec("nativeauthenticator")
if _native and _native.origin:  # its pages add "Sign up" and the admins' "Authorize users" links
    c.JupyterHub.template_paths = [str(Path(_native.origin).parent / "templates")]

# Facilitators: members of the hub group "facilitators" (add_circle_service grants that group its scope).
if _names("SOLIDARITY_EDU_FACILITATORS"):
    c.JupyterHub.load_groups = {"facilitators": {"users": sorted(_names("SOLIDARITY_EDU_FACILITATORS"))}}

# --- each participant's server: SystemdSpawner, one Unix account and one memory cap each ----------
# pip install jupyterhub-systemdspawner (into this virtualenv)
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.username_template = "jupyter-{USERNAME}"
c.SystemdSpawner.unit_name_template = "jupyter-{USERNAME}"
c.SystemdSpawner.extra_paths = [str(VENV_BIN)]  # jupyterhub-singleuser, the kernel and nbgitpuller
c.SystemdSpawner.default_shell = "/bin/bash"
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
# Measured by bench/memory_per_participant.py (README, "Sizes"): a participant's server with one lesson
# open takes 271 MiB, with two 416 MiB; every further open lesson adds about 140 MiB.
c.Spawner.mem_limit = _env("SOLIDARITY_EDU_MEM_LIMIT", "1G")  # systemd MemoryMax: enforced
c.Spawner.mem_guarantee = _env("SOLIDARITY_EDU_MEM_GUARANTEE", "512M")
# systemd has no reservation; MemoryLow keeps this much of each server out of the kernel's reclaim.
c.SystemdSpawner.unit_extra_properties = {"MemoryLow": _env("SOLIDARITY_EDU_MEM_GUARANTEE", "512M")}
c.Spawner.default_url = "/lab"


def ensure_system_user(spawner) -> None:
    """Create the participant's Unix account (jupyter-<name>, private home) on their first start."""
    system_name = f"jupyter-{spawner.user.name}"
    try:
        pwd.getpwnam(system_name)
    except KeyError:
        subprocess.run(
            ["useradd", "--create-home", "--shell", "/bin/bash", "--comment", "study circle participant", system_name],
            check=True,
        )
        os.chmod(pwd.getpwnam(system_name).pw_dir, 0o700)  # journals stay readable by their owner only


c.Spawner.pre_spawn_hook = ensure_system_user

# --- the circle: sharing answers with the group (hub-managed service from solidarity-edu) ---------
# Kernels reach the service directly at 127.0.0.1 (not through Caddy), so X-Forwarded-For is not
# trusted there (add_circle_service's trusted_proxy stays off): nobody can fake the logged address.
add_circle_service(
    c,
    database_url=_env("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", f"sqlite:///{STATE / 'circle.sqlite'}"),
    min_shares=int(_env("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", "3")),
)

# --- idle culling: stop servers nobody has used for an hour (answers are already saved) -----------
# pip install jupyterhub-idle-culler (into this virtualenv)
c.JupyterHub.services.append(
    {
        "name": "jupyterhub-idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(_env('SOLIDARITY_EDU_CULL_TIMEOUT', '3600'))}",
            "--cull-every=300",
            "--concurrency=5",
        ],
    }
)
c.JupyterHub.load_roles.append(
    {
        "name": "jupyterhub-idle-culler",
        "description": "What jupyterhub-idle-culler needs: find idle servers and stop them",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    }
)
