/**
 * Choi et al. / Falcone et al.: fully parallel in-situ training of a fully connected layer on an analog
 * crossbar with stochastic pulse-coincidence updates, and what half-select disturbance k does to it.
 *
 * Network: one fully connected layer 784 (+1 bias input fixed at 1) → 10 with softmax cross-entropy; logits
 * z = β·Wᵀx with W the devices' normalised states w ∈ [−1, 1] (w = 0 at the conductance midpoint). The
 * forward pass and the error δ = softmax(z) − onehot are computed exactly (periphery taken as ideal: this
 * experiment isolates the update).
 *
 * Update (Gokmen & Vlasov 2016, counted by the shared src/array/stochastic-update.ts): row i fires a
 * Bernoulli train of length BL with p_i = x_i (pixels are in [0, 1]), column j with q_j = min(1, c_δ·|δ_j|),
 * aiming at Δw ∝ −x·δ. Signed updates need two phases (potentiation for columns with δ_j < 0, depression for
 * δ_j > 0): a row fires its train in both phases (+V_s/2, then −V_s/2), a column only in its own phase.
 * Hence, for device (i, j) with column direction s_j = −sign(δ_j), rows unipolar (x ≥ 0):
 *   - coincidences n_c: full steps in direction s_j;
 *   - row-only half-selects: R_i − n_c in direction s_j (own phase) and R_i in direction −s_j (other phase);
 *   - column-only half-selects: C_j − n_c in direction s_j.
 * The shared counter returns n_c and h = R_i + C_j − 2·n_c; R_i and C_j follow from the bias row, whose
 * probability is 1 so that it fires in every slot (R_bias = BL) — see `splitFireCounts`.
 *
 * Device: soft bounds in w ∈ [−1, 1] (up: w += a(1 − w), down: w −= a(w + 1)) with a = α per full pulse
 * (times a Gaussian cycle-to-cycle factor) and a = k·α per half-select pulse (no cycle-to-cycle noise on
 * half-steps; their n steps in one direction compose in closed form: 1 − w → (1 − a)^n·(1 − w)).
 *
 * Software reference: plain SGD on the same data order with the expected step of the analog update at
 * w = 0, Δw = −α·BL·c_δ·x·δ (no bounds, no noise, no disturb).
 */
import { createRng } from "../util/rng";
import { requireInRange, requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { countCoincidences } from "../array/stochastic-update";
import { MNIST_PIXELS, mnistSplit, type DigitSet } from "./choi-mnist";

export interface TrainingConfig {
  trainPerDigit: number;
  testPerDigit: number;
  epochs: number;
  /** Pulse-train length BL. */
  bl: number;
  /** α: soft-bounds step of one full pulse (fraction of the distance to the bound). */
  stepFraction: number;
  /** Relative cycle-to-cycle spread of a full step. */
  stepNoiseRel: number;
  /** c_δ: column probability per unit |δ|. */
  deltaGain: number;
  /** β: logit gain per unit weight·input. */
  logitGain: number;
  /** Initial weights uniform in ±initRange. */
  initRange: number;
  seed?: number | string;
}

export interface TrainingResult {
  /** Test accuracy after each epoch, %. */
  testAccuracyPct: number[];
  finalTestAccuracyPct: number;
  /** Mean |w| at the end (how far the weights stay from the symmetry point). */
  meanAbsWeight: number;
}

const INPUTS = MNIST_PIXELS + 1;
const CLASSES = 10;

function validate(c: TrainingConfig): void {
  requireInteger("epochs", c.epochs, 1);
  requireInteger("bl", c.bl, 1);
  requireInRange("stepFraction", c.stepFraction, 0, 1);
  requireNonNegative("stepNoiseRel", c.stepNoiseRel);
  requirePositive("deltaGain", c.deltaGain);
  requirePositive("logitGain", c.logitGain);
  requireInRange("initRange", c.initRange, 0, 1);
}

/** Input vector with the bias input (1) appended. */
function inputOf(set: DigitSet, n: number, out: Float64Array): Float64Array {
  const base = n * MNIST_PIXELS;
  for (let i = 0; i < MNIST_PIXELS; i++) out[i] = set.images[base + i];
  out[MNIST_PIXELS] = 1;
  return out;
}

function logits(w: Float64Array, x: Float64Array, gain: number, out: Float64Array): Float64Array {
  out.fill(0);
  for (let i = 0; i < INPUTS; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const base = i * CLASSES;
    for (let j = 0; j < CLASSES; j++) out[j] += w[base + j] * xi;
  }
  for (let j = 0; j < CLASSES; j++) out[j] *= gain;
  return out;
}

/** δ = softmax(z) − onehot(label). */
function outputError(z: Float64Array, label: number, out: Float64Array): Float64Array {
  let m = -Infinity;
  for (let j = 0; j < CLASSES; j++) m = Math.max(m, z[j]);
  let s = 0;
  for (let j = 0; j < CLASSES; j++) {
    out[j] = Math.exp(z[j] - m);
    s += out[j];
  }
  for (let j = 0; j < CLASSES; j++) out[j] = out[j] / s - (j === label ? 1 : 0);
  return out;
}

export function testAccuracyPct(w: Float64Array, test: DigitSet, gain: number): number {
  const x = new Float64Array(INPUTS);
  const z = new Float64Array(CLASSES);
  let correct = 0;
  for (let n = 0; n < test.count; n++) {
    logits(w, inputOf(test, n, x), gain, z);
    let best = 0;
    for (let j = 1; j < CLASSES; j++) if (z[j] > z[best]) best = j;
    if (best === test.labels[n]) correct++;
  }
  return (100 * correct) / test.count;
}

/**
 * Row and column fire counts from the shared counter's output: for every device h + 2|n_c| = R_i + C_j.
 * The row `anchorRow` fires in every one of the BL slots (probability 1), which fixes the free constant.
 */
export function splitFireCounts(halfSelected: Int32Array, coincidences: Int32Array, rows: number, cols: number, anchorRow: number, bl: number): { rowFires: Int32Array; colFires: Int32Array } {
  const colFires = new Int32Array(cols);
  const rowFires = new Int32Array(rows);
  for (let j = 0; j < cols; j++) {
    const k = anchorRow * cols + j;
    colFires[j] = halfSelected[k] + 2 * Math.abs(coincidences[k]) - bl;
  }
  for (let i = 0; i < rows; i++) rowFires[i] = halfSelected[i * cols] + 2 * Math.abs(coincidences[i * cols]) - colFires[0];
  return { rowFires, colFires };
}

/** Train with the analog crossbar update at half-select ratio k; returns test accuracy per epoch. */
export function trainAnalog(c: TrainingConfig, k: number, data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist")): TrainingResult {
  validate(c);
  requireInRange("k (half-select ratio)", k, 0, 1);
  const rng = createRng(c.seed ?? "choi-training").fork(`analog-k${k}`);
  const rInit = rng.fork("init");
  const w = Float64Array.from({ length: INPUTS * CLASSES }, () => rInit.uniformIn(-c.initRange, c.initRange));
  const x = new Float64Array(INPUTS);
  const z = new Float64Array(CLASSES);
  const d = new Float64Array(CLASSES);
  const rowSign = new Float64Array(INPUTS).fill(1);
  const colProb = new Float64Array(CLASSES);
  const colSign = new Float64Array(CLASSES);
  const a = c.stepFraction;
  const aHalf = k * c.stepFraction;
  const acc: number[] = [];
  const rPulse = rng.fork("pulses");
  const rNoise = rng.fork("c2c");
  for (let e = 0; e < c.epochs; e++) {
    for (let n = 0; n < data.train.count; n++) {
      inputOf(data.train, n, x);
      outputError(logits(w, x, c.logitGain, z), data.train.labels[n], d);
      for (let j = 0; j < CLASSES; j++) {
        colProb[j] = Math.min(1, c.deltaGain * Math.abs(d[j]));
        colSign[j] = d[j] > 0 ? -1 : 1; // descent: direction −sign(δ)
      }
      const counts = countCoincidences(x, rowSign, colProb, colSign, c.bl, rPulse);
      const { rowFires, colFires } = splitFireCounts(counts.halfSelected, counts.coincidences, INPUTS, CLASSES, MNIST_PIXELS, c.bl);
      for (let i = 0; i < INPUTS; i++) {
        const ri = rowFires[i];
        for (let j = 0; j < CLASSES; j++) {
          const kk = i * CLASSES + j;
          const nc = Math.abs(counts.coincidences[kk]);
          const cj = colFires[j];
          if (nc === 0 && ri === 0 && cj === 0) continue;
          const s = colSign[j];
          let wv = w[kk];
          for (let t = 0; t < nc; t++) {
            const step = a * Math.max(0, 1 + c.stepNoiseRel * rNoise.normal());
            wv = s > 0 ? wv + step * (1 - wv) : wv - step * (wv + 1);
          }
          if (aHalf > 0) {
            const along = ri - nc + cj - nc; // half-selects in the column's direction
            const against = ri; // row pulses of the other phase
            const up = s > 0 ? along : against;
            const down = s > 0 ? against : along;
            if (up > 0) wv = 1 - (1 - aHalf) ** up * (1 - wv);
            if (down > 0) wv = (1 - aHalf) ** down * (wv + 1) - 1;
          }
          w[kk] = wv;
        }
      }
    }
    acc.push(testAccuracyPct(w, data.test, c.logitGain));
  }
  let sAbs = 0;
  for (let q = 0; q < w.length; q++) sAbs += Math.abs(w[q]);
  return { testAccuracyPct: acc, finalTestAccuracyPct: acc[acc.length - 1], meanAbsWeight: sAbs / w.length };
}

/** Floating-point SGD reference with the expected analog step at w = 0. */
export function trainSoftware(c: TrainingConfig, data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist")): TrainingResult {
  validate(c);
  const rng = createRng(c.seed ?? "choi-training").fork("software");
  const rInit = rng.fork("init");
  const w = Float64Array.from({ length: INPUTS * CLASSES }, () => rInit.uniformIn(-c.initRange, c.initRange));
  const x = new Float64Array(INPUTS);
  const z = new Float64Array(CLASSES);
  const d = new Float64Array(CLASSES);
  const lr = c.stepFraction * c.bl * c.deltaGain;
  const acc: number[] = [];
  for (let e = 0; e < c.epochs; e++) {
    for (let n = 0; n < data.train.count; n++) {
      inputOf(data.train, n, x);
      outputError(logits(w, x, c.logitGain, z), data.train.labels[n], d);
      for (let i = 0; i < INPUTS; i++) {
        const xi = x[i];
        if (xi === 0) continue;
        for (let j = 0; j < CLASSES; j++) w[i * CLASSES + j] -= lr * xi * d[j];
      }
    }
    acc.push(testAccuracyPct(w, data.test, c.logitGain));
  }
  let sAbs = 0;
  for (let q = 0; q < w.length; q++) sAbs += Math.abs(w[q]);
  return { testAccuracyPct: acc, finalTestAccuracyPct: acc[acc.length - 1], meanAbsWeight: sAbs / w.length };
}

export interface SweepRow {
  [key: string]: number | string;
  device: string;
  k: number;
  accuracyPct: number;
  meanAbsWeight: number;
}

/**
 * Accuracy against the half-select ratio: one analog run per k (same data, same order), plus the software
 * reference (k reported as 0, device "software").
 */
export function sweepHalfSelect(c: TrainingConfig, ks: number[], extra: { label: string; k: number }[] = []): { rows: SweepRow[]; software: TrainingResult } {
  const data = mnistSplit(c.trainPerDigit, c.testPerDigit, c.seed ?? "mnist");
  const software = trainSoftware(c, data);
  const rows: SweepRow[] = [];
  for (const k of ks) {
    const r = trainAnalog(c, k, data);
    rows.push({ device: "soft bounds", k, accuracyPct: r.finalTestAccuracyPct, meanAbsWeight: r.meanAbsWeight });
  }
  for (const e of extra) {
    const r = trainAnalog(c, e.k, data);
    rows.push({ device: e.label, k: e.k, accuracyPct: r.finalTestAccuracyPct, meanAbsWeight: r.meanAbsWeight });
  }
  rows.push({ device: "software", k: 0, accuracyPct: software.finalTestAccuracyPct, meanAbsWeight: software.meanAbsWeight });
  return { rows, software };
}
