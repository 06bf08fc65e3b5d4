#!/usr/bin/env bash
# The whole test suite (the README's test command and CI's).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || scripts/setup.sh
.venv/bin/ruff check src tests benchmarks scripts
.venv/bin/python -m vnplans.schema --check
exec .venv/bin/python -m pytest -q "$@"
