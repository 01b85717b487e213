"""The course's one way of reading YAML: libyaml's safe loader where PyYAML has it (the same safe
subset as `yaml.safe_load`, about ten times faster on the texts), else the pure-Python one. Errors
are `yaml.YAMLError`, as with `yaml.safe_load`."""

from __future__ import annotations

from typing import Any

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Any:
    """The data of one YAML document."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader, C or Python)
