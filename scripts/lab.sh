#!/usr/bin/env bash
# Opens the classic Jupyter Notebook on notebooks/ with the project's tslab kernel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JUPYTER_PATH="$root/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
exec /usr/bin/python3 -m notebook --notebook-dir="$root/notebooks" "$@"
