import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NotebookSession } from "../src/notebook/session";

test("a quick run writes its figures to figures/<notebook>/, a full run to figures/<notebook>/full/", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "session-"));
  const quiet = process.env.IMC_QUIET;
  const metricsFile = process.env.IMC_METRICS_FILE;
  process.env.IMC_QUIET = "1";
  delete process.env.IMC_METRICS_FILE;
  const spec = { data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } } as const;
  try {
    for (const mode of ["quick", "full"] as const) await new NotebookSession("99-session-figure-test", mode, root).figure("dot", spec);
    const dir = path.join(root, "figures", "99-session-figure-test");
    assert.ok(fs.readFileSync(path.join(dir, "dot.svg"), "utf8").includes("<svg"));
    assert.ok(fs.readFileSync(path.join(dir, "full", "dot.svg"), "utf8").includes("<svg"));
    assert.ok(fs.existsSync(path.join(dir, "full", "dot.png")));
    // Each mode's metrics file sits in the root's staging folder.
    assert.ok(fs.existsSync(path.join(root, "figures", ".staging", "99-session-figure-test.quick.json")));
    assert.ok(fs.existsSync(path.join(root, "figures", ".staging", "99-session-figure-test.full.json")));
  } finally {
    if (quiet === undefined) delete process.env.IMC_QUIET;
    else process.env.IMC_QUIET = quiet;
    if (metricsFile !== undefined) process.env.IMC_METRICS_FILE = metricsFile;
    fs.rmSync(root, { recursive: true });
  }
});

test.run();
