#!/usr/bin/env bash
# Prepares a fresh Debian machine: Jupyter and data from Debian packages, npm dependencies, and the
# project-local tslab kernelspec. Idempotent. With --if-needed it only acts on what is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
apt_packages=(jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel dataset-fashion-mnist fonts-dejavu-core)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm dependencies: install when node_modules is absent or older than the lockfile.
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
fi

# The kernelspec records absolute paths (the node that wrote it, this checkout's scripts/kernel.js); with
# --if-needed it is rewritten only when missing or when either path no longer matches (repository moved, other node).
kernelspec_current() {
  node -e '
    const fs = require("fs"), path = require("path");
    const [spec, root] = process.argv.slice(1);
    const argv = JSON.parse(fs.readFileSync(spec, "utf8")).argv || [];
    process.exit(argv[0] === process.execPath && argv[1] === path.join(root, "scripts", "kernel.js") ? 0 : 1);
  ' "$root/.jupyter/kernels/tslab-imc/kernel.json" "$root" 2>/dev/null
}
if [ "${1:-}" != "--if-needed" ] || ! kernelspec_current; then
  node scripts/install-kernel.js
fi

/usr/bin/python3 -c "import nbclient, ipykernel" 2>/dev/null || { echo "setup: python3 nbclient missing after install"; exit 1; }
