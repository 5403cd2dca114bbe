"""Reading YAML: course.yaml, every meta.yaml and source list, and the data cells of every lesson.

``parse_yaml`` is ``yaml.safe_load`` through libyaml's C parser when PyYAML has it (the wheels do): the
same data and the same errors, about ten times faster. A build reads every lesson's data cells before it
runs one, so this is most of a one-lesson rebuild's fixed cost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, with libyaml's C parser where available."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def read_yaml(path: Path, error: type[Exception], missing_hint: str) -> Any:
    """The parsed file; ``error`` names the file when it is missing (with ``missing_hint``) or not YAML."""
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise error(f"{path}: {missing_hint}") from err
    except yaml.YAMLError as err:
        raise error(f"{path}: not valid YAML: {err}".replace("\n", " ")) from err
