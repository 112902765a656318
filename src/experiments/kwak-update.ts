/**
 * Device- and update-level experiments for the 4K chip notebook:
 *  - a 4×4 worked example of the stochastic outer product (pulse trains, coincidences, and the mean
 *    full-step update over many repetitions, run in the chip's sign phases, against η·x·δᵀ);
 *  - the pulse response of devices drawn from the chip preset (potentiation then depression), from
 *    which the abstract's "symmetric and linear conductance updates" are measured as a linear-fit R² and
 *    an up/down step ratio.
 */
import { createRng } from "../util/rng";
import { linearFit, mean } from "../util/stats";
import { requireInteger } from "../util/validate";
import { countCoincidences, countPhasedPulses, pulseTrain } from "../array/stochastic-update";
import { expectedUpdate, pulseProbabilities, type OuterProductConfig, type PulseProbabilities } from "../array/outer-product-update";
import { type Ecram4kParams, sampleDevice, stepConductanceUS, validateEcram4kParams, nominalStepUS } from "../devices/ecram-4k-chip";

export interface OuterProductExample {
  probabilities: PulseProbabilities;
  /**
   * One draw of the trains: rows then columns, as {line, slot, fired} for a raster plot. It shows the
   * coincidence arithmetic with every line on one slot grid (`countCoincidences`, one phase); the chip runs a
   * signed update in up to four sign phases with fresh trains each (`countPhasedPulses`), which gives every
   * device the same coincidence statistics, Binomial(BL, p_i·q_j).
   */
  trainRows: { line: string; slot: number; fired: number }[];
  /** Signed coincidences of that draw, row-major. */
  coincidences: Int32Array;
  /** η·x_i·δ_j, row-major. */
  target: Float64Array;
  /** BL·p·q·Δw_min·sign, row-major (differs from target only where probabilities were clipped). */
  expected: Float64Array;
  /**
   * Mean full-step Δw (signed coincidences × Δw_min) over `trials` independent sign-phased updates, row-major.
   * Half-selects are left out: they are device physics (`expectedHalfSelectDriftSteps`), not the rule.
   */
  meanUpdate: Float64Array;
  /** Standard error of that mean, row-major. */
  standardError: Float64Array;
  trials: number;
}

/** Work the stochastic outer product through for small x and δ. */
export function outerProductExample(x: number[], delta: number[], config: OuterProductConfig, trials: number, seed: number | string): OuterProductExample {
  requireInteger("trials", trials, 2);
  const p = pulseProbabilities(x, delta, config);
  const rng = createRng(seed);
  // One draw, made twice with the same stream: once as bits for the raster, once through the shared counter.
  const showSeed = rng.fork("show");
  const trainRows: { line: string; slot: number; fired: number }[] = [];
  p.rowProb.forEach((q, i) => pulseTrain(q, config.bl, showSeed).forEach((b, t) => trainRows.push({ line: `row ${i + 1}`, slot: t + 1, fired: b })));
  p.colProb.forEach((q, j) => pulseTrain(q, config.bl, showSeed).forEach((b, t) => trainRows.push({ line: `col ${j + 1}`, slot: t + 1, fired: b })));
  const shown = countCoincidences(p, config.bl, rng.fork("show"));
  const n = x.length * delta.length;
  const sum = new Float64Array(n);
  const sumSq = new Float64Array(n);
  const many = rng.fork("trials");
  for (let k = 0; k < trials; k++) {
    const c = countPhasedPulses(p, config.bl, many);
    for (let m = 0; m < n; m++) {
      const dw = c.coincidences[m] * config.dwMin;
      sum[m] += dw;
      sumSq[m] += dw * dw;
    }
  }
  const meanUpdate = Float64Array.from(sum, (s) => s / trials);
  const standardError = Float64Array.from(sumSq, (s, m) => Math.sqrt(Math.max(0, s / trials - meanUpdate[m] ** 2) / (trials - 1)));
  const target = new Float64Array(n);
  x.forEach((xi, i) => delta.forEach((dj, j) => (target[i * delta.length + j] = config.learningRate * xi * dj)));
  return { probabilities: p, trainRows, coincidences: shown.coincidences, target, expected: expectedUpdate(p, config.bl, config.dwMin), meanUpdate, standardError, trials };
}

export interface PulseResponse {
  /** {device, pulse, conductanceUS, branch} for plotting. */
  trace: { device: number; pulse: number; conductanceUS: number; branch: string }[];
  /** Per device: R² of a straight line through G against pulse number, the lowest over its potentiation and depression branches. */
  linearityR2: number[];
  /** Per device: mean |ΔG| up ÷ mean |ΔG| down. */
  symmetryRatio: number[];
}

/**
 * Drive `devices` fresh devices of the preset from (G_min + G_max)/2 − half the sweep: `pulses` potentiating
 * pulses, then `pulses` depressing ones, `cycles` times. The sweep is kept inside the window
 * (pulses ≤ 0.8·nStates) so that bounds do not masquerade as nonlinearity.
 */
export function pulseResponse(params: Ecram4kParams, devices: number, pulses: number, cycles: number, seed: number | string): PulseResponse {
  validateEcram4kParams(params);
  requireInteger("devices", devices, 1);
  requireInteger("pulses", pulses, 2);
  requireInteger("cycles", cycles, 1);
  if (pulses > 0.8 * params.nStates) throw new RangeError(`pulses must be ≤ 0.8·nStates = ${0.8 * params.nStates}, got ${pulses}`);
  const rng = createRng(seed);
  const trace: PulseResponse["trace"] = [];
  const linearityR2: number[] = [];
  const symmetryRatio: number[] = [];
  for (let d = 0; d < devices; d++) {
    const dev = { ...sampleDevice(params, rng.fork(`device${d}`)), functional: true };
    const noise = rng.fork(`pulses${d}`);
    let g = (params.gMinUS + params.gMaxUS) / 2 - (pulses / 2) * nominalStepUS(params);
    let n = 0;
    trace.push({ device: d, pulse: n, conductanceUS: g, branch: "start" });
    const r2: number[] = [];
    const ups: number[] = [];
    const downs: number[] = [];
    for (let c = 0; c < cycles; c++) {
      for (const polarity of [1, -1] as const) {
        const xs: number[] = [0];
        const gs: number[] = [g];
        for (let k = 1; k <= pulses; k++) {
          const next = stepConductanceUS(g, dev, polarity, 1, params.cycleNoiseStd, noise);
          (polarity > 0 ? ups : downs).push(Math.abs(next - g));
          g = next;
          n++;
          xs.push(k);
          gs.push(g);
          trace.push({ device: d, pulse: n, conductanceUS: g, branch: polarity > 0 ? "potentiation" : "depression" });
        }
        r2.push(linearFit(xs, gs).r2);
      }
    }
    linearityR2.push(Math.min(...r2));
    symmetryRatio.push(mean(ups) / mean(downs));
  }
  return { trace, linearityR2, symmetryRatio };
}
