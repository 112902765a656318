/**
 * scripts/execute_notebook.py names the cell that failed. tslab sends no error output for a failing cell (its
 * reply is empty, the message goes to the cell's stderr), and a notebook on disk carries the outputs and
 * execution counts of its last run: the executor once reported the last cell with a saved execution count (the
 * notebook's last cell) and "no output" when an earlier cell had failed with a clear message on stderr. Needs the
 * Debian Jupyter packages and the project kernelspec (npm install).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { projectRoot } from "../src/util/project-root";

const code = (source: string, count: number, saved: string) => ({
  cell_type: "code",
  execution_count: count,
  metadata: {},
  // The outputs a previous, successful run left in the file.
  outputs: [{ output_type: "stream", name: "stdout", text: saved }],
  source,
});

/** Execute `cells` (code sources, each with a stale saved output) and return the executor's status and stderr. */
function executeCells(cells: string[]): { status: number | null; stderr: string; wroteOutput: boolean } {
  const root = projectRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-exec-"));
  try {
    const nbFile = path.join(dir, "failing.ipynb");
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [{ cell_type: "markdown", metadata: {}, source: "A notebook whose code cell fails." }, ...cells.map((c, k) => code(c, k + 1, `old output of cell ${k + 1}\n`))],
    };
    fs.writeFileSync(nbFile, JSON.stringify(notebook));
    const env = { ...process.env, JUPYTER_PATH: path.join(root, ".jupyter") };
    const r = spawnSync("/usr/bin/python3", [path.join(root, "scripts", "execute_notebook.py"), nbFile, path.join(dir, "out.ipynb"), "60"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    return { status: r.status, stderr: r.stderr, wroteOutput: fs.existsSync(path.join(dir, "out.ipynb")) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("a failing cell is named with its own stderr, not the last cell a previous run reached", () => {
  const r = executeCells([`console.log("first cell ran");`, `await Promise.reject(new Error("the second cell's own failure"));`, `console.log("third cell");`]);
  assert.is(r.status, 1, `exit status 1 for a failed cell; stderr: ${r.stderr.slice(-800)}`);
  assert.match(r.stderr, /--- cell 2 \(code cell 2\) source ---/);
  assert.match(r.stderr, /the second cell's own failure/);
  assert.not.match(r.stderr, /cell 3/);
  assert.not.match(r.stderr, /old output/);
  assert.not.ok(r.wroteOutput, "no executed notebook is written on failure");
  assert.not.match(r.stderr, /compiled in memory/, "no src/ frame, no note about them");
});

test("an error thrown in a src/ module: the executor says its frames name .js files with shifted lines", () => {
  const r = executeCells([`import { requireInteger } from "./src/util/validate";\nrequireInteger("restarts", 0.5, 1);`]);
  assert.is(r.status, 1, r.stderr.slice(-800));
  assert.match(r.stderr, /restarts/);
  assert.match(r.stderr, /\/src\/util\/validate\.js:\d+/);
  assert.match(r.stderr, /compiled in memory/);
});

test.run();
