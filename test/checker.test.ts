import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildReport, compareOne, judge, loadRegistry, metricMoves, type RegistryEntry } from "../src/registry/checker";
import { reportMarkdown } from "../src/registry/report-markdown";
import type { MetricsFile } from "../src/notebook/session";
import { tally } from "../scripts/test";

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
  // Each check at its bound (inclusive) and just beyond it on every side it has.
  const verdicts = (check: RegistryEntry["check"], values: number[]) => values.map((v) => judge({ ...base, check }, v, "quick").verdict);
  assert.equal(verdicts({ type: "absolute", tol: 2 }, [48, 52, 47.99, 52.01]), ["pass", "pass", "fail", "fail"]);
  assert.equal(verdicts({ type: "atLeast", bound: 3 }, [3, 4, 2.99]), ["pass", "pass", "fail"]);
  assert.equal(verdicts({ type: "atMost", bound: 3 }, [3, 2, 3.01]), ["pass", "pass", "fail"]);
  assert.equal(verdicts({ type: "between", lo: 1, hi: 2 }, [1, 1.5, 2, 0.99, 2.01]), ["pass", "pass", "pass", "fail", "fail"]);
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
  const other = { ...base, id: "demo.device.other", notebook: "02-demo" };
  const metrics: MetricsFile[] = [
    { notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 51 } } },
    { notebook: "02-demo", mode: "full", metrics: { "demo.device.other": { measured: 51 } } },
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

test("a declared known miss that passes is a regression (the same seed gives the same value, so a change moved it), listed in its own section", () => {
  const miss = { ...base, id: "demo.device.miss", knownMiss: "the model lacks the mechanism that makes this happen" };
  // base's check passes at 50 (its published value) and fails at 10.
  const r = buildReport([miss], [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.miss": { measured: 50 } } }], "quick", "t");
  assert.is(r.entries[0].verdict, "pass");
  assert.equal([r.summary.pass, r.summary.knownMiss, r.summary.unexpectedPasses, r.summary.regressions], [1, 0, 1, 1]);
  assert.match(reportMarkdown(r), /## Known misses that pass[\s\S]*demo\.device\.miss/);
  // Outside knownMissModes a pass is a plain pass.
  const fullOnly = buildReport([{ ...miss, knownMissModes: ["full" as const] }], [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.miss": { measured: 50 } } }], "quick", "t");
  assert.equal([fullOnly.summary.unexpectedPasses, fullOnly.summary.regressions], [0, 0]);
  // npm test counts it as failed, not as passed.
  const unit = { code: 0, total: 10, passed: 10, skipped: 0 };
  const t = tally({ unit, notebooks: 1, notebooksOk: 1, notebooksFailed: 0, report: { pass: 3, regressions: 1, knownMiss: 0, unrecorded: 0, unexpectedPasses: 1 }, quickEntries: 3 });
  assert.equal([t.passed, t.failed], [10 + 1 + 2, 1]);
  assert.ok(t.lines.some((l) => /1 declared known miss\(es\) now pass/.test(l)));
});

test("a known miss beyond its declared limit is a regression; within it, a known miss; passing, still an unexpected pass", () => {
  // base: published 50, passes within ±10 %. The miss is declared down to 30 (atLeast 30).
  const miss: RegistryEntry = { ...base, id: "demo.device.miss", knownMiss: "the model lacks the mechanism that makes this happen", knownMissLimit: { check: { type: "atLeast", bound: 30 }, why: "the value measured in both modes lies near 40" } };
  const at = (measured: number, mode: "quick" | "full" = "quick", entry: RegistryEntry = miss) => buildReport([entry], [{ notebook: "01-demo", mode, metrics: { [entry.id]: { measured } } }], mode, "t");
  const within = at(30);
  assert.equal([within.summary.knownMiss, within.summary.beyondKnownMiss, within.summary.regressions], [1, 0, 0]);
  assert.is(within.entries[0].beyondKnownMiss, undefined);
  assert.match(reportMarkdown(within), /## Known misses\n[\s\S]*demo\.device\.miss[\s\S]*Declared limit of the miss: m ≥ 30: the value measured/);
  const beyond = at(29.99);
  assert.is(beyond.entries[0].verdict, "fail");
  assert.equal([beyond.summary.knownMiss, beyond.summary.beyondKnownMiss, beyond.summary.regressions], [0, 1, 1]);
  assert.match(beyond.entries[0].beyondKnownMiss ?? "", /m ≥ 30: the value measured in both modes lies near 40/);
  const md = reportMarkdown(beyond);
  assert.match(md, /\| \*\*FAIL\*\* \(beyond its known miss\) \| `demo\.device\.miss` \|/);
  assert.match(md, /## Known misses beyond their declared limit[\s\S]*demo\.device\.miss[\s\S]*m ≥ 30/);
  assert.not.match(md, /## Known misses\n/, "not also listed as an accepted miss");
  assert.match(compareOne([miss], miss.id, 20, "quick"), /FAIL beyond its declared known miss \(m ≥ 30\)/);
  assert.match(compareOne([miss], miss.id, 40, "quick"), /fail \(known miss\)/);
  // A pass is judged by the paper's check, not the limit: still an unexpected pass.
  assert.equal([at(50).summary.unexpectedPasses, at(50).summary.beyondKnownMiss, at(50).summary.regressions], [1, 0, 1]);
  // Where the miss is not declared (knownMissModes), the limit does not apply: a plain fail.
  const fullOnly = { ...miss, knownMissModes: ["full" as const] };
  assert.equal([at(20, "quick", fullOnly).summary.beyondKnownMiss, at(20, "quick", fullOnly).summary.regressions], [0, 1]);
  assert.equal([at(20, "full", fullOnly).summary.beyondKnownMiss, at(40, "full", fullOnly).summary.regressions], [1, 0]);
  // npm test counts it as failed and says why.
  const unit = { code: 0, total: 10, passed: 10, skipped: 0 };
  const t = tally({ unit, notebooks: 1, notebooksOk: 1, notebooksFailed: 0, report: { pass: 3, regressions: 1, knownMiss: 0, unrecorded: 0, unexpectedPasses: 0, beyondKnownMiss: 1 }, quickEntries: 4 });
  assert.equal([t.passed, t.failed], [10 + 1 + 3, 1]);
  assert.ok(t.lines.some((l) => /1 declared known miss\(es\) beyond their declared limit/.test(l)));
});

test("loadRegistry rejects a malformed knownMissLimit, naming the problem", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reg-"));
  const miss = { ...base, knownMiss: "a sentence long enough to pass" };
  const rejects = (entry: object, message: RegExp) => {
    fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify([entry]));
    assert.throws(() => loadRegistry(dir, null), message);
  };
  const why = "where the bound comes from, in a sentence";
  rejects({ ...base, knownMissLimit: { check: { type: "atLeast", bound: 1 }, why } }, /knownMissLimit without knownMiss/);
  rejects({ ...miss, knownMissLimit: { check: { type: "relative", tol: 0.1 }, why } }, /must be a bound/);
  rejects({ ...miss, knownMissLimit: { check: { type: "true" }, why } }, /must be a bound/);
  rejects({ ...miss, knownMissLimit: { check: { type: "atLeast" }, why } }, /knownMissLimit\.check\.bound must be a finite number/);
  rejects({ ...miss, knownMissLimit: { check: { type: "atLeast", bound: 1 }, why: "short" } }, /knownMissLimit\.why must say/);
  rejects({ ...miss, knownMissLimit: { check: { type: "atLeast", bound: 1 }, why, bound: 2 } }, /knownMissLimit has unknown field\(s\) bound/);
  fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify([{ ...miss, knownMissLimit: { check: { type: "between", lo: 1, hi: 2 }, why } }]));
  assert.is(loadRegistry(dir, null).length, 1);
  fs.rmSync(dir, { recursive: true, force: true });
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

test("an entry its notebook ran without recording is a regression; without a run in this mode it stays missing", () => {
  const other = { ...base, id: "demo.device.other" };
  // 01-demo ran in quick mode and recorded only "ratio": "other" was lost (e.g. a deleted nb.record).
  const ran: MetricsFile[] = [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 50 } } }];
  const r = buildReport([base, other], ran, "quick", "t");
  assert.is(r.entries[1].verdict, "unrecorded");
  assert.match(r.entries[1].rule, /not recorded/);
  assert.is(r.summary.unrecorded, 1);
  assert.is(r.summary.regressions, 1);
  assert.is(r.summary.missing, 0);
  assert.match(reportMarkdown(r), /## Not recorded[\s\S]*demo\.device\.other/);
  // The same registry with no quick metrics file of 01-demo (only a full one): not run, so missing, no regression.
  const none = buildReport([base, other], [{ ...ran[0], mode: "full" }], "quick", "t");
  assert.equal(none.entries.map((e) => e.verdict), ["missing", "missing"]);
  assert.match(none.entries[0].rule, /notebook 01-demo not run in this mode/);
  assert.is(none.summary.notRun, 2);
  assert.is(none.summary.regressions, 0);
  // judge alone: the fourth argument says whether the notebook ran.
  assert.is(judge(base, undefined, "quick", true).verdict, "unrecorded");
  assert.is(judge(base, undefined, "quick", false).verdict, "missing");
});

test("a declared notReproduced entry stays missing after its notebook ran, and the report lists it", () => {
  const gap = { ...base, id: "demo.device.gap", notReproduced: "needs a large language model this project cannot run" };
  const r = buildReport([base, gap], [{ notebook: "01-demo", mode: "quick", metrics: { "demo.device.ratio": { measured: 50 } } }], "quick", "t");
  assert.is(r.entries[1].verdict, "missing");
  assert.is(r.entries[1].notReproduced, gap.notReproduced);
  assert.is(r.summary.notReproduced, 1);
  assert.is(r.summary.regressions, 0);
  assert.match(reportMarkdown(r), /## Declared not reproduced[\s\S]*demo\.device\.gap[\s\S]*large language model/);
});

/** The project's registry and its committed quick-mode metrics files. */
function storedQuickMetrics(): { registry: ReturnType<typeof loadRegistry>; files: MetricsFile[] } {
  const root = path.join(__dirname, "..");
  const dir = path.join(root, "figures", "metrics");
  return {
    registry: loadRegistry(path.join(root, "data", "published")),
    files: fs.readdirSync(dir).filter((f) => f.endsWith(".quick.json")).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as MetricsFile),
  };
}

test("deleting one nb.record from the project's stored quick metrics turns CI red", () => {
  const { registry, files } = storedQuickMetrics();
  const intact = buildReport(registry, files, "quick", "t");
  // Drop the first recorded value of the first notebook that records any.
  const victim = files.find((f) => Object.keys(f.metrics).length > 0)!;
  const dropped = Object.keys(victim.metrics)[0];
  const { [dropped]: _gone, ...rest } = victim.metrics;
  const cut = files.map((f) => (f === victim ? { ...f, metrics: rest } : f));
  const r = buildReport(registry, cut, "quick", "t");
  assert.is(r.summary.regressions, intact.summary.regressions + 1);
  assert.is(r.entries.find((e) => e.id === dropped)!.verdict, "unrecorded");
});

test("compareOne marks a declared known miss in the notebook's line", () => {
  const miss = { ...base, id: "demo.device.miss", knownMiss: "the model lacks the mechanism that makes this happen", knownMissModes: ["full" as const] };
  assert.match(compareOne([miss], miss.id, 10, "full"), /— fail \(known miss\)/);
  // Outside knownMissModes the same fail is a plain fail (a regression).
  assert.match(compareOne([miss], miss.id, 10, "quick"), /— fail \(/);
  assert.not.match(compareOne([miss], miss.id, 10, "quick"), /known miss/);
  assert.match(compareOne([miss], miss.id, 50, "full"), /— pass/);
});

test("npm test's closing counts: regressions (with unrecorded) fail; after a failing notebook the rest is 'not run'", () => {
  const unit = { code: 0, total: 10, passed: 10, skipped: 0 };
  const green = tally({ unit, notebooks: 3, notebooksOk: 3, notebooksFailed: 0, report: { pass: 5, regressions: 0, knownMiss: 1, unrecorded: 0 }, quickEntries: 7 });
  assert.equal([green.passed, green.failed, green.notRun], [18, 0, 0]);
  assert.not.ok(green.lines.some((l) => l.startsWith("not run")));
  const lost = tally({ unit, notebooks: 3, notebooksOk: 3, notebooksFailed: 0, report: { pass: 4, regressions: 1, knownMiss: 0, unrecorded: 1 }, quickEntries: 7 });
  assert.is(lost.failed, 1);
  assert.ok(lost.lines.some((l) => /1 entry not recorded/.test(l)));
  // Notebook 1 of 3 fails, the runner stops: 2 notebooks and all 7 judged entries go uncounted.
  const stopped = tally({ unit, notebooks: 3, notebooksOk: 0, notebooksFailed: 1, report: null, quickEntries: 7 });
  assert.equal([stopped.passed, stopped.failed, stopped.notRun], [10, 1, 9]);
  assert.match(stopped.lines[stopped.lines.length - 1], /^not run: 9 \(2 notebook\(s\) never started, 7 quick-mode registry entries not judged\)$/);
  // Every notebook ran but the report is stale: one failure, the entries are not run.
  const stale = tally({ unit, notebooks: 3, notebooksOk: 3, notebooksFailed: 0, report: null, quickEntries: 7 });
  assert.equal([stale.failed, stale.notRun], [1, 7]);
});

test("metricMoves compares recorded values exactly: a changed last bit, a flipped flag, added and dropped ids; notes ignored", () => {
  const file = (metrics: Record<string, { measured: number | boolean; note?: string }>) => ({ notebook: "01-demo", mode: "quick" as const, metrics });
  const before = file({ a: { measured: 0.1 + 0.2 }, b: { measured: true }, c: { measured: 5, note: "old" }, gone: { measured: 1 } });
  const after = file({ a: { measured: 0.3 }, b: { measured: false }, c: { measured: 5, note: "new" }, fresh: { measured: 2 } });
  // 0.1 + 0.2 = 0.30000000000000004 ≠ 0.3: a move in the last bit counts.
  assert.equal(metricMoves(before, after), [
    { id: "a", notebook: "01-demo", before: 0.1 + 0.2, after: 0.3 },
    { id: "b", notebook: "01-demo", before: true, after: false },
    { id: "fresh", notebook: "01-demo", before: null, after: 2 },
    { id: "gone", notebook: "01-demo", before: 1, after: null },
  ]);
  assert.equal(metricMoves(after, after), []);
});

test("the report lists what moved since the previous run, at full precision, and says when nothing moved", () => {
  const report = buildReport([base], [], "quick", "t");
  assert.not.match(reportMarkdown(report), /Moved since the previous run/, "a report rebuilt from stored metrics has no such section");
  report.moves = { compared: ["01-demo"], firstRuns: ["02-new"], moved: [{ id: "demo.x", notebook: "01-demo", before: 0.30000000000000004, after: 0.3 }] };
  const md = reportMarkdown(report);
  assert.match(md, /## Moved since the previous run/);
  assert.match(md, /Compared: 01-demo; first run \(nothing to compare\): 02-new\./);
  assert.match(md, /\| `demo\.x` \| 01-demo \| 0\.30000000000000004 \| 0\.3 \|/);
  report.moves = { compared: ["01-demo"], firstRuns: [], moved: [] };
  assert.match(reportMarkdown(report), /No value moved\./);
  assert.match(reportMarkdown(report), /Every value this run recorded/);
  // Rebuilt later from stored metrics (--report-only): the moves are those of the earlier run, and it says so.
  report.moves = { ranAt: "2026-01-01T00:00:00Z", compared: ["01-demo"], firstRuns: [], moved: [] };
  assert.match(reportMarkdown(report), /Every value the run of 2026-01-01T00:00:00Z \(this report was rebuilt from stored metrics\) recorded/);
  // npm test prints the count (not counted as a failure).
  const unit = { code: 0, total: 1, passed: 1, skipped: 0 };
  const t = tally({ unit, notebooks: 1, notebooksOk: 1, notebooksFailed: 0, report: { pass: 1, regressions: 0, knownMiss: 0 }, quickEntries: 1, moved: 2 });
  assert.is(t.failed, 0);
  assert.ok(t.lines.some((l) => /^registry: 2 recorded value\(s\) moved since the previous quick run/.test(l)), t.lines.join("\n"));
  // IMC_STRICT_MOVES=1: each move is a failure.
  const strict = tally({ unit, notebooks: 1, notebooksOk: 1, notebooksFailed: 0, report: { pass: 1, regressions: 0, knownMiss: 0 }, quickEntries: 1, moved: 2, strictMoves: true });
  assert.equal([strict.passed, strict.failed], [t.passed, 2]);
  assert.ok(strict.lines.some((l) => /counted as failed: IMC_STRICT_MOVES=1/.test(l)));
});

test("stale metrics: the entries of a notebook recorded from other sources are marked, listed with the reason and the re-run command", () => {
  const other = { ...base, id: "demo.other", notebook: "02-other" };
  const metrics: MetricsFile[] = [
    { notebook: "01-demo", mode: "quick", metrics: { [base.id]: { measured: 52 } } },
    { notebook: "02-other", mode: "quick", metrics: { [other.id]: { measured: 30 } } },
  ];
  const fresh = buildReport([base, other], metrics, "quick", "t");
  assert.is(fresh.stale, undefined);
  assert.not.match(reportMarkdown(fresh), /stale/);
  // A stale notebook that has no metrics in this mode is not reported: nothing of it is shown.
  const report = buildReport([base, other], metrics, "quick", "t", new Map([["02-other", "its code cells changed since it ran"], ["03-absent", "x"]]));
  assert.equal(report.stale, [{ notebook: "02-other", reason: "its code cells changed since it ran" }]);
  assert.is(report.entries[0].stale, undefined);
  assert.is(report.entries[1].stale, "its code cells changed since it ran");
  assert.is(report.entries[1].verdict, "fail", "the verdict is still that of the stored value");
  const md = reportMarkdown(report);
  assert.match(md, /## Metrics older than the present sources[\s\S]*`npx tsx scripts\/reproduce\.ts 02-other`[\s\S]*- 02-other: its code cells changed since it ran\./);
  assert.match(md, /\| \*\*FAIL\*\* \(stale\) \| `demo\.other` \|/);
  assert.match(md, /\| pass \| `demo\.device\.ratio` \|/);
});

test("the Markdown report groups entries by notebook and gives each entry's predicate and calibration under its table", () => {
  const fitted = { ...base, id: "demo.fitted", kind: "calibration" as const, calibratedBy: "the dwell time was bisected until the ratio matched" };
  const qualitative = { ...base, id: "demo.trend", notebook: "02-other", kind: "qualitative" as const, predicate: "m is the accuracy gap between the two runs", check: { type: "atMost" as const, bound: 2 } };
  const report = buildReport([qualitative, base, fitted], [], "quick", "t");
  assert.is(report.entries[2].calibratedBy, fitted.calibratedBy);
  const md = reportMarkdown(report);
  const at = (s: string) => md.indexOf(s);
  assert.ok(at("## 01-demo") > 0 && at("## 01-demo") < at("`demo.device.ratio`") && at("`demo.fitted`") < at("## 02-other") && at("## 02-other") < at("`demo.trend`"), md);
  assert.match(md, /- `demo\.fitted`: Calibration: the dwell time was bisected until the ratio matched/);
  assert.match(md, /- `demo\.trend`: m is the accuracy gap between the two runs/);
  assert.not.match(md, /- `demo\.device\.ratio`:/, "an entry with neither is not listed");
});

test("byConstruction: counted, marked on a pass, listed with its reason; a reason too short is rejected", () => {
  const built = { ...base, id: "demo.device.linear", byConstruction: "the device law is linear by assumption in the model" };
  const report = buildReport([base, built], [{ notebook: base.notebook, mode: "quick", metrics: { [base.id]: { measured: 52 }, [built.id]: { measured: 52 } } }], "quick", "t");
  assert.is(report.summary.byConstruction, 1);
  assert.is(report.entries[1].byConstruction, built.byConstruction);
  assert.is(report.entries[0].byConstruction, undefined);
  const md = reportMarkdown(report);
  assert.match(md, /\| pass \(by construction\) \| `demo\.device\.linear` \|/);
  assert.match(md, /\| pass \| `demo\.device\.ratio` \|/);
  assert.match(md, /## Checks that hold by construction[\s\S]*- `demo\.device\.linear` \(Fig 1\): the device law is linear by assumption in the model/);
  assert.match(md, /1 entry holds by the model's construction/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reg-"));
  fs.writeFileSync(path.join(dir, "a.json"), JSON.stringify([{ ...built, byConstruction: "linear" }]));
  assert.throws(() => loadRegistry(dir, null), /byConstruction must say why/);
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
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", notReproduced: "too short" }]));
  assert.throws(() => loadRegistry(dir), /notReproduced must say why/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", notReproduced: 42 }]));
  assert.throws(() => loadRegistry(dir), /notReproduced must say why/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", notReproduced: "a sentence long enough to pass", knownMiss: "a sentence long enough to pass" }]));
  assert.throws(() => loadRegistry(dir), /exclude each other/);
  fs.writeFileSync(path.join(dir, "b.json"), JSON.stringify([{ ...base, id: "demo.x.y", notReproduced: "a sentence long enough to pass" }]));
  assert.is(loadRegistry(dir).length, 2);
});

test("the stored quick metrics give no regressions and no unrecorded entry", () => {
  const { registry, files } = storedQuickMetrics();
  const r = buildReport(registry, files, "quick", "t");
  assert.equal(r.entries.filter((e) => e.verdict === "unrecorded").map((e) => e.id), []);
  assert.is(r.summary.regressions, 0);
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
