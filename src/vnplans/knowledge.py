"""Declarative knowledge (header synonyms, unit aliases, index components, deadline
phrasings …) lives in YAML files under `vnplans/extractors/`.

A user extends it without touching code: every directory listed in the environment
variable ``VNPLANS_EXTRACTORS`` (separated by ``os.pathsep``) may hold files of the same
names; their content is merged over the bundled file (mappings merged key by key,
lists extended, scalars replaced).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

BUNDLED_DIR = Path(__file__).parent / "extractors"
ENV_VAR = "VNPLANS_EXTRACTORS"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def user_dirs() -> list[Path]:
    raw = os.environ.get(ENV_VAR, "")
    return [Path(p) for p in raw.split(os.pathsep) if p.strip()]


def merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read extractor data: {exc}") from exc


@cache
def load(name: str) -> Any:
    """The merged content of `extractors/<name>.yaml` (bundled plus user directories)."""
    data = _read(BUNDLED_DIR / f"{name}.yaml")
    for directory in user_dirs():
        candidate = directory / f"{name}.yaml"
        if candidate.is_file():
            data = merge(data, _read(candidate))
    return data
