import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReport, judge, loadRegistry, reportMarkdown, type RegistryEntry } from "../src/registry/checker";
import type { MetricsFile } from "../src/notebook/session";

const base: RegistryEntry = {
  id: "demo.device.ratio",
  paper: "Demo",
  figure: "Fig 1",
  statement: "a ratio",
  published: 50,
  unit: "ratio",
  kind: "prediction",
  check: { type: "relative", tol: 0.1 },
  tolerance: "test",
  modes: ["quick", "full"],
  notebook: "01-demo",
};

test("judge applies each check type at its edges", () => {
  assert.is(judge(base, 55, "quick").verdict, "pass");
  assert.is(judge(base, 55.01, "quick").verdict, "fail");
  assert.is(judge(base, 44.99, "quick").verdict, "fail");
  assert.is(judge({ ...base, check: { type: "absolute", tol: 2 } }, 48, "quick").verdict, "pass");
  assert.is(judge({ ...base, check: { type: "atLeast", bound: 3 } }, 2.9, "quick").verdict, "fail");
  assert.is(judge({ ...base, check: { type: "atMost", bound: 3 } }, 3, "quick").verdict, "pass");
  assert.is(judge({ ...base, check: { type: "between", lo: 1, hi: 2 } }, 2.5, "quick").verdict, "fail");
  assert.is(judge({ ...base, check: { type: "true" } }, true, "quick").verdict, "pass");
  assert.is(judge({ ...base, check: { type: "true" } }, false, "quick").verdict, "fail");
  assert.is(judge(base, true, "quick").verdict, "fail");
});

test("missing when unrecorded or not checked in this mode; quickCheck overrides in quick mode", () => {
  assert.is(judge(base, undefined, "quick").verdict, "missing");
  assert.is(judge({ ...base, modes: ["full"] }, 50, "quick").verdict, "missing");
  const e = { ...base, quickCheck: { type: "relative" as const, tol: 0.5 } };
  assert.is(judge(e, 70, "quick").verdict, "pass");
  assert.is(judge(e, 70, "full").verdict, "fail");
});

test("report counts verdicts, uses only metrics of its mode, and rejects unknown ids", () => {
  const other = { ...base, id: "demo.device.other" };
  const metrics: MetricsFile[] = [
    { notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 51 } } },
    { notebook: "01-demo", mode: "full", metrics: { "demo.device.other": { measured: 51 } } },
  ];
  const r = buildReport([base, other], metrics, "quick", "t");
  assert.equal(r.summary.pass, 1);
  assert.equal(r.summary.missing, 1);
  assert.match(reportMarkdown(r), /demo\.device\.ratio/);
  assert.throws(() => buildReport([base], [{ notebook: "01-demo", mode: "quick", metrics: { "x.y.z": { measured: 1 } } }], "quick", "t"), /not in the registry/);
});

test("a declared known miss stays a fail in the report but is not a regression; an undeclared fail is", () => {
  const miss = { ...base, id: "demo.device.miss", knownMiss: "the model lacks the mechanism that makes this happen" };
  const r = buildReport([base, miss], [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 10 }, "demo.device.miss": { measured: 10 } } }], "quick", "t");
  assert.is(r.entries[1].verdict, "fail");
  assert.is(r.summary.fail, 2);
  assert.is(r.summary.knownMiss, 1);
  assert.is(r.summary.regressions, 1);
  assert.match(reportMarkdown(r), /## Known misses[\s\S]*demo\.device\.miss/);
});

test("a known miss limited to full mode is a regression when the same fail shows in quick mode", () => {
  const miss = { ...base, id: "demo.device.miss", knownMiss: "misses at paper scale only, for a stated reason", knownMissModes: ["full" as const] };
  const metrics = (mode: "quick" | "full"): MetricsFile[] => [{ notebook: "01-demo", mode, metrics: { "demo.device.miss": { measured: 10 } } }];
  const full = buildReport([miss], metrics("full"), "full", "t");
  assert.is(full.summary.knownMiss, 1);
  assert.is(full.summary.regressions, 0);
  const quick = buildReport([miss], metrics("quick"), "quick", "t");
  assert.is(quick.summary.knownMiss, 0);
  assert.is(quick.summary.regressions, 1);
});

test("loadRegistry rejects duplicates and malformed entries, naming them", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reg-"));
  fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify([base]));
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([base]));
  assert.throws(() => loadRegistry(dir), /duplicate id/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", kind: "calibration" }]));
  assert.throws(() => loadRegistry(dir), /calibratedBy/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", check: { type: "relative" } }]));
  assert.throws(() => loadRegistry(dir), /check.tol/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", knownMiss: "short" }]));
  assert.throws(() => loadRegistry(dir), /knownMiss must say why/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", modes: ["quick"], knownMiss: "a sentence long enough to pass", knownMissModes: ["full"] }]));
  assert.throws(() => loadRegistry(dir), /knownMissModes must list modes/);
});

test("the project's registry loads and every entry names an existing notebook", () => {
  const entries = loadRegistry(path.join(__dirname, "..", "data", "published"));
  assert.ok(entries.length > 0);
  const notebooks = path.join(__dirname, "..", "notebooks");
  for (const e of entries) {
    assert.match(e.notebook, /^\d\d-[a-z0-9-]+$/);
    assert.ok(fs.existsSync(path.join(notebooks, `${e.notebook}.ipynb`)), `${e.id}: notebooks/${e.notebook}.ipynb does not exist`);
  }
});

test.run();
