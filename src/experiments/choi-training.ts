/**
 * Choi et al. / Falcone et al.: fully parallel in-situ training of a small fully connected network on analog
 * crossbars with stochastic pulse-coincidence updates, and what half-select disturbance k does to it.
 *
 * Network: 784 pixels (+ bias 1) → H sigmoid units (+ bias 1) → 10, softmax cross-entropy (H = 0: a single
 * 784 + 1 → 10 layer). Each layer is one crossbar of soft-bounds devices with normalised states
 * w ∈ [−1, 1] (one device per weight, w = 0 at the conductance midpoint); pre-activations are W ᵀx read
 * exactly (ideal periphery: this experiment isolates the update). Back-propagation of δ through the output
 * crossbar (a transposed read) is also exact. Every layer's inputs are ≥ 0 (pixels in [0, 1], sigmoid
 * outputs, bias 1), which the two-phase pulse scheme of `choi-crossbar-update.ts` relies on.
 *
 * Update: per sample, per layer, one two-phase stochastic update (`twoPhaseUpdate`) with Gokmen & Vlasov's
 * balanced gains c_x = c_δ = sqrt(η/(BL·α)), so the expected step at w = 0 is η·x·δ while the pulse probabilities
 * c·x and c·|δ| stay ≤ 1 (they are capped at 1: with notebook 09's read gain 3 about 2 % of the output δ exceed it,
 * cutting a fifth of Σ|δ|; in a one-off check, paired runs with and without the cap differed by less than their
 * stream spread); all devices share k.
 *
 * Software reference: the same network, initial weights and sample order trained by plain SGD with the same
 * η (no bounds, no noise, no disturb).
 */
import { createRng, type Rng } from "../util/rng";
import { mean, std } from "../util/stats";
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { MNIST_PIXELS, mnistSplit, type DigitSet } from "./choi-mnist";
import { CMO_HFOX } from "../devices/cmo-hfox";
import { balancedScheme, emptyTally, twoPhaseUpdate, type PulseScheme, type SoftBoundsPulseDevice, type UpdateTally } from "./choi-crossbar-update";

export interface TrainingConfig {
  trainPerDigit: number;
  testPerDigit: number;
  epochs: number;
  /** Hidden sigmoid units (0: a single softmax layer). */
  hidden: number;
  /**
   * β: read gain of every crossbar, pre-activation a = β·Σ_i w_i·x_i with w the device state in [−1, 1]
   * (the periphery's current-to-activation scale; 1 unless stated). The device-level gradient carries β.
   */
  weightGain?: number;
  /** η: SGD learning rate (per sample) on the device weights w, shared by the software reference and the pulse gains. */
  learningRate: number;
  /** BL: pulse-train length. */
  bl: number;
  /** α: soft-bounds step of one full pulse (fraction of the distance to the bound). */
  stepFraction: number;
  /** Relative cycle-to-cycle spread of a full step. */
  stepNoiseRel: number;
  /**
   * c_x: row probability per unit input. Omitted: Gokmen & Vlasov's balanced gains c_x = c_δ = sqrt(η/(BL·α)).
   * Given: c_δ = η/(BL·α·c_x), so the expected step is still η·x·δ.
   */
  rowGain?: number;
  /** Seed of the data split, initial weights and pulse streams. */
  seed?: number | string;
  /**
   * Name of the pulse stream (default "pulses"). Runs at different k share it (common random numbers: the
   * same row/column trains as long as the weights agree), so accuracy differences between k are paired.
   */
  pulseStream?: string;
}

/**
 * The crossbar network and optimizer of notebook 09 (sizes per run mode are added by the caller): 784 (+ bias) →
 * 100 sigmoid (+ bias) → 10 softmax on CMO/HfOx soft-bounds devices, seed 9. Provenance: 100 hidden units, BL 10:
 * assumed (the abstracts give neither); α and its spread: the CMO/HfOx preset; read gain β = 3 and η = 0.011:
 * chosen from k = 0 runs (software accuracy and the k = 0 analog gap), not fitted to any k; re-selected on a
 * validation split of the training digits the same criterion picks them again (scripts/choi-validation-split.ts).
 */
export const CHOI_CROSSBAR_NETWORK: Readonly<Omit<TrainingConfig, "trainPerDigit" | "testPerDigit" | "epochs">> = Object.freeze({
  hidden: 100,
  weightGain: 3,
  learningRate: 0.011,
  bl: 10,
  stepFraction: CMO_HFOX.stepFraction,
  stepNoiseRel: CMO_HFOX.stepNoiseRel,
  seed: 9,
});

export interface LayerReport {
  layer: string;
  meanAbsWeight: number;
  /** Pulse counts and |Δw| moved by signal and disturb, summed over every TALLY_EVERY-th update (k > 0 only). */
  tally: UpdateTally;
}

export interface TrainingResult {
  /** Test accuracy after each epoch, %. */
  testAccuracyPct: number[];
  finalTestAccuracyPct: number;
  layers: LayerReport[];
}

const CLASSES = 10;
/**
 * Disturb tallies are kept on every TALLY_EVERY-th sample only (a systematic subsample: the ratios are
 * estimated from 1/10 of the updates, which costs a tenth of the bookkeeping), and only for k > 0.
 */
const TALLY_EVERY = 10;

function validate(c: TrainingConfig): void {
  requireInteger("epochs", c.epochs, 1);
  requireInteger("hidden", c.hidden, 0);
  requirePositive("learningRate", c.learningRate);
  if (c.weightGain !== undefined) requirePositive("weightGain", c.weightGain);
  requireInteger("bl", c.bl, 1);
  requireInRange("stepFraction", c.stepFraction, 0, 1);
  requireNonNegative("stepNoiseRel", c.stepNoiseRel);
}

/** Layer shapes (inputs including the bias row) × outputs. */
function shapes(c: TrainingConfig): [number, number][] {
  return c.hidden > 0 ? [[MNIST_PIXELS + 1, c.hidden], [c.hidden + 1, CLASSES]] : [[MNIST_PIXELS + 1, CLASSES]];
}

/** Glorot-uniform initial states, ±sqrt(6/(fan_in + fan_out)), clipped to the device range. */
function initWeights(c: TrainingConfig, rng: Rng): Float64Array[] {
  return shapes(c).map(([r, k], l) => {
    const lim = Math.min(1, Math.sqrt(6 / (r + k)));
    const rl = rng.fork(`layer-${l}`);
    return Float64Array.from({ length: r * k }, () => rl.uniformIn(-lim, lim));
  });
}

/** The network state during one pass: inputs of every layer (bias appended) and the output δ. */
class Net {
  readonly inputs: Float64Array[];
  readonly deltas: Float64Array[];
  readonly z = new Float64Array(CLASSES);

  constructor(readonly c: TrainingConfig, readonly w: Float64Array[]) {
    this.inputs = shapes(c).map(([r]) => new Float64Array(r));
    this.deltas = shapes(c).map(([, k]) => new Float64Array(k));
  }

  /** Forward pass of sample n; returns the logits. */
  forward(set: DigitSet, n: number): Float64Array {
    const x0 = this.inputs[0];
    const base = n * MNIST_PIXELS;
    for (let i = 0; i < MNIST_PIXELS; i++) x0[i] = set.images[base + i];
    x0[MNIST_PIXELS] = 1;
    const sh = shapes(this.c);
    for (let l = 0; l < sh.length; l++) {
      const [rows, cols] = sh[l];
      const x = this.inputs[l];
      const out = l + 1 < sh.length ? this.inputs[l + 1] : this.z;
      out.fill(0);
      const w = this.w[l];
      for (let i = 0; i < rows; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        const b = i * cols;
        for (let j = 0; j < cols; j++) out[j] += w[b + j] * xi;
      }
      const g = this.c.weightGain ?? 1;
      for (let j = 0; j < cols; j++) out[j] *= g;
      if (l + 1 < sh.length) {
        for (let j = 0; j < cols; j++) out[j] = 1 / (1 + Math.exp(-out[j]));
        out[cols] = 1;
      }
    }
    return this.z;
  }

  /** δ of every layer for label y (call after forward). */
  backward(y: number): void {
    const sh = shapes(this.c);
    const L = sh.length - 1;
    const dOut = this.deltas[L];
    let m = -Infinity;
    for (let j = 0; j < CLASSES; j++) m = Math.max(m, this.z[j]);
    let s = 0;
    for (let j = 0; j < CLASSES; j++) s += (dOut[j] = Math.exp(this.z[j] - m));
    const g = this.c.weightGain ?? 1;
    for (let j = 0; j < CLASSES; j++) dOut[j] = g * (dOut[j] / s - (j === y ? 1 : 0));
    for (let l = L; l > 0; l--) {
      const [rows, cols] = sh[l];
      const w = this.w[l];
      const h = this.inputs[l];
      const dl = this.deltas[l];
      const dPrev = this.deltas[l - 1];
      for (let i = 0; i < rows - 1; i++) {
        let acc = 0;
        const b = i * cols;
        for (let j = 0; j < cols; j++) acc += w[b + j] * dl[j];
        dPrev[i] = g * acc * h[i] * (1 - h[i]);
      }
    }
  }

  predict(set: DigitSet, n: number): number {
    const z = this.forward(set, n);
    let best = 0;
    for (let j = 1; j < CLASSES; j++) if (z[j] > z[best]) best = j;
    return best;
  }
}

export function testAccuracyPct(c: TrainingConfig, w: Float64Array[], test: DigitSet): number {
  const net = new Net(c, w);
  let correct = 0;
  for (let n = 0; n < test.count; n++) if (net.predict(test, n) === test.labels[n]) correct++;
  return (100 * correct) / test.count;
}

function meanAbs(w: Float64Array): number {
  let s = 0;
  for (let q = 0; q < w.length; q++) s += Math.abs(w[q]);
  return s / w.length;
}

/** The pulse gains this config uses (balanced, Gokmen & Vlasov). */
export function schemeOf(c: TrainingConfig): PulseScheme {
  if (c.rowGain === undefined) return balancedScheme(c.learningRate, c.bl, c.stepFraction);
  requirePositive("rowGain", c.rowGain);
  return { bl: c.bl, rowGain: c.rowGain, colGain: c.learningRate / (c.bl * c.stepFraction * c.rowGain) };
}

/** Train on the crossbars with half-select ratio k; returns test accuracy per epoch and per-layer tallies. */
export function trainAnalog(c: TrainingConfig, k: number, data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist")): TrainingResult {
  validate(c);
  requireInRange("k (half-select ratio)", k, 0, 1);
  const device: SoftBoundsPulseDevice = { stepFraction: c.stepFraction, stepNoiseRel: c.stepNoiseRel, halfSelectRatio: k };
  const root = createRng(c.seed ?? "choi-training");
  const w = initWeights(c, root.fork("init"));
  const net = new Net(c, w);
  const scheme = schemeOf(c);
  const sh = shapes(c);
  const tallies = sh.map(() => emptyTally());
  const rPulse = root.fork(c.pulseStream ?? "pulses");
  const acc: number[] = [];
  for (let e = 0; e < c.epochs; e++) {
    for (let n = 0; n < data.train.count; n++) {
      net.forward(data.train, n);
      net.backward(data.train.labels[n]);
      const tallyThis = k > 0 && n % TALLY_EVERY === 0;
      for (let l = 0; l < sh.length; l++) twoPhaseUpdate(w[l], sh[l][0], sh[l][1], net.inputs[l], net.deltas[l], scheme, device, rPulse, tallyThis ? tallies[l] : undefined);
    }
    acc.push(testAccuracyPct(c, w, data.test));
  }
  return { testAccuracyPct: acc, finalTestAccuracyPct: acc[acc.length - 1], layers: sh.map((_, l) => ({ layer: layerName(c, l), meanAbsWeight: meanAbs(w[l]), tally: tallies[l] })) };
}

function layerName(c: TrainingConfig, l: number): string {
  const sh = shapes(c);
  return `${sh[l][0] - 1}+1→${sh[l][1]}${l + 1 < sh.length ? " (hidden)" : " (output)"}`;
}

/** Floating-point SGD reference: same network, initial weights and order, learning rate η. */
export function trainSoftware(c: TrainingConfig, data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist")): TrainingResult {
  validate(c);
  const w = initWeights(c, createRng(c.seed ?? "choi-training").fork("init"));
  const net = new Net(c, w);
  const sh = shapes(c);
  const acc: number[] = [];
  for (let e = 0; e < c.epochs; e++) {
    for (let n = 0; n < data.train.count; n++) {
      net.forward(data.train, n);
      net.backward(data.train.labels[n]);
      for (let l = 0; l < sh.length; l++) {
        const [rows, cols] = sh[l];
        const x = net.inputs[l];
        const d = net.deltas[l];
        const wl = w[l];
        for (let i = 0; i < rows; i++) {
          const xi = x[i];
          if (xi === 0) continue;
          const b = i * cols;
          for (let j = 0; j < cols; j++) wl[b + j] -= c.learningRate * xi * d[j];
        }
      }
    }
    acc.push(testAccuracyPct(c, w, data.test));
  }
  return { testAccuracyPct: acc, finalTestAccuracyPct: acc[acc.length - 1], layers: sh.map((_, l) => ({ layer: layerName(c, l), meanAbsWeight: meanAbs(w[l]), tally: emptyTally() })) };
}

export interface SweepRow {
  [key: string]: number | string;
  device: string;
  k: number;
  /** Final test accuracy, mean over the pulse-stream repeats, %. */
  accuracyPct: number;
  /** Standard deviation of the final accuracy across repeats (0 for one repeat), pp. */
  accuracyStdPct: number;
  /** Mean |w| of the first layer at the end. */
  meanAbsWeightL1: number;
  /** Half-select pulses per full-select pulse in the first layer. */
  halfPerFullL1: number;
  /** Σ|net Δw| of disturb / Σ|Δw| of signal per sample and device, first layer (see UpdateTally). */
  disturbToSignalL1: number;
  /** Same for the output layer. */
  disturbToSignalOut: number;
  /** Gross ratio (every phase's half-step move counted), first layer. */
  grossDisturbToSignalL1: number;
  /** Gross ratio, output layer. */
  grossDisturbToSignalOut: number;
}

function rowOf(device: string, k: number, runs: TrainingResult[]): SweepRow {
  const r = runs[0];
  const first = r.layers[0];
  const last = r.layers[r.layers.length - 1];
  const ratio = (t: UpdateTally) => (t.signalAbs > 0 ? t.disturbAbs / t.signalAbs : 0);
  const gross = (t: UpdateTally) => (t.signalAbs > 0 ? t.disturbGrossAbs / t.signalAbs : 0);
  const accs = runs.map((x) => x.finalTestAccuracyPct);
  return {
    device, k, accuracyPct: mean(accs), accuracyStdPct: std(accs), meanAbsWeightL1: first.meanAbsWeight,
    halfPerFullL1: first.tally.fullPulses > 0 ? first.tally.halfPulses / first.tally.fullPulses : 0,
    disturbToSignalL1: ratio(first.tally), disturbToSignalOut: ratio(last.tally),
    grossDisturbToSignalL1: gross(first.tally), grossDisturbToSignalOut: gross(last.tally),
  };
}

/**
 * Accuracy against the half-select ratio: analog runs per k (same data, order and initial weights; `repeats`
 * pulse streams, the tallies are those of the first), the extra labelled devices, and the software reference
 * (device "software", k 0; deterministic, one run). With one repeat the run uses `c.pulseStream`; with several,
 * the streams are "pulses-0", "pulses-1", … and `c.pulseStream` is not used.
 */
export function sweepHalfSelect(c: TrainingConfig, ks: number[], extra: { label: string; k: number }[] = [], repeats = 1): { rows: SweepRow[]; software: TrainingResult } {
  requireInteger("repeats", repeats, 1);
  const data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist");
  const software = trainSoftware(c, data);
  const runs = (k: number) => Array.from({ length: repeats }, (_, r) => trainAnalog({ ...c, pulseStream: repeats > 1 ? `pulses-${r}` : c.pulseStream }, k, data));
  const rows: SweepRow[] = [];
  for (const k of ks) rows.push(rowOf("soft bounds", k, runs(k)));
  for (const e of extra) rows.push(rowOf(e.label, e.k, runs(e.k)));
  rows.push(rowOf("software", 0, [software]));
  return { rows, software };
}

/** The "soft bounds" row of a sweep at ratio k; throws when k was not swept. */
export function softBoundsRowAt(rows: readonly SweepRow[], k: number): SweepRow {
  const row = rows.find((r) => r.device === "soft bounds" && r.k === k);
  if (!row) throw new RangeError(`no soft-bounds row at k = ${k}; swept k: ${sweptSoftBounds(rows).map((r) => r.k).join(", ")}`);
  return row;
}

function sweptSoftBounds(rows: readonly SweepRow[]): SweepRow[] {
  const swept = rows.filter((r) => r.device === "soft bounds");
  for (let i = 1; i < swept.length; i++) {
    if (!(swept[i].k > swept[i - 1].k)) throw new RangeError(`soft-bounds rows must be in increasing k, got ${swept[i - 1].k} then ${swept[i].k}`);
  }
  return swept;
}

/**
 * Smallest half-select ratio k at which `ratio(row)` (a disturb/signal ratio) reaches 1, interpolated linearly in
 * log k against log ratio between the two swept k > 0 that bracket it. When the smallest swept k > 0 already has a
 * ratio ≥ 1 that k is returned (an upper bound); likewise the upper bracketing k when the ratio below it is 0 (log 0:
 * the limit of the log-log interpolation, again an upper bound); null when no swept k reaches 1. Ratios must be ≥ 0
 * (NaN or negative throws).
 */
export function kWhereRatioReachesOne(rows: readonly SweepRow[], ratio: (r: SweepRow) => number): number | null {
  const swept = sweptSoftBounds(rows).filter((r) => r.k > 0);
  for (let i = 0; i < swept.length; i++) {
    const ri = ratio(swept[i]);
    if (!(ri >= 0)) throw new RangeError(`ratio at k = ${swept[i].k} must be ≥ 0, got ${ri}`);
    if (ri < 1) continue;
    if (i === 0 || ratio(swept[i - 1]) === 0) return swept[i].k;
    const [k0, k1] = [Math.log(swept[i - 1].k), Math.log(swept[i].k)];
    const [r0, r1] = [Math.log(ratio(swept[i - 1])), Math.log(ratio(swept[i]))];
    return Math.exp(k0 + ((k1 - k0) * (0 - r0)) / (r1 - r0));
  }
  return null;
}

/**
 * Smallest k at which the soft-bounds test accuracy falls below half of its value at the first swept k (k = 0 in
 * the notebook), interpolated linearly in k and accuracy between the bracketing swept points; null when it never
 * does. "Below half" is the collapse criterion of `choi.k.collapse`.
 */
export function kWhereAccuracyHalves(rows: readonly SweepRow[]): number | null {
  const swept = sweptSoftBounds(rows);
  if (swept.length === 0) throw new RangeError("no soft-bounds rows");
  const half = swept[0].accuracyPct / 2;
  for (let i = 1; i < swept.length; i++) {
    if (swept[i].accuracyPct >= half) continue;
    const [k0, k1, a0, a1] = [swept[i - 1].k, swept[i].k, swept[i - 1].accuracyPct, swept[i].accuracyPct];
    return k0 + ((k1 - k0) * (a0 - half)) / (a0 - a1);
  }
  return null;
}
