#!/usr/bin/env bash
# Opens the classic Jupyter Notebook on notebooks/ with the project's tslab kernel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The kernelspec (scripts/install-kernel.js) records absolute paths: the node that wrote it and this checkout's
# scripts/kernel.js. After the repository moves or another node comes first on PATH, those paths start a dead
# kernel, so the spec is rewritten whenever it is missing or either path differs from the current one.
spec="$root/.jupyter/kernels/tslab-imc/kernel.json"
if ! node -e '
  const fs = require("fs"), path = require("path");
  const [spec, root] = process.argv.slice(1);
  const argv = JSON.parse(fs.readFileSync(spec, "utf8")).argv || [];
  process.exit(argv[0] === process.execPath && argv[1] === path.join(root, "scripts", "kernel.js") ? 0 : 1);
' "$spec" "$root" 2>/dev/null; then
  echo "lab: kernelspec missing or recorded for another node or checkout; rewriting it"
  node "$root/scripts/install-kernel.js"
fi

export JUPYTER_PATH="$root/.jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
exec /usr/bin/python3 -m notebook --notebook-dir="$root/notebooks" "$@"
