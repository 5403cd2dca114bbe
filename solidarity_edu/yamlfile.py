"""Reading a YAML file with errors that name the file (used for course.yaml and every meta.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path, error: type[Exception], missing_hint: str) -> Any:
    """The parsed file; ``error`` names the file when it is missing (with ``missing_hint``) or not YAML."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise error(f"{path}: {missing_hint}") from err
    except yaml.YAMLError as err:
        raise error(f"{path}: not valid YAML: {err}".replace("\n", " ")) from err
