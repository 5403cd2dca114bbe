"""deploy/z2jh/values.yaml against the Zero to JupyterHub chart, checked the way Helm checks it.

Helm deep-merges a deployment's values over the chart's values.yaml and validates the result against
the chart's values.schema.yaml (JSON Schema draft 7, `additionalProperties: false` at most levels). The
chart's two files are vendored in tests/fixtures/z2jh (chart commit 48ea50e, BSD-3, see its README) so a
clone anywhere can run this; SOLIDARITY_EDU_Z2JH_DIR checks against another copy (a newer chart).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path, PurePosixPath

import pytest
import yaml
from jsonschema import Draft7Validator
from jupyterhub.traitlets import ByteSpecification

from solidarity_edu.link import repo_name

CHART_FILES = ("values.yaml", "values.schema.yaml")


def chart_dir(root: Path) -> Path:
    candidates = [root / "tests" / "fixtures" / "z2jh"]
    if os.environ.get("SOLIDARITY_EDU_Z2JH_DIR"):
        candidates = [Path(os.environ["SOLIDARITY_EDU_Z2JH_DIR"])]
    for folder in candidates:
        if all((folder / name).is_file() for name in CHART_FILES):
            return folder
    pytest.fail(
        f"the Zero to JupyterHub chart's values.yaml and values.schema.yaml were not found in "
        f"{' or '.join(str(c) for c in candidates)}: restore tests/fixtures/z2jh from git or set "
        "SOLIDARITY_EDU_Z2JH_DIR to a folder holding them"
    )


def helm_merge(defaults: dict, overrides: dict) -> dict:
    """Helm's coalescing of user values over chart defaults: maps merge key by key, the user's value
    wins otherwise (lists are replaced, not appended), and a user `null` deletes the chart's key."""
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None and key in merged:
            del merged[key]
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def schema_errors(values: dict, schema: dict) -> list[str]:
    validator = Draft7Validator(schema)
    return [
        f"{'.'.join(str(p) for p in error.absolute_path) or '<top>'}: {error.message}"
        for error in sorted(validator.iter_errors(values), key=lambda e: list(map(str, e.absolute_path)))
    ]


@pytest.fixture(scope="module")
def chart(root) -> tuple[dict, dict]:
    folder = chart_dir(root)
    return (
        yaml.safe_load((folder / "values.yaml").read_text()),
        yaml.safe_load((folder / "values.schema.yaml").read_text()),
    )


@pytest.fixture(scope="module")
def ours(root) -> dict:
    return yaml.safe_load((root / "deploy" / "z2jh" / "values.yaml").read_text())


@pytest.fixture(scope="module")
def merged(chart, ours) -> dict:
    return helm_merge(chart[0], ours)


def test_helm_merge_behaves_like_helm():
    defaults = {"a": {"b": 1, "c": [1, 2], "d": "x"}, "e": 1, "f": {"g": 1}}
    user = {"a": {"b": 2, "c": [3], "d": None, "new": True}, "f": "scalar", "h": {"i": 1}}
    assert helm_merge(defaults, user) == {
        "a": {"b": 2, "c": [3], "new": True},
        "e": 1,
        "f": "scalar",
        "h": {"i": 1},
    }
    assert defaults["a"]["d"] == "x", "the chart's defaults must not be modified"


def test_values_validate_against_the_chart_schema(chart, merged):
    errors = schema_errors(merged, chart[1])
    assert not errors, "deploy/z2jh/values.yaml breaks the chart's schema:\n" + "\n".join(errors)


def test_a_misspelled_key_is_caught(chart, ours):
    broken = copy.deepcopy(ours)
    broken["singleuser"]["memroy"] = broken["singleuser"].pop("memory")
    errors = schema_errors(helm_merge(chart[0], broken), chart[1])
    assert any(e.startswith("singleuser:") and "memroy" in e for e in errors), errors


def test_a_wrong_type_is_caught(chart, ours):
    broken = copy.deepcopy(ours)
    broken["cull"]["timeout"] = "an hour"
    errors = schema_errors(helm_merge(chart[0], broken), chart[1])
    assert any(e.startswith("cull.timeout:") for e in errors), errors


def test_post_start_pulls_the_lessons_with_gitpuller(merged):
    command = merged["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert all(isinstance(part, str) for part in command)
    script = " ".join(command)
    words = script.split()
    assert "gitpuller" in words
    repo, branch, folder = words[words.index("gitpuller") + 1 : words.index("gitpuller") + 4]
    assert repo.startswith("https://") and branch == "main"
    # The folder `solidarity-edu link` opens by default: the repository's name, in the home volume.
    assert PurePosixPath(folder).parent == PurePosixPath(merged["singleuser"]["storage"]["homeMountPath"])
    assert PurePosixPath(folder).name == repo_name(repo)
    assert "||" in script, "a failed pull must not stop the participant's server"


def test_idle_culler_is_on(merged):
    assert merged["cull"]["enabled"] is True
    assert 0 < merged["cull"]["timeout"] <= 4 * 3600
    assert merged["cull"]["users"] is False, "culling must stop servers, not delete participants"


def test_placeholders_hold_room_for_a_circle_and_give_way(chart, merged):
    """Placeholders are on, sized for the smallest circle in deploy/README.md, and can be evicted:
    pod priority is on and placeholders rank below participants."""
    scheduling = merged["scheduling"]
    assert chart[0]["scheduling"]["userPlaceholder"]["replicas"] == 0  # the chart alone keeps no room
    assert scheduling["userPlaceholder"]["enabled"] is True
    assert scheduling["userPlaceholder"]["replicas"] >= 15
    assert scheduling["podPriority"]["enabled"] is True
    assert scheduling["podPriority"]["userPlaceholderPriority"] < scheduling["podPriority"]["defaultPriority"]


def test_memory_limit_covers_the_guarantee(merged):
    memory = merged["singleuser"]["memory"]
    to_bytes = ByteSpecification().validate
    guarantee, limit = to_bytes(None, memory["guarantee"]), to_bytes(None, memory["limit"])
    assert 0 < guarantee <= limit
    # The measured server with two lessons open (deploy/README.md, "Sizes") must fit in the guarantee.
    assert guarantee >= 416 * 2**20


def test_images_are_ours_not_the_charts(chart, merged):
    defaults = chart[0]
    assert merged["singleuser"]["image"]["name"] != defaults["singleuser"]["image"]["name"]
    assert merged["hub"]["image"]["name"] != defaults["hub"]["image"]["name"]
    assert merged["singleuser"]["image"]["tag"] != "set-by-chartpress"
    assert merged["hub"]["image"]["tag"] != "set-by-chartpress"


def test_hub_runs_the_circle_service(merged):
    extra = merged["hub"]["extraConfig"]
    code = "\n".join(extra.values())
    assert "from solidarity_edu.circle.hub import add_circle_service" in code
    assert "add_circle_service(" in code
    assert 'database_url=os.environ["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"]' in code
    assert 'secret=os.environ["SOLIDARITY_EDU_CIRCLE_SECRET"]' in code
    env = merged["hub"]["extraEnv"]
    for name in ("SOLIDARITY_EDU_CIRCLE_DATABASE_URL", "SOLIDARITY_EDU_CIRCLE_SECRET"):
        assert env[name]["valueFrom"]["secretKeyRef"]["name"], f"{name} must come from a k8s Secret"
    assert env["SOLIDARITY_EDU_HUB_POD_IP"]["valueFrom"]["fieldRef"]["fieldPath"] == "status.podIP"
    assert "circle" in merged["hub"]["services"]


def test_circle_port_is_the_same_everywhere(merged):
    """add_circle_service's port, the hub Service, hub ingress, proxy and participant egress, kernels' URL."""
    port = 10101
    hub = merged["hub"]
    assert f"CIRCLE_PORT = {port}\n" in "\n".join(hub["extraConfig"].values())
    assert {"name": "circle", "port": port, "targetPort": port} in hub["service"]["extraPorts"]
    assert any({"port": port} in rule["ports"] for rule in hub["networkPolicy"]["ingress"])
    for egress in (merged["proxy"]["chp"]["networkPolicy"]["egress"], merged["singleuser"]["networkPolicy"]["egress"]):
        assert any({"port": port} in rule["ports"] for rule in egress)
    assert merged["singleuser"]["extraEnv"]["SOLIDARITY_EDU_CIRCLE_URL"] == f"http://hub:{port}/services/circle/"


def test_login_and_landing_page(merged):
    config = merged["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "nativeauthenticator.NativeAuthenticator"
    assert config["NativeAuthenticator"]["open_signup"] is False
    assert config["NativeAuthenticator"]["allow_all"] is True
    # No default admin (the first to sign up under it would be admin): extraConfig requires one at install.
    assert "admin_users" not in config.get("Authenticator", {})
    assert "SOLIDARITY_EDU_HUB_ADMINS" in "\n".join(merged["hub"]["extraConfig"].values())
    assert merged["singleuser"]["defaultUrl"] == "/lab"
