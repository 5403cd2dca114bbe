"""environment.yml (conda/Binder) and pyproject.toml list the same dependencies."""

from __future__ import annotations

import tomllib

import yaml


def test_environment_matches_pyproject(root):
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((root / "environment.yml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    listed = sorted(p.replace(" ", "") for p in pip if not p.startswith("-e"))
    assert listed == sorted(p.replace(" ", "") for p in project["dependencies"])
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]
    for required in ("jupyterlab", "ipywidgets", "nbconvert", "pandas", "altair", "papermill"):
        assert any(p.startswith(required) for p in listed), required
