#!/usr/bin/env bash
# Creates .venv with Python 3.10 and installs the pinned dependencies when they changed.
# Rasa 3.6 runs only on Python 3.10, so this looks for one and says what to do if none.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 \
      "$HOME"/.pyenv/versions/3.10*/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  if ! python=$(find_python); then
    cat >&2 <<'MSG'
Python 3.10 was not found. Rasa 3.6 needs Python 3.10 (3.11 and newer will not work).
Install it (for example `pyenv install 3.10` or your system's python3.10 package),
or point to it with PYTHON=/path/to/python3.10, then run the command again.
MSG
    exit 1
  fi
  echo "==> Creating .venv with $($python --version) ($python)"
  "$python" -m venv .venv
fi

want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
have=$(cat .venv/.deps.sha256 2>/dev/null || true)
if [ "$want" != "$have" ]; then
  echo "==> Installing pinned dependencies into .venv (first time: several minutes, ~2 GB)"
  .venv/bin/python -m pip install --quiet --upgrade "pip<25" wheel
  if ! .venv/bin/python -m pip install --progress-bar off -r requirements.txt -c constraints.txt \
      | { grep -E --line-buffered '^(Collecting|Successfully installed)' || true; } \
      | cut -c1-110 | sed 's/^/    /'; then
    echo "Installing dependencies failed (see above). Check the network to the package index," >&2
    echo "then run the command again; it resumes where it stopped." >&2
    exit 1
  fi
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check >&2; exit 1; }
  echo "$want" > .venv/.deps.sha256
else
  echo "==> Dependencies are up to date (.venv)"
fi
