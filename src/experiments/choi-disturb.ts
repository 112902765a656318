/**
 * Choi et al.: disturb resilience of CMO/HfOx ReRAM under half-select pulses.
 *
 * A cell sharing a row or column with an updated cell sees V_s/2. The model's step at amplitude V relative
 * to a full-select step comes from the Arrhenius/Joule-heating response in src/devices/cmo-hfox.ts. Here we
 * (1) tabulate that amplitude response, and (2) stress a device with N half-select pulses of one polarity
 * (the worst case: every disturb pushes the same way) and measure k as the total drift divided by N times
 * the step one full pulse would make from the starting state: k_meas = ΔG_N/(N·α_0·(G_max − G_0)).
 * For comparison, generic soft-bounds devices with a prescribed k go through the same stress.
 */
import { createRng } from "../util/rng";
import { linspace } from "../util/stats";
import { requireInRange, requireInteger } from "../util/validate";
import { CMO_HFOX, CmoHfoxDevice, relativeStepAtAmplitude, softBoundsStep, type CmoHfoxParams } from "../devices/cmo-hfox";

export interface AmplitudeRow {
  [key: string]: number;
  /** V/V_s. */
  amplitudeRel: number;
  /** ΔG(V)/ΔG(V_s). */
  relativeStep: number;
}

/** ΔG(V)/ΔG(V_s) for V/V_s from `fromRel` to 1. */
export function amplitudeResponse(points: number, fromRel = 0.3, p: CmoHfoxParams = CMO_HFOX): AmplitudeRow[] {
  requireInteger("points", points, 2);
  requireInRange("fromRel", fromRel, 0, 1);
  return linspace(fromRel, 1, points).map((r) => ({ amplitudeRel: r, relativeStep: relativeStepAtAmplitude(r * p.selectAmplitudeV, p) }));
}

export interface StressConfig {
  /** Number of half-select pulses. */
  pulses: number;
  /** Starting conductance, µS. */
  startUS: number;
  /** Record the state every this many pulses. */
  recordEvery: number;
  seed?: number | string;
}

export interface StressResult {
  trajectory: { pulses: number; gUS: number }[];
  driftUS: number;
  /** Measured half-select ratio. */
  kMeasured: number;
}

/** Stress a CMO/HfOx device with potentiating V_s/2 pulses of the nominal width. */
export function halfSelectStressCmo(c: StressConfig, p: CmoHfoxParams = CMO_HFOX): StressResult {
  requireInteger("pulses", c.pulses, 1);
  requireInteger("recordEvery", c.recordEvery, 1);
  const dev = new CmoHfoxDevice(p, c.startUS);
  const rng = createRng(c.seed ?? "choi-disturb").fork("cmo");
  const trajectory = [{ pulses: 0, gUS: c.startUS }];
  for (let n = 1; n <= c.pulses; n++) {
    dev.applyPulse(1, p.selectAmplitudeV / 2, p.pulseWidthS, rng);
    if (n % c.recordEvery === 0) trajectory.push({ pulses: n, gUS: dev.conductanceUS() });
  }
  const driftUS = dev.conductanceUS() - c.startUS;
  return { trajectory, driftUS, kMeasured: driftUS / (c.pulses * p.stepFraction * (p.gMaxUS - c.startUS)) };
}

/** The same stress on a generic soft-bounds device whose half-select step is k·α_0 (no noise). */
export function halfSelectStressGeneric(c: StressConfig, k: number, p: CmoHfoxParams = CMO_HFOX): StressResult {
  requireInteger("pulses", c.pulses, 1);
  requireInteger("recordEvery", c.recordEvery, 1);
  requireInRange("startUS", c.startUS, p.gMinUS, p.gMaxUS);
  requireInRange("k", k, 0, 1);
  let g = c.startUS;
  const trajectory = [{ pulses: 0, gUS: g }];
  const a = k * p.stepFraction;
  for (let n = 1; n <= c.pulses; n++) {
    g = softBoundsStep(g, 1, a, p.gMinUS, p.gMaxUS);
    if (n % c.recordEvery === 0) trajectory.push({ pulses: n, gUS: g });
  }
  const driftUS = g - c.startUS;
  return { trajectory, driftUS, kMeasured: driftUS / (c.pulses * p.stepFraction * (p.gMaxUS - c.startUS)) };
}
