"""Generate or check `schemas/plan-document.schema.json` from the pydantic contract.

    python -m vnplans.schema --write   # regenerate after changing vnplans.models
    python -m vnplans.schema --check   # fail when the checked-in schema is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from vnplans.models import PlanDocument

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "plan-document.schema.json"


def render() -> str:
    schema = PlanDocument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://vnplans.example/schemas/plan-document.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", action="store_true")
    group.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        return 0
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
    if current != text:
        print(f"{SCHEMA_PATH} is stale: run `python -m vnplans.schema --write`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
