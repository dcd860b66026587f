#!/usr/bin/env bash
# Installs the independent SARIF validator the lint tests use (sarif-pydantic, a
# SARIF 2.1.0 object model from PyPI) into .venv/ and prints that Python. Idempotent.
set -euo pipefail
version=0.6.2
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('sarif-pydantic') != '$version')" 2>/dev/null; then
  echo "setup-sarif-validator: installing sarif-pydantic==$version into $venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "sarif-pydantic==$version" >&2
fi
echo "$venv/bin/python"
