import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NotebookSession, projectRoot } from "../src/notebook/session";

const name = "99-session-figure-test";
const dir = path.join(projectRoot(), "figures", name);

test("a quick run writes its figures to figures/<notebook>/, a full run to figures/<notebook>/full/", async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "session-"));
  const quiet = process.env.IMC_QUIET;
  process.env.IMC_QUIET = "1";
  const spec = { data: { values: [{ x: 1, y: 2 }] }, mark: "point", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } } as const;
  try {
    for (const mode of ["quick", "full"] as const) {
      process.env.IMC_METRICS_FILE = path.join(tmp, `${mode}.json`);
      const s = new NotebookSession(name, mode);
      await s.figure("dot", spec);
    }
    assert.ok(fs.readFileSync(path.join(dir, "dot.svg"), "utf8").includes("<svg"));
    assert.ok(fs.readFileSync(path.join(dir, "full", "dot.svg"), "utf8").includes("<svg"));
    assert.ok(fs.existsSync(path.join(dir, "full", "dot.png")));
  } finally {
    delete process.env.IMC_METRICS_FILE;
    if (quiet === undefined) delete process.env.IMC_QUIET;
    else process.env.IMC_QUIET = quiet;
    fs.rmSync(tmp, { recursive: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
