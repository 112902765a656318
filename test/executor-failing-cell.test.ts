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

test("a failing cell is named with its own stderr, not the last cell a previous run reached", () => {
  const root = projectRoot();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-exec-"));
  try {
    const nbFile = path.join(dir, "failing.ipynb");
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { cell_type: "markdown", metadata: {}, source: "A notebook whose second code cell fails." },
        code(`console.log("first cell ran");`, 1, "first cell ran\n"),
        code(`await Promise.reject(new Error("the second cell's own failure"));`, 2, "old output of the second cell\n"),
        code(`console.log("third cell");`, 3, "old output of the third cell\n"),
      ],
    };
    fs.writeFileSync(nbFile, JSON.stringify(notebook));
    const env = { ...process.env, JUPYTER_PATH: path.join(root, ".jupyter") };
    const r = spawnSync("/usr/bin/python3", [path.join(root, "scripts", "execute_notebook.py"), nbFile, path.join(dir, "out.ipynb"), "60"], {
      cwd: root,
      env,
      encoding: "utf8",
      timeout: 120_000,
    });
    assert.is(r.status, 1, `exit status 1 for a failed cell; stderr: ${r.stderr.slice(-800)}`);
    assert.match(r.stderr, /--- cell 2 \(code cell 2\) source ---/);
    assert.match(r.stderr, /the second cell's own failure/);
    assert.not.match(r.stderr, /cell 3/);
    assert.not.match(r.stderr, /old output/);
    assert.not.ok(fs.existsSync(path.join(dir, "out.ipynb")), "no executed notebook is written on failure");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
