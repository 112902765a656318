/**
 * scripts/kernel.js: the project kernel exits when the process that launched it dies without shutting it down (the
 * headless runner kills a notebook's executor at its timeout). Jupyter starts kernels in a session of their own, so
 * without this the kernel ran on. Needs the Debian Jupyter packages and the project kernelspec (npm install).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { spawnSync } from "child_process";
import { projectRoot } from "../src/util/project-root";

// A launcher starts the kernel through jupyter_client, waits until it runs, and is killed with SIGKILL; the script
// then reports how many seconds the kernel outlived it (or "alive" after 30 s, when it kills the kernel itself). The
// bound is loose on purpose: a loaded machine (notebooks running alongside) delays the kernel's 2-s parent check.
const PROBE = String.raw`
import os, sys, time, signal, subprocess
root, name = sys.argv[1], sys.argv[2]
code = '''
import os, sys, time
os.environ["JUPYTER_PATH"] = sys.argv[1] + "/.jupyter"
from jupyter_client import KernelManager
km = KernelManager(kernel_name=sys.argv[2])
km.start_kernel(cwd=sys.argv[1])
print(km.provisioner.process.pid, flush=True)
time.sleep(600)
'''
p = subprocess.Popen([sys.executable, "-c", code, root, name], stdout=subprocess.PIPE, text=True)
kpid = int(p.stdout.readline())
alive = lambda: os.path.exists(f"/proc/{kpid}") and open(f"/proc/{kpid}/stat").read().split()[2] != "Z"
time.sleep(3)
if not alive(): print("died-early"); sys.exit(0)
os.kill(p.pid, signal.SIGKILL); p.wait()
for t in range(30):
    time.sleep(1)
    if not alive(): print(t + 1); sys.exit(0)
os.kill(kpid, signal.SIGKILL)
print("alive")
`;

test("the kernel exits within a few seconds once its launcher is killed", () => {
  const root = projectRoot();
  const kernels = path.join(root, ".jupyter", "kernels");
  const name = fs.existsSync(kernels) ? fs.readdirSync(kernels)[0] : undefined;
  assert.ok(name, "the project kernelspec exists (npm install writes it)");
  const r = spawnSync("/usr/bin/python3", ["-c", PROBE, root, name!], { encoding: "utf8", timeout: 90_000 });
  const out = r.stdout.trim();
  assert.ok(/^\d+$/.test(out), `kernel outlived its launcher: ${out} ${r.stderr.slice(-500)}`);
  assert.ok(Number(out) <= 15, `exited ${out} s after the launcher`); // the kernel checks its parent every 2 s
});

test.run();
