import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  kSweepSummary,
  pairedDrop,
  planSpecs,
  runRetentionJob,
  runRetentionJobs,
  specKey,
  transferFromSpec,
  type ContinualConfig,
  type RetentionResult,
  type SweepPlan,
  type SweepResults,
  type TransferSpec,
  MTT_CONTINUAL_FULL,
  MTT_CONTINUAL_FULL_RUNS_DIR,
  loadRetentionResult,
  retentionResultFile,
  sweepJobs,
} from "../src/experiments/mtt-continual";
import { projectRoot } from "../src/util/project-root";
import { checkSweepRunsMatchPlan, MTT_CONTINUAL_FULL_RUNS_FILE, readSweepRuns, writeSweepRuns } from "../src/experiments/mtt-continual-runs";
import { loadResult, resultFile, ResultCacheError, saveResult } from "../src/runs/result-cache";

/** A fake run with the given retention (task A after B) and task B accuracy. */
function run(spec: TransferSpec, seed: number, aAfterB: number, b = 0.7): RetentionResult {
  return { spec, seed, aAfterA: 0.9, aAfterB, b, grownAfterA: 0.5, wallS: 0 };
}

test("pairedDrop: hand-computed differences, SE and z", () => {
  const s: TransferSpec = { family: "sign" };
  const a = [run(s, 1, 0.8), run(s, 2, 0.9), run(s, 3, 0.85)];
  const b = [run(s, 1, 0.7), run(s, 2, 0.85), run(s, 3, 0.8)];
  // d = 10, 5, 5 pp: mean 20/3, s_d = √(25/3), SE = s_d/√3 = 5/3, z = 4.
  const d = pairedDrop(a, b, "retention");
  assert.ok(Math.abs(d.diffPct - 20 / 3) < 1e-9);
  assert.ok(Math.abs(d.sePct - 5 / 3) < 1e-9);
  assert.ok(Math.abs(d.z - 4) < 1e-9);
  // "mean" scores average task A after B and task B: b is 0.7 on both sides, so the drop halves.
  assert.ok(Math.abs(pairedDrop(a, b, "mean").diffPct - 10 / 3) < 1e-9);
  // A constant shift is resolved without limit; no difference is z = 0.
  assert.is(pairedDrop(a, a.map((r) => ({ ...r, aAfterB: r.aAfterB - 0.05 })), "retention").z, Infinity);
  assert.is(pairedDrop(a, a, "retention").z, 0);
});

test("pairedDrop refuses unpaired seeds", () => {
  const s: TransferSpec = { family: "sign" };
  assert.throws(() => pairedDrop([run(s, 1, 0.8)], [run(s, 2, 0.8)], "retention"), /same seeds/);
});

/** Sweep results from a retention curve r(K) plus per-seed noise that is the same for every K (paired). */
function fakeSweep(ks: number[], curve: (k: number) => number, ideal: number): SweepResults {
  const noise = [0.01, -0.02, 0.015, -0.005];
  const m: SweepResults = new Map();
  const sign: TransferSpec = { family: "sign" };
  m.set(specKey(sign), noise.map((n, i) => run(sign, i + 1, ideal + n)));
  for (const k of ks) {
    const spec: TransferSpec = { family: "symmetric", k, readRatio: 1 };
    // A small K-dependent jitter so the paired differences have a nonzero spread.
    m.set(specKey(spec), noise.map((n, i) => run(spec, i + 1, curve(k) + n + 0.002 * ((i * 7 + k) % 3))));
  }
  return m;
}

test("kSweepSummary: the plateau K of a curve that levels off at K = 20, and of one still rising", () => {
  const ks = [2, 5, 10, 20, 50, 100];
  const plateau = fakeSweep(ks, (k) => (k >= 20 ? 0.8 : 0.8 - 0.2 / k), 0.83);
  const s = kSweepSummary(plateau, ks);
  assert.is(s.kSaturation, 20);
  // The ideal sign sits 3 pp above the plateau, less fakeSweep's mean jitter at the largest K (seed indices 0–3 at
  // K = 100: (100, 107, 114, 121) mod 3 = 1, 2, 0, 1, so 0.002·4/4; against K = 20 it would be 0.002·5/4); the
  // per-seed noise cancels in the pairs. Reported against the largest K, not part of the saturation K.
  assert.is(s.idealGap.k, 100);
  assert.ok(Math.abs(s.idealGap.diffPct - 100 * (0.83 - 0.8 - (0.002 * 4) / 4)) < 1e-9, `ideal gap ${s.idealGap.diffPct}`);
  const rising = fakeSweep(ks, (k) => 0.5 + 0.06 * Math.log10(k), 0.8);
  assert.is(kSweepSummary(rising, ks).kSaturation, 100);
  assert.throws(() => kSweepSummary(plateau, [20]), /at least two/);
});

test("planSpecs: ideal sign first, shared functions once", () => {
  const cfg = {} as ContinualConfig;
  const specs = planSpecs({ ks: [2, 20, 100], readK: 20, readRatios: [1, 0.6], asymK: 100, cfg });
  const keys = specs.map(specKey);
  assert.is(keys[0], "sign");
  assert.is(new Set(keys).size, keys.length);
  // sign, K = 2, 20, 100, K = 20 at ρ = 0.6, asymmetric 100: symmetric K = 20 and K = 100 are not repeated.
  assert.is(keys.length, 6);
});

test("transferFromSpec: symmetric K → sign as K grows; asymmetric misses sign; bad family named", () => {
  for (const wh of [-0.9, -0.3, 0.2, 0.8]) {
    const big = transferFromSpec({ family: "symmetric", k: 1e6, readRatio: 1 }).apply(wh);
    assert.ok(Math.abs(big - Math.sign(wh)) < 1e-4, `K = 1e6 at W_h = ${wh}: ${big}`);
  }
  // Symmetric closed form at K = 20, W_h = 1: 19/21.
  assert.ok(Math.abs(transferFromSpec({ family: "symmetric", k: 20, readRatio: 1 }).apply(1) - 19 / 21) < 1e-9);
  // Asymmetric (G_ref = 50) at K = 100, W_h = 0: G = 50.5, W_b = 0.5/100.5 (nearly 0, not ±1).
  assert.ok(Math.abs(transferFromSpec({ family: "asymmetric", k: 100 }).apply(0) - 0.5 / 100.5) < 1e-9);
  assert.throws(() => transferFromSpec({ family: "cubic" } as unknown as TransferSpec), /spec\.family.*cubic/);
});

const tiny: ContinualConfig = { trainPerTask: 200, testPerTask: 100, epochsPerTask: 1, hidden: [8], seeds: [1], lr: 0.02, meta: 12, hiddenBits: 3, batchSize: 50, pool: true };

test("a run is a pure function of its job; bad config names the field", () => {
  const job = { spec: { family: "symmetric", k: 20, readRatio: 1 } as TransferSpec, seed: 3, cfg: tiny };
  const a = runRetentionJob(job);
  const b = runRetentionJob(job);
  assert.equal([a.aAfterA, a.aAfterB, a.b], [b.aAfterA, b.aAfterB, b.b]);
  for (const v of [a.aAfterA, a.aAfterB, a.b]) assert.ok(v >= 0 && v <= 1);
  assert.throws(() => runRetentionJob({ ...job, cfg: { ...tiny, epochsPerTask: 0 } }), /epochsPerTask/);
  assert.throws(() => runRetentionJob({ ...job, cfg: { ...tiny, hidden: [] } }), /hidden/);
});

test("two worker threads give the same results as one thread", async () => {
  const jobs = [1, 2].map((seed) => ({ spec: { family: "sign" } as TransferSpec, seed, cfg: tiny }));
  const one = await runRetentionJobs(jobs, { workers: 1, backend: "js" });
  const two = await runRetentionJobs(jobs, { workers: 2, backend: "js" });
  assert.equal(two.map((r) => [r.seed, r.aAfterA, r.aAfterB, r.b]), one.map((r) => [r.seed, r.aAfterA, r.aAfterB, r.b]));
});

test("stored results: a cached job is read, not run; worker results are stored under their own job", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-mtt-cache-"));
  try {
    const jobs = [1, 2].map((seed) => ({ spec: { family: "sign" } as TransferSpec, seed, cfg: tiny }));
    // A stored result no training could produce (accuracy 0.123 on every task) proves the cache was read.
    const stored = { job: jobs[0], backend: "js" };
    const fake = run(jobs[0].spec, 1, 0.123, 0.123);
    saveResult(resultFile(dir, "sign-seed1", stored), stored, fake);
    const seen: number[] = [];
    const got = await runRetentionJobs(jobs, { workers: 2, backend: "js", cacheDir: dir, onResult: (r) => seen.push(r.seed) });
    assert.equal(got[0], fake);
    assert.is(seen[0], 1, "the stored result is reported first");
    const fresh = (await runRetentionJobs([jobs[1]], { workers: 1, backend: "js" }))[0];
    assert.equal([got[1].aAfterA, got[1].aAfterB, got[1].b], [fresh.aAfterA, fresh.aAfterB, fresh.b]);
    // The run of seed 2 was stored under seed 2's job: a second pass reads both, and equals the first.
    const again = await runRetentionJobs(jobs, { workers: 2, backend: "js", cacheDir: dir });
    assert.equal(again, got);
    assert.is(fs.readdirSync(dir).length, 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("stored results: a changed, foreign or broken file is refused with the reason and kept", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-result-cache-"));
  try {
    const job = { a: 1, list: [1, 2] };
    const file = resultFile(dir, "run/one", job);
    assert.ok(path.basename(file).startsWith("run_one-"), "the label is made file-safe");
    assert.is(loadResult(file, job), null);
    assert.throws(() => saveResult(file, job, { accuracy: NaN }), /value\.accuracy is NaN/, "a NaN would come back as null");
    assert.is(fs.existsSync(file), false);
    saveResult(file, job, { accuracy: 0.5 });
    assert.equal(loadResult(file, { list: [1, 2], a: 1 }), { accuracy: 0.5 }, "key order does not matter");
    assert.throws(() => loadResult(file, { a: 2, list: [1, 2] }), (e: unknown) => e instanceof ResultCacheError && /another configuration/.test((e as Error).message));
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("0.5", "0.6"));
    assert.throws(() => loadResult(file, job), /SHA-256 mismatch/);
    fs.writeFileSync(file, "{ truncated");
    assert.throws(() => loadResult(file, job), /not valid JSON/);
    assert.ok(fs.existsSync(file), "a refused file is kept");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("readSweepRuns: groups JSON lines by transfer function, sorts by seed, refuses repeats and non-results", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sweep-runs-"));
  try {
    const sign: TransferSpec = { family: "sign" };
    const sym: TransferSpec = { family: "symmetric", k: 20, readRatio: 1 };
    const file = path.join(dir, "runs.jsonl");
    // Written out of seed order and interleaved, with a blank line: the reader must group and sort.
    const lines = [run(sym, 2, 0.6), run(sign, 3, 0.62), run(sym, 1, 0.58), run(sign, 1, 0.65)].map((r) => JSON.stringify(r));
    fs.writeFileSync(file, lines.slice(0, 2).join("\n") + "\n\n" + lines.slice(2).join("\n") + "\n");
    const m = readSweepRuns(file, null);
    assert.equal([...m.keys()].sort(), [specKey(sign), specKey(sym)].sort());
    assert.equal(m.get(specKey(sign))!.map((r) => r.seed), [1, 3]);
    assert.equal(m.get(specKey(sym))!.map((r) => [r.seed, r.aAfterB]), [[1, 0.58], [2, 0.6]]);
    fs.writeFileSync(file, lines.join("\n") + "\n" + lines[0] + "\n");
    assert.throws(() => readSweepRuns(file, null), /line 5|:5 repeats/);
    fs.writeFileSync(file, lines[0] + "\n" + JSON.stringify({ seed: 1 }) + "\n");
    assert.throws(() => readSweepRuns(file, null), /:2 is not a retention result/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("readSweepRuns: the committed full-mode file holds paired seeds for every function", () => {
  const m = readSweepRuns();
  assert.ok(m.size > 1, "more than one transfer function");
  const seeds = [...m.values()].map((rs) => rs.map((r) => r.seed).join(","));
  assert.ok(seeds.every((s) => s === seeds[0]), `every function has the same seeds (paired): ${seeds.join(" | ")}`);
});

/** A small plan (5 functions × 2 seeds) and fake results for it, made in reverse order. */
const SMALL_PLAN: SweepPlan = { ...MTT_CONTINUAL_FULL, ks: [2, 5], readK: 5, readRatios: [1, 0.8], asymK: 5, cfg: { ...MTT_CONTINUAL_FULL.cfg, seeds: [1, 2] } };
function fakeResults(plan: SweepPlan): SweepResults {
  const m: SweepResults = new Map();
  const specs = planSpecs(plan);
  for (const spec of [...specs].reverse()) m.set(specKey(spec), [...plan.cfg.seeds].reverse().map((seed) => run(spec, seed, 0.5 + 0.01 * seed + 0.001 * specs.indexOf(spec))));
  return m;
}
const sortedRuns = (m: SweepResults) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, rs]) => [k, [...rs].sort((a, b) => a.seed - b.seed)]);

test("writeSweepRuns / readSweepRuns: round trip, one result per line in plan order", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sweep-write-"));
  try {
    const file = path.join(dir, "sub", "runs.jsonl");
    const m = fakeResults(SMALL_PLAN);
    assert.is(writeSweepRuns(m, file, SMALL_PLAN), file);
    const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
    assert.is(lines.length, planSpecs(SMALL_PLAN).length * 2);
    // Plan order: functions as planSpecs lists them, seeds inner (the order runSweeps builds its jobs in).
    const order = lines.map((l) => { const r = JSON.parse(l) as RetentionResult; return `${specKey(r.spec)}#${r.seed}`; });
    assert.equal(order, planSpecs(SMALL_PLAN).flatMap((s) => [1, 2].map((seed) => `${specKey(s)}#${seed}`)));
    const back = readSweepRuns(file, SMALL_PLAN);
    assert.equal(sortedRuns(back), sortedRuns(m));
    assert.not.ok(fs.existsSync(`${file}.tmp`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("readSweepRuns refuses a file whose (function, seed) pairs differ from the plan; writeSweepRuns refuses incomplete results", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sweep-plan-"));
  try {
    const file = path.join(dir, "runs.jsonl");
    writeSweepRuns(fakeResults(SMALL_PLAN), file, SMALL_PLAN);
    // One more seed in the plan: the file lacks it for every function.
    const moreSeeds: SweepPlan = { ...SMALL_PLAN, cfg: { ...SMALL_PLAN.cfg, seeds: [1, 2, 3] } };
    assert.throws(() => readSweepRuns(file, moreSeeds), (e: unknown) => e instanceof RangeError && /runs\.jsonl does not hold the runs of the current plan/.test((e as Error).message) && /missing 5: sign seed 3, sym\/K=2\/rho=1 seed 3/.test((e as Error).message) && /none extra/.test((e as Error).message));
    // A K dropped from the grid: the file's runs of it are extra.
    const fewerKs: SweepPlan = { ...SMALL_PLAN, ks: [5] };
    assert.throws(() => readSweepRuns(file, fewerKs), /none missing; not in the plan 2: sym\/K=2\/rho=1 seed 1, sym\/K=2\/rho=1 seed 2\. The plan changed/);
    // By default the check is against the full-mode plan, which this small file is not.
    assert.throws(() => readSweepRuns(file), /does not hold the runs of the current plan/);
    assert.is(readSweepRuns(file, null).size, planSpecs(SMALL_PLAN).length, "null skips the check");
    // Writing: a missing run is refused and nothing is written.
    const partial = fakeResults(SMALL_PLAN);
    partial.get("sign")!.pop();
    const other = path.join(dir, "partial.jsonl");
    assert.throws(() => writeSweepRuns(partial, other, SMALL_PLAN), /the results to write does not hold .*missing 1: sign seed 1/);
    assert.not.ok(fs.existsSync(other));
    assert.throws(() => checkSweepRunsMatchPlan(fakeResults(SMALL_PLAN), moreSeeds, "x"), /^x does not hold/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the committed full-mode file holds exactly the runs of MTT_CONTINUAL_FULL, each line as writeSweepRuns writes it", () => {
  const m = readSweepRuns(MTT_CONTINUAL_FULL_RUNS_FILE, MTT_CONTINUAL_FULL);
  checkSweepRunsMatchPlan(m, MTT_CONTINUAL_FULL, MTT_CONTINUAL_FULL_RUNS_FILE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-sweep-committed-"));
  try {
    const copy = writeSweepRuns(m, path.join(dir, "runs.jsonl"), MTT_CONTINUAL_FULL);
    // Same lines, byte for byte; the committed file (written before writeSweepRuns existed) sorts the functions by
    // family, K and then ρ descending instead of plan order, so only the order of its lines may differ.
    const lines = (f: string) => fs.readFileSync(f, "utf8").trimEnd().split("\n").sort();
    assert.equal(lines(copy), lines(path.join(projectRoot(), MTT_CONTINUAL_FULL_RUNS_FILE)), "rewriting the committed runs reproduces its lines");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the committed full-mode runs of notebook 02: one stored result per run of the plan, equal to the jsonl quick mode reads", () => {
  // Full mode reads the result files, quick mode the jsonl: both must describe the same 44 runs of the current plan.
  const lines = readSweepRuns();
  let n = 0;
  const dir = path.join(projectRoot(), MTT_CONTINUAL_FULL_RUNS_DIR);
  for (const job of sweepJobs(MTT_CONTINUAL_FULL)) {
    const name = `${specKey(job.spec)} seed ${job.seed}`;
    const stored = loadRetentionResult(dir, job, "wasm");
    assert.ok(stored, `no stored result for ${name} (${retentionResultFile(dir, job, "wasm")}): after changing MTT_CONTINUAL_FULL run scripts/run-parallel-full.ts 02 and commit its files`);
    const line = lines.get(specKey(job.spec))!.find((r) => r.seed === job.seed)!;
    assert.equal([stored.aAfterA, stored.aAfterB, stored.b, stored.grownAfterA], [line.aAfterA, line.aAfterB, line.b, line.grownAfterA], name);
    n++;
  }
  assert.is(n, planSpecs(MTT_CONTINUAL_FULL).length * MTT_CONTINUAL_FULL.cfg.seeds.length);
  assert.is(fs.readdirSync(path.join(projectRoot(), MTT_CONTINUAL_FULL_RUNS_DIR)).filter((f) => f.endsWith(".json")).length, n, "no stored result of another plan");
});

test.run();
