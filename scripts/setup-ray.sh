#!/usr/bin/env bash
# Installs Ray's C++ API (the pinned ray[cpp] wheel from PyPI) into .venv/ and prints
# the directory holding its ray/cpp (headers in include/, libray_api.so in lib/).
# ray[default] comes too: its dashboard serves the state API (`ray list tasks`) the
# multi-node test reads to show where tasks and actors ran.
# Idempotent: an existing install of the pinned version is reused.
set -euo pipefail
ray_version=2.60.0
root=$(cd "$(dirname "$0")/.." && pwd)
venv=$root/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c "import aiohttp, ray, sys; sys.exit(ray.__version__ != '$ray_version')" 2>/dev/null; then
  echo "setup-ray: installing ray[cpp,default]==$ray_version into $venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "ray[cpp,default]==$ray_version" >&2
fi
"$venv/bin/python" -c "import os, ray; print(os.path.join(os.path.dirname(ray.__file__), 'cpp'))"
