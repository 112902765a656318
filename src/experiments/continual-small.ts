/**
 * Yang Fig 6d–k: task-incremental continual learning of three small 2-D tasks (Data-A → Data-B →
 * Data-C) by a 2×3×1 metaplastic BNN with 3-bit hidden weights and the ECRAM-MTT transfer function
 * (§4.9: lr 0.005, m = 10), compared with the same network without metaplasticity (m = 0); then the
 * first-layer hidden weights are written into ECRAM-MTT and RRAM-MTT units by write-verify.
 *
 * Each task has its own BatchNorm state (Laborieux et al.'s task-incremental setting); Adam is reset at
 * each new task. After every epoch the test accuracy of every task is measured with that task's
 * BatchNorm state. How a new task's BatchNorm starts is a config choice (`bnInit`): Laborieux's public
 * code keeps training the live BatchNorm modules and stores a copy per task, so task k starts from task
 * k − 1's trained γ, β ("previous-task"); "fresh" starts every task from γ = 1, β = 0.
 */
import type { WeightTransferFunction } from "../mtt/transfer-function";
import { createRng, type Rng } from "../util/rng";
import { backward, createNetwork, forward, inferenceWeights, lossAndGrad, type BinaryNetwork } from "../nn/network";
import { Trainer, evaluate, gatherBatch, shuffledIndices, train } from "../nn/train";
import { toyDataset, type ToyName } from "../nn/datasets/toy2d";
import type { Dataset } from "../nn/datasets/dataset";
import { hiddenLevels, quantizeHidden, validateHiddenGrid } from "../nn/quantizers";
import { programLayer, resolveHardware, type MappedLayer, type MttHardware, type MttTechnology } from "../nn/hardware-mapping";
import { branchCurrentUA, conductanceForHiddenUS, nodeVoltageV } from "../mtt/circuit";
import { writeVerify } from "../array/write-verify";
import { mean, median } from "../util/stats";
import { requireFinite, requireInRange, requireInteger, requireNonNegative } from "../util/validate";

export interface ContinualSmallConfig {
  seeds: number[];
  tasks: ToyName[];
  /** Points per task for training and test (assumed; the paper shows the sets only as plots). */
  trainCount: number;
  testCount: number;
  /** Epochs per task (assumed: 30; the paper does not give it). */
  epochsPerTask: number;
  /** Assumed: 10. */
  batchSize: number;
  /** §4.9: 0.005. */
  lr: number;
  /** §4.9: m = 10; the baseline uses 0. */
  meta: number;
  /** §4.9: 3 bits within ±1. */
  hiddenBits: number;
  transfer: WeightTransferFunction;
  /** Hidden units; §4.9: 3 (2×3×1). Other widths only for the capacity control, never for the registry value. */
  hiddenUnits?: number;
  /**
   * How the BatchNorm state of task k > 0 starts. "previous-task" (public model: Laborieux et al.'s continual
   * learning main.py trains the same BatchNorm modules through the whole sequence and saves a copy after each
   * task, so a new task starts from the previous task's trained γ, β); "fresh": γ = 1, β = 0 for every task.
   * Default "fresh" (this module's first protocol).
   */
  bnInit?: "fresh" | "previous-task";
  /**
   * What the optimizer writes into the hidden weight. "float" (default): W_h is a full-precision accumulator and
   * the n-bit quantizer acts on the read path only (W_b = f(Q_n(W_h))). "stochastic-levels": W_h is the device state
   * itself, one of the 2^n levels; after each optimizer step the updated value is rounded to one of its two
   * neighbouring levels at random, with probabilities that keep the expectation (unbiased stochastic rounding), and
   * the next step's f_meta sees the stored level. Assumed (the paper says only that the hidden weights are quantized
   * to 3 bits during training); deterministic rounding of stored levels would never move: Adam's steps (≈ lr =
   * 0.005) are far below half the level spacing (1/7 for 3 bits within ±1).
   */
  hiddenStorage?: "float" | "stochastic-levels";
}

export interface ContinualPoint {
  seed: number;
  meta: number;
  /** Epoch counted over the whole sequence, 1-based. */
  epoch: number;
  trainingTask: string;
  evalTask: string;
  accuracy: number;
}

export interface ContinualRun {
  seed: number;
  meta: number;
  net: BinaryNetwork;
  tests: Dataset[];
  curve: ContinualPoint[];
  /** Test accuracy of every task after the whole sequence. */
  finalAccuracy: number[];
  /** Test accuracy of each task right after it was trained. */
  justLearned: number[];
  /** Copies of the hidden weights of every layer right after each task (for the lock-in diagnosis). */
  hiddenAfterTask: Float32Array[][];
  /** Mean |W_h| of each layer after every epoch (epoch counted over the sequence, 1-based). */
  hiddenTrace: { epoch: number; layer: number; meanAbsHidden: number }[];
}

/** Train one restart through the task sequence with the given metaplasticity. */
export function runContinualSmall(cfg: ContinualSmallConfig, seed: number, meta: number, transfer: WeightTransferFunction = cfg.transfer): ContinualRun {
  const rng = createRng(`continual-small/${seed}`);
  const trains = cfg.tasks.map((t) => toyDataset(t, cfg.trainCount, rng.fork("train")));
  const tests = cfg.tasks.map((t) => toyDataset(t, cfg.testCount, rng.fork("test")));
  const net = createNetwork({ layerSizes: [2, cfg.hiddenUnits ?? 3, 1], transfer, hiddenBits: cfg.hiddenBits, tasks: cfg.tasks.length }, rng.fork("net"));
  const trainer = new Trainer(net, { lr: cfg.lr, meta });
  const storage = cfg.hiddenStorage ?? "float";
  let onStep: (() => void) | undefined;
  if (storage === "stochastic-levels") {
    const levelRng = rng.fork("stochastic-levels");
    const levels = hiddenLevels(cfg.hiddenBits);
    onStep = () => net.hidden.forEach((h) => roundToLevelsStochastic(h, levels, levelRng));
    onStep();
  } else if (storage !== "float") throw new RangeError(`hiddenStorage must be "float" or "stochastic-levels", got ${JSON.stringify(storage)}`);
  const bnInit = cfg.bnInit ?? "fresh";
  if (bnInit !== "fresh" && bnInit !== "previous-task") throw new RangeError(`bnInit must be "fresh" or "previous-task", got ${JSON.stringify(bnInit)}`);
  const curve: ContinualPoint[] = [];
  const justLearned: number[] = [];
  const hiddenAfterTask: Float32Array[][] = [];
  const hiddenTrace: ContinualRun["hiddenTrace"] = [];
  cfg.tasks.forEach((name, k) => {
    if (k > 0 && bnInit === "previous-task") copyBatchNorm(net, k - 1, k);
    train(trainer, trains[k], {
      onStep,
      epochs: cfg.epochsPerTask,
      batchSize: cfg.batchSize,
      task: k,
      rng: rng.fork(`training/${k}`),
      evalSets: tests.map((d, j) => ({ name: cfg.tasks[j], data: d, task: j })),
      onEpoch: (r) => {
        const epoch = k * cfg.epochsPerTask + r.epoch + 1;
        for (const [evalTask, acc] of Object.entries(r.evals)) curve.push({ seed, meta, epoch, trainingTask: name, evalTask, accuracy: acc });
        net.hidden.forEach((h, layer) => hiddenTrace.push({ epoch, layer, meanAbsHidden: h.reduce((a, w) => a + Math.abs(w), 0) / h.length }));
      },
    });
    justLearned.push(evaluate(net, tests[k], { task: k }).accuracy);
    hiddenAfterTask.push(net.hidden.map((h) => h.slice()));
  });
  return { seed, meta, net, tests, curve, finalAccuracy: tests.map((d, j) => evaluate(net, d, { task: j }).accuracy), justLearned, hiddenAfterTask, hiddenTrace };
}

/** What a set of restarts of one protocol ended with (accuracies in %, forgetting in percentage points). */
export interface RestartSummary {
  restarts: number;
  /** The accuracy (%) that counts as "kept" or "learned" in `keptAll` and `learnedEach`. */
  barPct: number;
  /** Median over restarts of each task's final test accuracy, in task order. */
  medianFinalPct: number[];
  /** Median over restarts of the lowest final task accuracy: the registry's `yang.cl.small` measure. */
  medianMinFinalPct: number;
  /** Restarts whose lowest final task accuracy is at least `barPct`. */
  keptAll: number;
  /** Restarts that reached at least `barPct` on every task right after learning it. */
  learnedEach: number;
  /**
   * Median over restarts of the forgetting, max over tasks of (accuracy right after the task was learned − final
   * accuracy). A task that improves later counts as negative, so a restart that forgets nothing scores ≤ 0.
   */
  medianForgettingPp: number;
}

/** Summarise restarts of one protocol (one m); `barPct` is the accuracy that counts as "kept" or "learned". */
export function summarizeRestarts(runs: readonly ContinualRun[], barPct = 90): RestartSummary {
  if (runs.length === 0) throw new RangeError("summarizeRestarts: no restarts");
  const tasks = runs[0].finalAccuracy.length;
  for (const r of runs) {
    if (r.finalAccuracy.length !== tasks || r.justLearned.length !== tasks)
      throw new RangeError(`summarizeRestarts: seed ${r.seed} has ${r.finalAccuracy.length} final and ${r.justLearned.length} just-learned accuracies, expected ${tasks}`);
  }
  const mins = runs.map((r) => 100 * Math.min(...r.finalAccuracy));
  return {
    restarts: runs.length,
    barPct,
    medianFinalPct: Array.from({ length: tasks }, (_, j) => median(runs.map((r) => 100 * r.finalAccuracy[j]))),
    medianMinFinalPct: median(mins),
    keptAll: mins.filter((m) => m >= barPct).length,
    learnedEach: runs.filter((r) => 100 * Math.min(...r.justLearned) >= barPct).length,
    medianForgettingPp: median(runs.map((r) => 100 * Math.max(...r.justLearned.map((a, j) => a - r.finalAccuracy[j])))),
  };
}

/**
 * Fig 6e's "without catastrophic forgetting", the part about forgetting, as the registry's `yang.cl.small.forgetting`
 * predicate: with metaplasticity the median forgetting ({@link RestartSummary}) stays within `keptPp` points while the
 * same protocol without it (m = 0) forgets at least `catastrophicPp` points, so the task sequence does cause forgetting
 * and metaplasticity is what prevents it. Defaults: 10 points, the margin of the 90 % bar of `yang.cl.small` on tasks
 * learned to ≈ 100 %; 20 points, a fifth of the way from perfect towards losing a task entirely (a two-class task
 * forgotten falls towards 50 %).
 */
export function metaplasticityPreventsForgetting(
  metaplastic: Pick<RestartSummary, "medianForgettingPp">,
  control: Pick<RestartSummary, "medianForgettingPp">,
  keptPp = 10,
  catastrophicPp = 20,
): boolean {
  requireFinite("metaplastic median forgetting (points)", metaplastic.medianForgettingPp);
  requireFinite("m = 0 median forgetting (points)", control.medianForgettingPp);
  if (!(keptPp < catastrophicPp)) throw new RangeError(`metaplasticityPreventsForgetting: keptPp ${keptPp} must be below catastrophicPp ${catastrophicPp}`);
  return metaplastic.medianForgettingPp <= keptPp && control.medianForgettingPp >= catastrophicPp;
}

/**
 * Each restart's lowest final task accuracy (%), the value whose median over restarts is the registry's
 * `yang.cl.small` measure, with the task that has it (the first in task order on a tie); `tasks` names the tasks in
 * order. One row per run, in the runs' order.
 */
export function lowestFinalTasks(runs: readonly ContinualRun[], tasks: readonly string[]): { seed: number; meta: number; lowestPct: number; task: string }[] {
  return runs.map((r) => {
    if (r.finalAccuracy.length !== tasks.length) throw new RangeError(`lowestFinalTasks: seed ${r.seed} has ${r.finalAccuracy.length} final accuracies for ${tasks.length} task names`);
    const j = r.finalAccuracy.indexOf(Math.min(...r.finalAccuracy));
    return { seed: r.seed, meta: r.meta, lowestPct: 100 * r.finalAccuracy[j], task: tasks[j] };
  });
}

/**
 * Each task's points of a training curve from the first epoch it is trained on (per seed, m and task; the order of
 * the points is kept; a task never trained has none). Before that a task is read through BatchNorm parameters nobody
 * has trained (γ = 1, β = 0, on the test batch's statistics): the single output then splits the test set at its batch
 * mean, and whether that split matches the task's classes, ignores them or swaps them (0 %) depends only on what the
 * other tasks did to the shared weights, so those points say nothing about the task.
 */
export function fromFirstTraining(curve: readonly ContinualPoint[]): ContinualPoint[] {
  const key = (p: ContinualPoint) => `${p.seed}/${p.meta}/${p.evalTask}`;
  const first = new Map<string, number>();
  for (const p of curve) if (p.trainingTask === p.evalTask) first.set(key(p), Math.min(first.get(key(p)) ?? Infinity, p.epoch));
  return curve.filter((p) => p.epoch >= (first.get(key(p)) ?? Infinity));
}

/** Why restarts end with a task below the bar: {@link failureBreakdown}. */
export interface FailureBreakdown {
  restarts: number;
  /** Restarts with some final task accuracy below the bar. */
  failing: number;
  /** Per task, in order: restarts in which it ends below the bar and was below it already right after it was learned. */
  neverLearned: number[];
  /** Per task: restarts in which it ends below the bar although it reached the bar right after it was learned. */
  lostLater: number[];
}

/**
 * Split the tasks that end below `barPct` (%) over restarts into never learned (below the bar already right after
 * their own training) and lost later (learned, then forgotten during later tasks).
 */
export function failureBreakdown(runs: readonly ContinualRun[], barPct = 90): FailureBreakdown {
  if (runs.length === 0) throw new RangeError("failureBreakdown: no restarts");
  const tasks = runs[0].finalAccuracy.length;
  const neverLearned = new Array<number>(tasks).fill(0);
  const lostLater = new Array<number>(tasks).fill(0);
  let failing = 0;
  for (const r of runs) {
    if (r.finalAccuracy.length !== tasks || r.justLearned.length !== tasks)
      throw new RangeError(`failureBreakdown: seed ${r.seed} has ${r.finalAccuracy.length} final and ${r.justLearned.length} just-learned accuracies, expected ${tasks}`);
    let failed = false;
    for (let j = 0; j < tasks; j++) {
      if (100 * r.finalAccuracy[j] >= barPct) continue;
      failed = true;
      if (100 * r.justLearned[j] >= barPct) lostLater[j]++;
      else neverLearned[j]++;
    }
    if (failed) failing++;
  }
  return { restarts: runs.length, failing, neverLearned, lostLater };
}

/** Where a mapped network's accuracy on one task is lost: {@link readoutLossAttribution}. */
export interface ReadoutLossAttribution {
  /** Index of the task whose three readouts differ most. */
  task: number;
  /** That task's accuracies (%): software with test-batch statistics, software with the stored statistics, through the units. */
  batchPct: number;
  storedPct: number;
  unitsPct: number;
  /** batch − stored: what replacing the test batch's statistics by the stored ones costs (points). */
  fromStatisticsPp: number;
  /** stored − units: what programming the devices costs with the same stored statistics (points). */
  fromProgrammingPp: number;
  /**
   * "agree": the three readouts of every task lie within `agreePp`; "statistics" or "programming": one part is at least
   * `dominance` times the other in magnitude; "both": neither dominates.
   */
  cause: "agree" | "statistics" | "programming" | "both";
}

/**
 * Split the loss of a hardware readout into its two steps, for the task whose readouts (test-batch statistics,
 * stored statistics in software, stored statistics through the MTT units; accuracies in [0, 1]) differ most: the
 * stored BatchNorm statistics (batch − stored) and the programming of the devices (stored − units).
 */
export function readoutLossAttribution(batch: ArrayLike<number>, stored: ArrayLike<number>, units: ArrayLike<number>, agreePp = 1, dominance = 2): ReadoutLossAttribution {
  if (batch.length === 0 || stored.length !== batch.length || units.length !== batch.length)
    throw new RangeError(`readoutLossAttribution: ${batch.length}, ${stored.length} and ${units.length} task accuracies; expected equal non-zero counts`);
  const pct = (a: ArrayLike<number>) => Array.from(a, (v) => 100 * v);
  const [b, s, u] = [pct(batch), pct(stored), pct(units)];
  const spread = b.map((x, j) => Math.max(x, s[j], u[j]) - Math.min(x, s[j], u[j]));
  const j = spread.indexOf(Math.max(...spread));
  const [fromStatisticsPp, fromProgrammingPp] = [b[j] - s[j], s[j] - u[j]];
  const [st, pr] = [Math.abs(fromStatisticsPp), Math.abs(fromProgrammingPp)];
  const cause = spread[j] <= agreePp ? "agree" : st >= dominance * pr ? "statistics" : pr >= dominance * st ? "programming" : "both";
  return { task: j, batchPct: b[j], storedPct: s[j], unitsPct: u[j], fromStatisticsPp, fromProgrammingPp, cause };
}

/** The four columns every restart table of notebook 05 shows, from a summary. */
export function restartSummaryColumns(s: RestartSummary): Record<string, string | number> {
  const barPct = s.barPct;
  return {
    "median min over tasks (%)": s.medianMinFinalPct,
    [`restarts keeping all ≥ ${barPct} %`]: `${s.keptAll}/${s.restarts}`,
    "median forgetting (points)": s.medianForgettingPp,
    [`restarts learning every task ≥ ${barPct} % when presented`]: `${s.learnedEach}/${s.restarts}`,
  };
}

/** Copy task `from`'s BatchNorm state (γ, β, running statistics) of every layer into task `to`. */
export function copyBatchNorm(net: BinaryNetwork, from: number, to: number): void {
  net.bn[to].forEach((b, l) => {
    const p = net.bn[from][l];
    b.gamma.set(p.gamma);
    b.beta.set(p.beta);
    b.runningMean.set(p.runningMean);
    b.runningVar.set(p.runningVar);
  });
}

/**
 * Unbiased stochastic rounding onto ascending, evenly spaced `levels`, in place: a value between levels a < b
 * becomes b with probability (v − a)/(b − a), else a; values beyond the outer levels saturate. One uniform draw per
 * value, in index order.
 */
export function roundToLevelsStochastic(values: Float32Array, levels: readonly number[], rng: Rng): void {
  if (levels.length < 2 || !(levels[levels.length - 1] > levels[0])) throw new RangeError(`levels must hold at least two increasing values, got [${levels.join(", ")}]`);
  const lo = levels[0];
  const n = levels.length;
  const step = (levels[n - 1] - lo) / (n - 1);
  for (let i = 0; i < values.length; i++) {
    const u = (values[i] - lo) / step;
    let k: number;
    if (u <= 0) k = 0;
    else if (u >= n - 1) k = n - 1;
    else {
      const f = Math.floor(u);
      k = rng.uniform() < u - f ? f + 1 : f;
    }
    values[i] = levels[k];
  }
}

/**
 * How the first-layer gradient of each hidden unit sits relative to the unit's binary weights, over one pass of
 * mini-batches of `data` (training mode, batch statistics, the network unchanged). BatchNorm after z = x·W_b makes
 * the loss invariant to scaling a unit's incoming binary weights, so Σ_i W_b[i, j]·∂L/∂W_b[i, j] = 0 (up to the BatchNorm ε).
 * With two inputs this means that whenever the gradient is not zero one of the unit's two weights is pushed away
 * from zero and the other towards it. Returns `relativeDot` = Σ|W_b·g| / Σ‖W_b‖‖g‖ over all (batch, unit) pairs (0 when
 * every gradient is orthogonal to its unit's weights; a magnitude-weighted sum, so the float rounding of near-zero
 * gradients of saturated units does not dominate it), and in how many pairs with a non-zero gradient the two weights
 * were pushed in opposite senses (one outward, one inward). `batchSize` must be an integer in 2 … data.count (one
 * sample gives BatchNorm no gradient, a batch larger than the set gives no batch). If no pair has a non-zero gradient
 * anyway (`pairs` = 0), `relativeDot` is NaN: there is nothing to measure.
 */
export function firstLayerGradientGeometry(net: BinaryNetwork, data: Dataset, task: number, batchSize: number, rng: Rng): { relativeDot: number; opposite: number; pairs: number } {
  const sizes = net.config.layerSizes;
  if (sizes[0] !== 2) throw new RangeError(`needs a network with 2 inputs, got ${sizes[0]}`);
  requireInteger("batchSize", batchSize, 2);
  if (batchSize > data.count) throw new RangeError(`batchSize must be ≤ the ${data.count} samples of dataset "${data.name}", got ${batchSize}`);
  const units = sizes[1];
  const order = shuffledIndices(data.count, rng);
  const w = inferenceWeights(net);
  let dotSum = 0;
  let normSum = 0;
  let opposite = 0;
  let pairs = 0;
  for (let start = 0; start + batchSize <= data.count; start += batchSize) {
    const { x, labels } = gatherBatch(data, order, start, batchSize);
    // The running statistics are not part of the question: restore them after the training-mode pass.
    const saved = net.bn[task].map((b) => ({ m: b.runningMean.slice(), v: b.runningVar.slice() }));
    const fwd = forward(net, w, x, batchSize, task, { training: true });
    net.bn[task].forEach((b, l) => { b.runningMean.set(saved[l].m); b.runningVar.set(saved[l].v); });
    const { grad } = lossAndGrad(fwd.logits, labels, batchSize, sizes[sizes.length - 1]);
    const g = backward(net, w, fwd, grad, batchSize, task).weights[0];
    for (let j = 0; j < units; j++) {
      const a = w[0][j], b = w[0][units + j], ga = g[j], gb = g[units + j];
      const norm = Math.hypot(a, b) * Math.hypot(ga, gb);
      if (!(norm > 0)) continue;
      pairs++;
      dotSum += Math.abs(a * ga + b * gb);
      normSum += norm;
      // A descent step −lr·g moves W outward where W·g < 0.
      if (Math.sign(a * ga) === -Math.sign(b * gb) && a * ga !== 0) opposite++;
    }
  }
  return { relativeDot: pairs > 0 ? dotSum / normSum : NaN, opposite, pairs };
}

/** A hidden unit's role in one task of {@link handSetJointNetwork}: a threshold on its projection, or a constant +1. */
type UnitRule = { threshold: number; above: boolean } | "constant";

/**
 * Capacity check: one hand-set 2×3×1 network (binary weights, per-task BatchNorm, the given transfer function) that
 * classifies Data-A, Data-B and Data-C at the same time, i.e. the three tasks fit into one 2×3×1 network, as the paper
 * says its network held its three sets. Set by hand from the blob geometry (toy2d.ts), not trained:
 * - first layer: units 0 and 1 on x1 + x2, unit 2 on x1 − x2 (all hidden weights at the level ±1);
 * - second layer: all three weights +1, so the output sums the three ±1 units;
 * - per task, each unit either thresholds its projection midway between the blobs' projections, or is held at +1
 *   by its BatchNorm (γ = 0, β = 1). Data-A: unit 0 is +1 above x1 + x2 = −1.2, unit 1 below +1.2 (the class-1 blob
 *   projects to 0, the class-0 blobs to ±2.4), so the sum is 3 inside the band and 1 outside; Data-B: unit 2 is +1
 *   where x1 − x2 > 0 (blobs at ±1.6); Data-C: unit 0 is +1 above x1 + x2 = 1.6 (blobs at 3.2 and 0). The output
 *   BatchNorm puts the decision midway between the sums 3 and 1.
 * β is set from the statistics of `sets[t]` (the batch statistics the evaluation uses when a set is one batch).
 */
export function handSetJointNetwork(transfer: WeightTransferFunction, sets: readonly Dataset[]): BinaryNetwork {
  if (sets.length !== 3) throw new RangeError(`needs the three sets Data-A, Data-B, Data-C, got ${sets.length}`);
  const net = createNetwork({ layerSizes: [2, 3, 1], transfer, hiddenBits: 3, tasks: 3 }, createRng("hand-set"));
  // in×out row-major: row 0 holds the x1 weights of units 0..2, row 1 the x2 weights.
  net.hidden[0].set([1, 1, 1, 1, 1, -1]);
  net.hidden[1].set([1, 1, 1]);
  const rules: UnitRule[][] = [
    [{ threshold: -1.2, above: true }, { threshold: 1.2, above: false }, "constant"],
    ["constant", "constant", { threshold: 0, above: true }],
    [{ threshold: 1.6, above: true }, "constant", "constant"],
  ];
  const [w0, w1] = inferenceWeights(net);
  const eps = net.config.bnEps;
  const stats = (v: number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
    return { mean, std: Math.sqrt(variance + eps) };
  };
  sets.forEach((d, t) => {
    const hidden: number[][] = Array.from({ length: d.count }, () => []);
    rules[t].forEach((rule, j) => {
      const bn = net.bn[t][0];
      const z = Array.from({ length: d.count }, (_, i) => d.x[2 * i] * w0[j] + d.x[2 * i + 1] * w0[3 + j]);
      if (rule === "constant") {
        bn.gamma[j] = 0;
        bn.beta[j] = 1;
        z.forEach((_, i) => hidden[i].push(1));
        return;
      }
      // The threshold is on the projection x1 ± x2; z = |W_b|·(x1 ± x2).
      const zStar = rule.threshold * Math.abs(w0[j]);
      const { mean, std } = stats(z);
      bn.gamma[j] = rule.above ? 1 : -1;
      bn.beta[j] = rule.above ? (mean - zStar) / std : (zStar - mean) / std;
      z.forEach((v, i) => hidden[i].push((rule.above ? v >= zStar : v <= zStar) ? 1 : -1));
    });
    const out = hidden.map((h) => h.reduce((a, hj, j) => a + hj * w1[j], 0));
    const { mean, std } = stats(out);
    const mid = 2 * Math.abs(w1[0]);
    net.bn[t][1].gamma[0] = 1;
    net.bn[t][1].beta[0] = (mean - mid) / std;
  });
  return net;
}

/**
 * Sign flips of the first-layer hidden weights while the last task was learned, split by how large |W_h| was
 * before it (below `guard`: weights that no consolidation protects). A binary weight contributes ±1 whatever its
 * |W_h|, so a flip of an unprotected weight still moves every earlier task's pre-activation.
 */
export function lastTaskFlips(run: ContinualRun, guard = 0.1): { unprotected: number; protected: number } {
  const n = run.hiddenAfterTask.length;
  if (n < 2) throw new RangeError(`needs at least two tasks, the run has ${n}`);
  const before = run.hiddenAfterTask[n - 2][0];
  const after = run.hiddenAfterTask[n - 1][0];
  let unprotectedFlips = 0;
  let protectedFlips = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] >= 0 === after[i] >= 0) continue;
    if (Math.abs(before[i]) < guard) unprotectedFlips++;
    else protectedFlips++;
  }
  return { unprotected: unprotectedFlips, protected: protectedFlips };
}

/** What one first-layer hidden unit of a 2-input network looks at. */
export interface UnitProjection {
  /**
   * With binary first-layer weights (the ECRAM-MTT table is ±0.985…±0.998 at the 3-bit levels) a unit
   * sees s·(x1 + x2) or s·(x1 − x2); the sign s and the threshold belong to the task's BatchNorm (γ may be
   * negative, β shifts), so the only thing the tasks share per unit is which of the two diagonals it uses.
   */
  projection: "x1+x2" | "x1−x2";
  /**
   * min(|W_h|) over the unit's two weights: flipping either one changes the projection, and the
   * metaplastic damping of that flip is f_meta(m, this value) (the smaller weight is the weaker guard).
   */
  guardMagnitude: number;
}

/**
 * The projection of every hidden unit of a first layer with 2 inputs (weights in×out row-major, in = 2):
 * unit j uses x1 + x2 when sign(W[0, j]) = sign(W[1, j]) (sign(0) = +1, as the binarizer), else x1 − x2.
 */
export function unitProjections(firstLayer: ArrayLike<number>, units: number): UnitProjection[] {
  if (firstLayer.length !== 2 * units) throw new RangeError(`firstLayer must hold 2×${units} weights (2 inputs × ${units} units), got ${firstLayer.length}`);
  return Array.from({ length: units }, (_, j) => {
    const a = firstLayer[j];
    const b = firstLayer[units + j];
    return { projection: (a >= 0) === (b >= 0) ? "x1+x2" : "x1−x2", guardMagnitude: Math.min(Math.abs(a), Math.abs(b)) };
  });
}

/** One point of a programming trajectory with the MTT node voltage and inference current it implies. */
export interface ProgrammingTracePoint {
  technology: MttTechnology;
  device: string;
  pulse: number;
  conductanceUS: number;
  nodeVoltageV: number;
  inferenceCurrentUA: number;
}

/** A trace point of one device of a mapped weight: `device` "w3 +" is the G+ device (`pairSide`) of weight "w3". */
export interface WeightTracePoint extends ProgrammingTracePoint {
  weight: string;
  pairSide: "G+" | "G−";
}

export interface HardwareMapping {
  technology: MttTechnology;
  /** The devices, unit and scheme that were programmed. */
  hardware: MttHardware;
  /** The first layer (Fig 6f–k shows its devices). */
  layer: MappedLayer;
  /** Every programmed layer, first to last. */
  layers: MappedLayer[];
  /** Hardware test accuracy per task with all layers programmed. */
  hardwareAccuracy: number[];
  softwareAccuracy: number[];
  traces: WeightTracePoint[];
  pulsesPerDevice: number[];
}

/**
 * Program every layer of a trained run into MTT units of one technology, evaluate all tasks through the
 * circuit, and return every programmed layer, with traces (node voltage and inference current) for the first
 * layer's devices. `hardware` names a shipped technology or is one built from another device preset
 * (`ecramMttHardware(device)`, src/nn/hardware-mapping.ts).
 */
export function mapContinualToHardware(cfg: ContinualSmallConfig, run: ContinualRun, hardware: MttTechnology | MttHardware): HardwareMapping {
  const hw = resolveHardware(hardware);
  const technology = hw.technology;
  const rng = createRng(`continual-small/${run.seed}/${technology}/programming`);
  const layers = run.net.hidden.map((h, l) => programLayer(hw, h.map((v) => quantizeHidden(v, cfg.hiddenBits)), rng.fork(`layer${l}`), { traces: l === 0 }));
  const weights = layers.map((m) => m.inferenceWeights);
  const hardwareAccuracy = run.tests.map((d, j) => evaluate(run.net, d, { task: j, weights, bnMode: "running" }).accuracy);
  const softwareAccuracy = run.tests.map((d, j) => evaluate(run.net, d, { task: j, bnMode: "running" }).accuracy);
  const traces: WeightTracePoint[] = [];
  const c = hw.unit.circuit;
  for (const d of layers[0].devices) {
    const weight = `w${d.weightIndex + 1}`;
    const name = `${weight} ${d.side === "positive" ? "+" : "−"}`;
    const pairSide = d.side === "positive" ? "G+" : "G−";
    (d.trace ?? []).forEach((g, p) => traces.push({ technology, device: name, weight, pairSide, pulse: p, conductanceUS: g, nodeVoltageV: nodeVoltageV(c, g), inferenceCurrentUA: branchCurrentUA(c, g, 1) }));
  }
  return { technology, hardware: hw, layer: layers[0], layers, hardwareAccuracy, softwareAccuracy, traces, pulsesPerDevice: layers.flatMap((m) => m.devices.map((d) => d.pulses)) };
}

/** Write-verify cost and accuracy of the first-layer devices of several mappings, per technology (Fig 6f–k). */
export interface WriteVerifySummary {
  technology: MttTechnology;
  devices: number;
  meanPulses: number;
  maxPulses: number;
  /** Mean |reached − target| over the weight-carrying devices (the idle ones are erased to the floor, not verified), µS. */
  meanAbsErrorUS: number;
}

/**
 * The first-layer devices of `maps` grouped by technology, in order of first appearance, with the hardware of the
 * group's first mapping (summarise mappings of one device preset per technology: two ECRAM variants would merge).
 */
function firstLayerDevicesByTechnology(maps: readonly HardwareMapping[]): { technology: MttTechnology; hardware: MttHardware; devices: HardwareMapping["layer"]["devices"] }[] {
  const technologies = [...new Set(maps.map((m) => m.technology))];
  return technologies.map((technology) => {
    const group = maps.filter((m) => m.technology === technology);
    return { technology, hardware: group[0].hardware, devices: group.flatMap((m) => m.layer.devices) };
  });
}

/** Summarise the first-layer devices of `maps` per technology, in order of first appearance. */
export function writeVerifySummary(maps: readonly HardwareMapping[]): WriteVerifySummary[] {
  return firstLayerDevicesByTechnology(maps).map(({ technology, devices }) => {
    const carrying = devices.filter((d) => d.carriesWeight);
    return {
      technology,
      devices: devices.length,
      meanPulses: mean(devices.map((d) => d.pulses)),
      maxPulses: Math.max(...devices.map((d) => d.pulses)),
      meanAbsErrorUS: carrying.length ? mean(carrying.map((d) => Math.abs(d.finalUS - d.targetUS))) : NaN,
    };
  });
}

/** How write-verify ended on the weight-carrying first-layer devices of one technology: {@link programmingErrorBreakdown}. */
export interface ProgrammingErrorBreakdown {
  technology: MttTechnology;
  /** Weight-carrying devices (the idle ones are erased to the floor, not verified). */
  carrying: number;
  /** Half-width of the scheme's acceptance band: verify stops at the first read with |G − target| ≤ toleranceUS, µS. */
  toleranceUS: number;
  /** True final states in the inner half of the band (|error| ≤ toleranceUS/2), in its outer half, and outside it (the verify reads carry the device's read noise). */
  innerHalf: number;
  outerHalf: number;
  outside: number;
  /** Devices that end exactly on their target (|error| < 1e-9 µS), and how many of those had the top of the device model's range as target. */
  exact: number;
  exactAtDeviceTop: number;
  /** Top of the unit's conductance window (the target of |W_h| = 1) and of the device model's range, µS. */
  windowTopUS: number;
  deviceTopUS: number;
}

/** Summarise the programming error of the weight-carrying first-layer devices of `maps` per technology, in order of first appearance. */
export function programmingErrorBreakdown(maps: readonly HardwareMapping[]): ProgrammingErrorBreakdown[] {
  return firstLayerDevicesByTechnology(maps).map(({ technology, hardware: hw, devices }) => {
    const tol = hw.scheme.toleranceUS;
    const deviceTopUS = hw.newDevice().gMaxUS;
    const carrying = devices.filter((d) => d.carriesWeight);
    const err = carrying.map((d) => Math.abs(d.finalUS - d.targetUS));
    const exact = carrying.filter((_, i) => err[i] < 1e-9);
    return {
      technology,
      carrying: carrying.length,
      toleranceUS: tol,
      innerHalf: err.filter((e) => e <= tol / 2).length,
      outerHalf: err.filter((e) => e > tol / 2 && e <= tol).length,
      outside: err.filter((e) => e > tol).length,
      exact: exact.length,
      exactAtDeviceTop: exact.filter((d) => Math.abs(d.targetUS - deviceTopUS) < 1e-9).length,
      windowTopUS: hw.unit.window.gMaxUS,
      deviceTopUS,
    };
  });
}

/**
 * The largest gap (percentage points, absolute) over the tasks between two readouts of a mapped network with the same
 * BatchNorm statistics, software (`softwareAccuracy`) and through the programmed units (`hardwareAccuracy`), both in
 * [0, 1]: what programming the devices costs.
 */
export function maxProgrammingGapPp(m: Pick<HardwareMapping, "softwareAccuracy" | "hardwareAccuracy">): number {
  if (m.softwareAccuracy.length === 0 || m.softwareAccuracy.length !== m.hardwareAccuracy.length)
    throw new RangeError(`maxProgrammingGapPp: ${m.softwareAccuracy.length} software and ${m.hardwareAccuracy.length} hardware accuracies; expected equal non-zero counts`);
  return Math.max(...m.softwareAccuracy.map((s, j) => 100 * Math.abs(s - m.hardwareAccuracy[j])));
}

/** {@link lastTaskFlips} summed over runs. */
export function lastTaskFlipTotals(runs: readonly ContinualRun[], guard = 0.1): { unprotected: number; protected: number } {
  return runs.reduce((t, r) => {
    const f = lastTaskFlips(r, guard);
    return { unprotected: t.unprotected + f.unprotected, protected: t.protected + f.protected };
  }, { unprotected: 0, protected: 0 });
}

/**
 * True when every value is finite and is a level −bound + k·2·bound/(2^n − 1), k = 0 … 2^n − 1, of the uniform
 * n-bit grid within ±bound (to float32 precision); throws for no values. Checked from that formula, not with
 * {@link quantizeHidden}, so a quantizer that drifted off the grid (other levels, another bound) fails it even
 * though the mapping rounds its targets with that quantizer.
 */
export function onHiddenGrid(values: ArrayLike<number>, bits: number, bound = 1): boolean {
  validateHiddenGrid(bits, bound);
  if (values.length === 0) throw new RangeError("onHiddenGrid: no values to check (an empty set would pass vacuously)");
  const top = 2 ** bits - 1;
  const step = (2 * bound) / top;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) return false;
    const k = Math.round((v + bound) / step);
    if (k < 0 || k > top || Math.abs(-bound + k * step - v) > 1e-6) return false;
  }
  return true;
}

/**
 * Fig 6h,k illustration: one device of a unit, erased to its floor, write-verified up to the conductance
 * of hidden weight `hidden` (e.g. a 3-bit level); the trace with the divider node voltage and the
 * inference current shows the binary weight saturating long before the hidden weight arrives.
 */
export function programFromFloor(hardware: MttTechnology | MttHardware, hidden: number, seed = 1): ProgrammingTracePoint[] {
  requireInRange("hidden (|W_h|)", Math.abs(hidden), 0, 1);
  const hw = resolveHardware(hardware);
  const technology = hw.technology;
  const rng = createRng(`program-from-floor/${technology}/${seed}`);
  const dev = hw.newDevice();
  dev.setConductanceUS(dev.gMinUS);
  const res = writeVerify(dev, hw.unit.window.gMinUS + Math.abs(hidden) * (hw.unit.window.gMaxUS - hw.unit.window.gMinUS), hw.scheme, rng, { trace: true });
  const c = hw.unit.circuit;
  return (res.trace ?? []).map((g, p) => ({ technology, device: `from floor to |W_h| = ${Math.abs(hidden).toFixed(3)}`, pulse: p, conductanceUS: g, nodeVoltageV: nodeVoltageV(c, g), inferenceCurrentUA: branchCurrentUA(c, g, 1) }));
}

/** Where a {@link programFromFloor} run is headed, and the unit's read point that bounds its node voltage and current. */
export interface FloorTarget {
  technology: MttTechnology;
  /** |W_h| programmed. */
  hidden: number;
  /** Target conductance G_e,min + |W_h|·(G_e,max − G_e,min), µS, and the divider node voltage V_n and inference current I_ts (drain at +V_d) there. */
  targetUS: number;
  nodeVoltageV: number;
  inferenceCurrentUA: number;
  /** Read bias V_read_H on the memory device: V_n approaches it as G grows, never exceeds it. */
  readBiasV: number;
  /** I_ts,max: the inference current with its gate at V_read_H (G → ∞), the level I_ts saturates at, µA. */
  fullScaleCurrentUA: number;
  /** The inference transistor's drain read voltage V_d, threshold V_T and β (its current is about β·(V_n − V_T)·V_d above threshold). */
  drainReadV: number;
  thresholdV: number;
  betaUAPerV2: number;
}

/** The target of {@link programFromFloor} for |W_h| = `hidden` in one technology, with the unit's read point. */
export function floorProgrammingTarget(hardware: MttTechnology | MttHardware, hidden: number): FloorTarget {
  requireInRange("hidden (|W_h|)", Math.abs(hidden), 0, 1);
  const { unit, technology } = resolveHardware(hardware);
  const c = unit.circuit;
  const targetUS = conductanceForHiddenUS(unit.window, Math.abs(hidden));
  return {
    technology,
    hidden: Math.abs(hidden),
    targetUS,
    nodeVoltageV: nodeVoltageV(c, targetUS),
    inferenceCurrentUA: branchCurrentUA(c, targetUS, 1),
    readBiasV: c.readBiasV,
    fullScaleCurrentUA: unit.fullScaleUA.p,
    drainReadV: c.drainReadV,
    thresholdV: c.inference.thresholdV,
    betaUAPerV2: c.inference.betaUAPerV2,
  };
}
