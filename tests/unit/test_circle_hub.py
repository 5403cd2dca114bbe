"""add_circle_service: what it adds to a JupyterHub config, keeping what was there."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from solidarity_edu.circle import FACILITATE_SCOPE
from solidarity_edu.circle.hub import ACCESS_SCOPE, add_circle_service


def test_the_service_scopes_and_roles_are_added_and_earlier_settings_kept():
    c = Config()
    c.JupyterHub.services.append({"name": "other", "url": "http://127.0.0.1:9000"})
    c.JupyterHub.load_groups = {"facilitators": {"users": ["fa"]}}
    c.Spawner.environment.update({"KEEP": "1"})
    add_circle_service(c, database_url="sqlite:////srv/circle.sqlite3", port=10111, secret="s3cret")
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert set(services) == {"other", "circle"}
    circle = services["circle"]
    assert circle["url"] == "http://127.0.0.1:10111"
    assert circle["command"][-1] == "solidarity_edu.circle.service"
    assert circle["environment"]["SOLIDARITY_EDU_CIRCLE_DATABASE_URL"] == "sqlite:////srv/circle.sqlite3"
    assert circle["environment"]["SOLIDARITY_EDU_CIRCLE_SECRET"] == "s3cret"
    assert FACILITATE_SCOPE in c.JupyterHub.custom_scopes
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert roles["circle-facilitator"]["groups"] == ["facilitators"]
    assert FACILITATE_SCOPE in roles["circle-facilitator"]["scopes"]
    assert ACCESS_SCOPE in roles["user"]["scopes"] and FACILITATE_SCOPE not in roles["user"]["scopes"]
    assert ACCESS_SCOPE in roles["server"]["scopes"]
    assert c.JupyterHub.load_groups["facilitators"] == {"users": ["fa"]}
    assert c.Spawner.environment == {
        "KEEP": "1",
        "SOLIDARITY_EDU_CIRCLE_URL": "http://127.0.0.1:10111/services/circle/",
    }


def test_calling_it_twice_does_not_duplicate_anything():
    c = Config()
    add_circle_service(c)
    add_circle_service(c)
    assert [s["name"] for s in c.JupyterHub.services] == ["circle"]
    names = [r["name"] for r in c.JupyterHub.load_roles]
    assert len(names) == len(set(names))


def test_k_the_prompt_manifest_and_the_trusted_proxy_reach_the_service():
    c = Config()
    add_circle_service(c)
    plain = c.JupyterHub.services[0]["environment"]
    assert not {"SOLIDARITY_EDU_CIRCLE_MIN_SHARES", "SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY"} & set(plain)
    add_circle_service(c, min_shares=5, prompts="/srv/prompts.json", trusted_proxy=True)
    env = c.JupyterHub.services[0]["environment"]
    assert env["SOLIDARITY_EDU_CIRCLE_MIN_SHARES"] == "5"
    assert env["SOLIDARITY_EDU_CIRCLE_PROMPTS"] == "/srv/prompts.json"
    assert env["SOLIDARITY_EDU_CIRCLE_TRUSTED_PROXY"] == "1"
    for bad in (0, True, "3"):
        with pytest.raises(ValueError, match="min_shares"):
            add_circle_service(Config(), min_shares=bad)
