#!/usr/bin/env bash
# Make .venv (Python >= 3.12, which textarena 0.7.4 needs) with autoharness, its dev tools and Ray.
# Idempotent: reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

works() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }

find_python() {
  if [[ -n "${PYTHON:-}" ]] && works "$PYTHON"; then echo "$PYTHON"; return; fi
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null && works "$candidate"; then command -v "$candidate"; return; fi
  done
  # pyenv keeps other versions out of PATH unless selected: look for them directly.
  local root="${PYENV_ROOT:-$HOME/.pyenv}"
  for candidate in "$root"/versions/3.1[2-9]*/bin/python3; do
    if [[ -x "$candidate" ]] && works "$candidate"; then echo "$candidate"; return; fi
  done
  echo "autoharness needs Python >= 3.12 (textarena 0.7.4 uses 3.12 syntax); none found." >&2
  echo "Install one (e.g. 'pyenv install 3.12') or set PYTHON=/path/to/python3.12." >&2
  exit 2
}

if [[ ! -x .venv/bin/python ]] || ! works .venv/bin/python; then
  rm -rf .venv
  "$(find_python)" -m venv .venv
fi
stamp=.venv/.autoharness-installed
if [[ ! -f $stamp || pyproject.toml -nt $stamp ]]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  # ray: the test suite runs bench and learn --games on a local Ray cluster too
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
  touch "$stamp"
fi
