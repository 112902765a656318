/**
 * The summaries notebook 02 records from stored per-run results (src/experiments/mtt-continual.ts):
 * kSweepSummary (yang.mtt.k_saturation), readBiasSummary (yang.mtt.vread_rule), asymmetricSummary
 * (yang.mtt.asymmetric_poor) and bandRows (the error-bar figures). Every input is a hand-built fake run; every
 * expected mean, SE, drop and saturation K is worked by hand in the comments. pairedDrop itself and the basic
 * plateau/rising cases of kSweepSummary are tested in test/mtt-continual.test.ts.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  asymmetricSummary,
  bandRows,
  kSweepSummary,
  planLabel,
  readBiasSummary,
  specKey,
  type RetentionResult,
  type SweepResults,
  type TransferSpec,
} from "../src/experiments/mtt-continual";
import type { Row } from "../src/util/row";

function close(a: unknown, b: number, label: string, tol = 1e-9): void {
  assert.ok(typeof a === "number" && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${label}: ${String(a)} vs ${b}`);
}

/** The describe() columns of a summary row, in %, against hand-worked values. */
function describedAs(row: Row, want: { aAfterA: number; aAfterB: number; std: number; b: number; meanAB: number; grown: number }, label: string): void {
  close(row["task A after A (%)"], want.aAfterA, `${label}: A after A`);
  close(row["task A after B (%)"], want.aAfterB, `${label}: A after B`);
  close(row["std A after B (%)"], want.std, `${label}: std A after B`);
  close(row["task B (%)"], want.b, `${label}: B`);
  close(row["mean A,B (%)"], want.meanAB, `${label}: mean A,B`);
  close(row["|W_h| > 0.3 after A (%)"], want.grown, `${label}: grown`);
}

/** Runs of one transfer function, seeds 1…n, from per-seed accuracies (fractions). */
function runs(spec: TransferSpec, v: { aAfterA?: number[]; aAfterB: number[]; b?: number[]; grown?: number[] }): RetentionResult[] {
  return v.aAfterB.map((aAfterB, i) => ({ spec, seed: i + 1, aAfterA: v.aAfterA?.[i] ?? 0.95, aAfterB, b: v.b?.[i] ?? 0.7, grownAfterA: v.grown?.[i] ?? 0.5, wallS: 1 }));
}
function results(entries: [TransferSpec, RetentionResult[]][]): SweepResults {
  const m: SweepResults = new Map();
  for (const [spec, rs] of entries) m.set(specKey(spec), rs);
  return m;
}
const sign: TransferSpec = { family: "sign" };
const sym = (k: number, readRatio = 1): TransferSpec => ({ family: "symmetric", k, readRatio });

// ── K sweep ───────────────────────────────────────────────────────────────────────────────────────────────
// Three seeds. Retention (task A after B):
//   ideal  0.90 0.88 0.92   (mean 90 %)
//   K=20   0.85 0.83 0.87   (the largest K, "top")
//   K=10   0.85 0.84 0.86   top − K10 = 0, −1, +1 pp: mean 0 → z = 0 (not short)
//   K=5    0.80 0.77 0.81   top − K5 = 5, 6, 6 pp: mean 17/3; deviations −2/3, 1/3, 1/3, Σ² = 2/3, s² = 1/3,
//                           SE = √(1/3)/√3 = 1/3, z = 17 (short by ≥ 2 SE)
//   K=2    0.85 0.83 0.87   = top: every difference 0 → z = 0 (not short: a dip at K = 5 only)
// Saturation = smallest K from which on no K is short: scanning down from the top, K = 10 is fine, K = 5 is short,
// so K = 10 (not 2, although K = 2 itself is not short).
// Against the ideal: ideal − K5 = 10, 11, 11 pp: mean 32/3, SE 1/3 (same deviations), z = 32;
// ideal − K20 = 5, 5, 5 pp: a constant shift, SE 0, z = +∞ (the reported idealGap).
const K_SWEEP = results([
  [sign, runs(sign, { aAfterB: [0.9, 0.88, 0.92], aAfterA: [0.96, 0.97, 0.98], b: [0.7, 0.72, 0.74], grown: [0.4, 0.5, 0.6] })],
  [sym(20), runs(sym(20), { aAfterB: [0.85, 0.83, 0.87] })],
  [sym(10), runs(sym(10), { aAfterB: [0.85, 0.84, 0.86] })],
  [sym(5), runs(sym(5), { aAfterB: [0.8, 0.77, 0.81] })],
  [sym(2), runs(sym(2), { aAfterB: [0.85, 0.83, 0.87] })],
]);

test("kSweepSummary: a dip below the plateau at K = 5 only gives saturation K = 10; unsorted K; z and drops by hand", () => {
  const s = kSweepSummary(K_SWEEP, [20, 2, 10, 5]);
  assert.is(s.kSaturation, 10);
  close(s.idealRetentionPct, 90, "ideal retention");
  assert.is(s.idealGap.k, 20);
  close(s.idealGap.diffPct, 5, "ideal − K=20");
  assert.is(s.idealGap.z, Infinity);
  // Rows: ideal first, then K ascending.
  assert.equal(s.rows.map((r) => r.K), ["∞", 2, 5, 10, 20]);
  const k5 = s.rows[2];
  close(k5["below ideal (pp)"], 32 / 3, "K=5 below ideal");
  close(k5["below ideal / SE"], 32, "K=5 below ideal / SE");
  close(k5["below K=20 (pp)"], 17 / 3, "K=5 below top");
  close(k5["below K=20 / SE"], 17, "K=5 below top / SE");
  close(s.rows[3]["below K=20 (pp)"], 0, "K=10 below top");
  assert.is(s.rows[3]["below K=20 / SE"], 0);
  assert.is(s.rows[4]["below K=20 / SE"], 0, "the top against itself");
  assert.is(s.rows[0]["below K=20 (pp)"], null);
  // describe() of the ideal row: means ×100; std of A after B = sample std of 90, 88, 92 = 2; mean A,B =
  // mean of (0.90+0.70)/2, (0.88+0.72)/2, (0.92+0.74)/2 = 0.80, 0.80, 0.83 → 81 %.
  describedAs(s.rows[0], { aAfterA: 97, aAfterB: 90, std: 2, b: 72, meanAB: 81, grown: 50 }, "ideal");
});

test("kSweepSummary: resolvedSE is the shortfall threshold (K = 5's 17 SE is resolved at 16, not at 18 or 20); a missing K is named", () => {
  assert.is(kSweepSummary(K_SWEEP, [2, 5, 10, 20], 20).kSaturation, 2);
  assert.is(kSweepSummary(K_SWEEP, [2, 5, 10, 20], 18).kSaturation, 2);
  assert.is(kSweepSummary(K_SWEEP, [2, 5, 10, 20], 16).kSaturation, 10);
  assert.throws(() => kSweepSummary(K_SWEEP, [2, 50]), (e: unknown) => e instanceof RangeError && /no runs for transfer function sym\/K=50\/rho=1/.test((e as Error).message));
});

// ── V_read_H sweep ────────────────────────────────────────────────────────────────────────────────────────
// K = 10 (the notebook uses 20; another K shows that the radius column follows k), three seeds, ratios given
// unsorted [0.6, 1.0, 0.8]. Score = mean of task A after B and task B:
//   ρ = 1.0: A after B 0.80 0.82 0.78, B 0.70 0.72 0.74 → scores 0.75, 0.77, 0.76
//   ρ = 0.8: A after A, A after B and B all 0.50 → scores 0.50 (a middle ratio far below both ends)
//   ρ = 0.6: A after B 0.70 0.74 0.70, B 0.60 0.62 0.64 → scores 0.65, 0.68, 0.67
// Drop ρ = 1.0 → 0.6: d = 10, 9, 9 pp; mean 28/3; deviations 2/3, −1/3, −1/3, Σ² = 2/3, s² = 1/3, SE = 1/3,
// z = 28. (On retention alone d = 10, 8, 8: mean 26/3, not 28/3; against ρ = 0.8 the drop would be 26 pp.)
const READ = results([
  [sym(10, 1), runs(sym(10, 1), { aAfterB: [0.8, 0.82, 0.78], b: [0.7, 0.72, 0.74], aAfterA: [0.9, 0.92, 0.94], grown: [0.3, 0.5, 0.4] })],
  [sym(10, 0.8), runs(sym(10, 0.8), { aAfterB: [0.5, 0.5, 0.5], b: [0.5, 0.5, 0.5], aAfterA: [0.5, 0.5, 0.5] })],
  [sym(10, 0.6), runs(sym(10, 0.6), { aAfterB: [0.7, 0.74, 0.7], b: [0.6, 0.62, 0.64] })],
]);

test("readBiasSummary (yang.mtt.vread_rule): paired drop of the two-task mean from the highest to the lowest read bias, by hand", () => {
  const s = readBiasSummary(READ, 10, [0.6, 1.0, 0.8]);
  close(s.dropPct, 28 / 3, "drop");
  // Recorded as dropSE: the drop in units of its paired SE, i.e. z = (28/3)/(1/3).
  close(s.dropSE, 28, "drop / SE");
  // Rows by ρ descending: V_read_H/V_T = 2ρ; closed-form radius r = (G* − 1)/(K − 1), G* = 1/(2ρ − 1), K = 10:
  // ρ = 1 → 0; ρ = 0.8 → G* = 5/3, r = (2/3)/9 = 2/27; ρ = 0.6 → G* = 5, r = 4/9.
  assert.equal(s.rows.map((r) => r["V_read_H / V_T"]), [2, 1.6, 1.2]);
  close(s.rows[0].radius, 0, "radius at ρ=1");
  close(s.rows[1].radius, 2 / 27, "radius at ρ=0.8");
  close(s.rows[2].radius, 4 / 9, "radius at ρ=0.6");
  // describe() at ρ = 1: A after A 92 %, A after B 80 %, sample std of 80, 82, 78 = 2, B 72 %, mean A,B 76 %, grown 40 %.
  describedAs(s.rows[0] as Row, { aAfterA: 92, aAfterB: 80, std: 2, b: 72, meanAB: 76, grown: 40 }, "ρ = 1");
  close(s.rows[1]["mean A,B (%)"], 50, "ρ = 0.8 row is its own runs");
});

// ── Structure at fixed K ──────────────────────────────────────────────────────────────────────────────────
// K = 100, four seeds, retention: symmetric 0.80 0.78 0.82 0.80, asymmetric 0.74 0.75 0.76 0.71
//   d = 6, 3, 6, 9 pp: mean 6; deviations 0, −3, 0, 3, Σ² = 18, s² = 6, SE = √6/2, z = 6/(√6/2) = 2√6 ≈ 4.90.
// Task B is 0.70 (symmetric) and 0.90 (asymmetric): on the two-task mean the drop would be (6 − 20)/2 = −7 pp.
const ASYM = results([
  [sym(100), runs(sym(100), { aAfterB: [0.8, 0.78, 0.82, 0.8], b: [0.7, 0.7, 0.7, 0.7] })],
  [{ family: "asymmetric", k: 100 }, runs({ family: "asymmetric", k: 100 }, { aAfterB: [0.74, 0.75, 0.76, 0.71], b: [0.9, 0.9, 0.9, 0.9] })],
  [sym(20), runs(sym(20), { aAfterB: [0.1, 0.1, 0.1, 0.1] })],
]);

test("asymmetricSummary (yang.mtt.asymmetric_poor): symmetric − asymmetric retention, paired, by hand", () => {
  const s = asymmetricSummary(ASYM, 100);
  close(s.dropPct, 6, "drop");
  close(s.dropSE, 2 * Math.sqrt(6), "drop / SE");
  assert.equal(s.rows.map((r) => [r.structure, r.K]), [["symmetric", 100], ["asymmetric", 100]]);
  close(s.rows[0]["task A after B (%)"], 80, "symmetric retention");
  close(s.rows[1]["task A after B (%)"], 74, "asymmetric retention");
  close(s.rows[1]["task B (%)"], 90, "asymmetric task B");
  assert.throws(() => asymmetricSummary(ASYM, 20), (e: unknown) => e instanceof RangeError && /asym\/K=20/.test((e as Error).message));
});

// ── Error bands ───────────────────────────────────────────────────────────────────────────────────────────
// ρ = 1 of READ, three seeds: A after A 90, 92, 94 % → mean 92, sample std 2, SE 2/√3; A after B 80, 82, 78 →
// mean 80, SE 2/√3; B 70, 72, 74 → mean 72, SE 2/√3. ρ = 0.8: every value 50, SE 0.
test("bandRows: seed mean ± one SE (sample std/√n) per function and measure, fields carried, in entry order", () => {
  const rows = bandRows(READ, [
    { spec: sym(10, 1), fields: { "V_read_H / V_T": 2 } },
    { spec: sym(10, 0.8), fields: { "V_read_H / V_T": 1.6, extra: "x" } },
  ]);
  assert.is(rows.length, 6);
  assert.equal(rows.map((r) => [r["V_read_H / V_T"], r.measure]), [
    [2, "task A (MNIST) after A"], [2, "task A (MNIST) after B"], [2, "task B (FMNIST) after B"],
    [1.6, "task A (MNIST) after A"], [1.6, "task A (MNIST) after B"], [1.6, "task B (FMNIST) after B"],
  ]);
  const se = 2 / Math.sqrt(3);
  [92, 80, 72].forEach((m, i) => {
    close(rows[i]["accuracy (%)"], m, `mean ${rows[i].measure}`);
    close(rows[i].lo, m - se, `lo ${rows[i].measure}`);
    close(rows[i].hi, m + se, `hi ${rows[i].measure}`);
  });
  for (const r of rows.slice(3)) {
    close(r["accuracy (%)"], 50, "ρ=0.8 mean");
    close(r.lo, 50, "ρ=0.8 lo");
    close(r.hi, 50, "ρ=0.8 hi");
    assert.is(r.extra, "x");
  }
  assert.throws(() => bandRows(READ, [{ spec: sym(10, 0.7), fields: {} }]), /no runs for transfer function sym\/K=10\/rho=0\.7/);
});

test("planLabel: layer sizes from the image side (14 pooled, 28 not), samples, epochs and seeds", () => {
  const cfg = (pool: boolean, hidden: number[]) => ({ cfg: { pool, hidden, trainPerTask: 8000, epochsPerTask: 20, seeds: [1, 2, 3] } }) as unknown as Parameters<typeof planLabel>[0];
  assert.is(planLabel(cfg(true, [64])), "196-64-10 at 14×14, 8,000 samples/task, 20 epochs/task, 3 seeds");
  assert.is(planLabel(cfg(false, [1000, 500])), "784-1000-500-10 at 28×28, 8,000 samples/task, 20 epochs/task, 3 seeds");
  // From the loaded tasks: their input size and the samples they hold (a source with fewer than asked).
  const tasks = [{ train: { count: 7996, dim: 784 } }, { train: { count: 8000, dim: 784 } }];
  assert.is(planLabel(cfg(true, [64]), tasks), "784-64-10 at 28×28, 7,996–8,000 samples/task, 20 epochs/task, 3 seeds");
});

test.run();
