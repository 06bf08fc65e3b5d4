#!/usr/bin/env bash
# Sets up a fresh machine: Debian packages (OCR, PDF tools, fonts, LibreOffice Writer), the PostgreSQL
# server, and a virtualenv in .venv with vnplans and its dev dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

# libreoffice-writer-nogui: .doc input (converted to .docx) and the tests of it.
APT_PACKAGES=(poppler-utils tesseract-ocr tesseract-ocr-vie fonts-liberation fonts-liberation2 fonts-dejavu-core qpdf
              libreoffice-writer-nogui)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# PostgreSQL for the store tests; started when the machine has it but it is not running.
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev]"
# Byte-compile the package: it is installed editable (from src/), so nothing compiled
# it, and with PYTHONDONTWRITEBYTECODE set (as on CI and here) every `vnplans` command
# would compile its ~50 modules again (~0.1 s of each start). A stale .pyc is harmless:
# Python checks each one against its source's mtime and size and recompiles if needed.
.venv/bin/python -m compileall -q src/vnplans
