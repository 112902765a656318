import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NotebookSession } from "../src/notebook/session";

test("a quick run writes its figures (SVG, PNG, Vega-Lite spec with data) to figures/<notebook>/, a full run to figures/<notebook>/full/", async () => {
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
    // The spec with its data, to re-plot: the values the figure drew, with the house fonts it was drawn with.
    const stored = JSON.parse(fs.readFileSync(path.join(dir, "dot.vl.json"), "utf8"));
    assert.equal(stored.data.values, [{ x: 1, y: 2 }]);
    assert.is(stored.config.font, "DejaVu Sans");
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

test("record() prints the checker's verdict, marking a declared known miss", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "session-"));
  const quiet = process.env.IMC_QUIET;
  const metricsFile = process.env.IMC_METRICS_FILE;
  delete process.env.IMC_QUIET;
  delete process.env.IMC_METRICS_FILE;
  const entry = {
    id: "demo.device.ratio", paper: "Demo", figure: "Fig 1", statement: "a ratio", published: 50, unit: "ratio", kind: "prediction",
    check: { type: "relative", tol: 0.1 }, tolerance: "test", modes: ["quick", "full"], notebook: "99-session-record-test",
  };
  fs.mkdirSync(path.join(root, "data", "published"), { recursive: true });
  fs.writeFileSync(path.join(root, "data", "published", "demo.json"), JSON.stringify([entry, { ...entry, id: "demo.device.miss", knownMiss: "the model lacks the mechanism that makes this happen" }]));
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const nb = new NotebookSession("99-session-record-test", "quick", root);
    nb.record("demo.device.ratio", 51);
    nb.record("demo.device.ratio", 10);
    nb.record("demo.device.miss", 10);
  } finally {
    console.log = log;
    if (quiet !== undefined) process.env.IMC_QUIET = quiet;
    if (metricsFile !== undefined) process.env.IMC_METRICS_FILE = metricsFile;
    fs.rmSync(root, { recursive: true });
  }
  assert.match(lines[0], /demo\.device\.ratio .*vs published 50 — pass/);
  assert.match(lines[1], /— fail \(/);
  assert.not.match(lines[1], /known miss/);
  assert.match(lines[2], /demo\.device\.miss .*— fail \(known miss\)/);
});

test.run();
