/**
 * The ECRAM cell of the monolithic 4K chip (Kwak, POSTECH): a symmetric, linear, bounded conductance
 * update with small device-to-device (D2D) and cycle-to-cycle (C2C) variation, plus the two disturbs a
 * selector-free cross-point sees: half-select during parallel updates and read disturb during VMM.
 *
 * Model (one device, conductance G in µS):
 *   nominal step       ΔG₀ = (G_max − G_min) / nStates
 *   device step        ΔG⁺ = ΔG₀·(1 + σ_d2d·ξ₁)·(1 + σ_sym·ξ₂/2), ΔG⁻ = ΔG₀·(1 + σ_d2d·ξ₁)·(1 − σ_sym·ξ₂/2)
 *   one full pulse     G ← clip(G ± ΔG^±·(1 + σ_c2c·ξ), G_min^dev, G_max^dev)      (linear: ΔG independent of G)
 *   half-select pulse  G ← clip(G + σ·k·ΔG₀)  σ = ±1 the polarity of the update phase (see `halfSelectFraction`)
 *   read at v/V_read   G ← G + ε_read·ΔG₀·(v/V_read)
 * ξ are standard normal draws; device draws (ξ₁, ξ₂, range) are made once per device, ξ once per pulse.
 *
 * The abstract gives only the qualitative facts (symmetric, linear updates; low C2C/D2D variation); every
 * number below is an assumption or a public figure from the same group, stated in `provenance`.
 */
import type { PulseProgrammable, Polarity } from "./device";
import type { Rng } from "../util/rng";
import { requireInRange, requireInteger, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

export interface Ecram4kParams {
  /** Lower conductance bound, µS. */
  gMinUS: number;
  /** Upper conductance bound, µS. */
  gMaxUS: number;
  /** Number of programmable steps between the bounds: ΔG₀ = (G_max − G_min)/nStates. */
  nStates: number;
  /** Relative D2D spread (std) of the step size ΔG₀ (dimensionless). */
  stepD2dStd: number;
  /** Relative D2D spread (std) of the up/down step ratio: ΔG⁺/ΔG⁻ ≈ 1 + σ_sym·ξ. 0 = perfectly symmetric. */
  symmetryD2dStd: number;
  /** Relative D2D spread (std) of each device's bounds G_min, G_max. */
  rangeD2dStd: number;
  /** Relative C2C noise (std) of one step: ΔG = ΔG^±·(1 + σ_c2c·ξ). */
  cycleNoiseStd: number;
  /**
   * Half-select ratio k = |ΔG(V/2)| / |ΔG(V)|: the fraction of a nominal step a device moves when only its
   * row or only its column carries a pulse. In the sign-phased V/2 update (array/stochastic-update.ts) a
   * half-selected device sees σ·V_s/2 with σ the phase's direction, so each half pulse moves it
   * deterministically by σ·k·ΔG₀. The net is not zero on average: with all four phases running, the
   * half-selects a device gets against its update direction (phases where only its row or only its column
   * fires, BL·(p + q) expected) outnumber those along it (its own phase, BL·(p + q − 2pq)), and it drifts −2k
   * times its expected full-step update; with fewer phases the drift has other forms
   * (`expectedHalfSelectDriftSteps`).
   */
  halfSelectFraction: number;
  /** Read disturb: a read at the full read voltage moves G by ε_read·ΔG₀ in the read polarity. */
  readDisturbFraction: number;
  /** Probability that a device is non-functional (stuck at a random conductance), per device. */
  failureProbability: number;
  /** Update pulse amplitude across a selected device, V (half of it on each line). */
  writeVoltageV: number;
  /** Update pulse width, s. */
  writePulseWidthS: number;
  /** Gate (write-terminal) capacitance charged by one update pulse, F. */
  gateCapacitanceF: number;
}

export interface Ecram4kPreset extends Ecram4kParams {
  readonly label: string;
  readonly provenance: Readonly<Record<string, string>>;
}

/** The chip's device as modelled here: symmetric, linear, low variation, small disturbs. */
export const ECRAM_4K_CHIP: Readonly<Ecram4kPreset> = Object.freeze({
  label: "4K-chip ECRAM",
  gMinUS: 1,
  gMaxUS: 5,
  nStates: 100,
  stepD2dStd: 0.05,
  symmetryD2dStd: 0.03,
  rangeD2dStd: 0.03,
  cycleNoiseStd: 0.1,
  halfSelectFraction: 0.01,
  readDisturbFraction: 1e-4,
  failureProbability: 0.01,
  writeVoltageV: 2,
  writePulseWidthS: 1e-6,
  gateCapacitanceF: 5e-15,
  provenance: Object.freeze({
    "gMinUS, gMaxUS":
      "assumed: the abstract gives no conductance. A few-µS window keeps a 64-device column at 0.1 V below ~32 µA, a current a column converter can sense directly. The training results do not depend on the level: weights are (G − G_ref)/G_scale, with G_ref the window's middle and G_scale its half-width, and steps are window/nStates; the ratio 5 enters only through the 3 % spread of each bound (rangeD2dStd), and the level only through the array read power (CHIP_POWER_ASSUMED.meanConductanceUS, about 0.5 % of the chip's total power, absorbed by the calibrated ADC energy)",
    nStates: "public fact (same group, another paper): 100 linear, symmetric levels on a 32×32 ECRAM array (Um et al., IEEE TBioCAS 2024)",
    "stepD2dStd, symmetryD2dStd, rangeD2dStd": "assumed: the abstract says 'inherently low ... device-to-device variation'; set below the D2D spread 0.1 of aihwkit's Li-ECRAM preset",
    cycleNoiseStd: "assumed: 'low cycle-to-cycle variation' (abstract); set at a third of aihwkit's Li-ECRAM C2C 0.3",
    halfSelectFraction:
      "assumed: ion migration in ECRAM is strongly field-activated, so V/2 moves little, and the abstract reports stable selector-free operation across the array; k = 0.01 is larger than the CMO/HfOx value of registry choi.k.cmo and smaller than the values reference-facts.md quotes for other devices from the same secondary source (the Choi abstract itself only says, in words, that CMO/HfOx resists update disturbance); no ECRAM value is published in our sources",
    readDisturbFraction: "assumed: reads use the channel at ~0.1 V, far below the gate write voltage; 1e-4 of a step per read",
    failureProbability: "assumed: the abstract reports 'stable selector-free operation across the entire 4K array'; 1 % stuck devices as a margin",
    "writeVoltageV, writePulseWidthS, gateCapacitanceF": "assumed: 2 V, 1 µs gate pulses and a 5 fF gate (a sub-µm² BEOL ECRAM stack); used only for update energy",
  }),
});

/** The same cell without any non-ideality: exact, symmetric, noise-free steps, no disturb, full yield. */
export const ECRAM_4K_IDEAL: Readonly<Ecram4kPreset> = Object.freeze({
  ...ECRAM_4K_CHIP,
  label: "ideal device",
  stepD2dStd: 0,
  symmetryD2dStd: 0,
  rangeD2dStd: 0,
  cycleNoiseStd: 0,
  halfSelectFraction: 0,
  readDisturbFraction: 0,
  failureProbability: 0,
  provenance: Object.freeze({ all: "ideal reference: the chip preset with every variation, disturb and failure set to zero" }),
});

export const ECRAM_4K_PRESETS: readonly Readonly<Ecram4kPreset>[] = [ECRAM_4K_CHIP, ECRAM_4K_IDEAL];

/** Throw a RangeError naming the first bad field. */
export function validateEcram4kParams(p: Ecram4kParams): void {
  requireOrdered("gMinUS", p.gMinUS, "gMaxUS", p.gMaxUS);
  requireNonNegative("gMinUS", p.gMinUS);
  requireInteger("nStates", p.nStates, 1);
  requireNonNegative("stepD2dStd", p.stepD2dStd);
  requireNonNegative("symmetryD2dStd", p.symmetryD2dStd);
  requireNonNegative("rangeD2dStd", p.rangeD2dStd);
  requireNonNegative("cycleNoiseStd", p.cycleNoiseStd);
  requireInRange("halfSelectFraction", p.halfSelectFraction, 0, 1);
  requireNonNegative("readDisturbFraction", p.readDisturbFraction);
  requireInRange("failureProbability", p.failureProbability, 0, 1);
  requirePositive("writeVoltageV", p.writeVoltageV);
  requirePositive("writePulseWidthS", p.writePulseWidthS);
  requireNonNegative("gateCapacitanceF", p.gateCapacitanceF);
}

/** Nominal step ΔG₀ = (G_max − G_min)/nStates, µS. */
export function nominalStepUS(p: Ecram4kParams): number {
  return (p.gMaxUS - p.gMinUS) / p.nStates;
}

/** One device's frozen D2D draw: its own bounds and up/down steps, and whether it works. */
export interface DeviceSample {
  gMinUS: number;
  gMaxUS: number;
  stepUpUS: number;
  stepDownUS: number;
  functional: boolean;
}

/** Draw one device's D2D parameters. Steps and G_min are kept ≥ 0 (a wide `rangeD2dStd` could draw a negative bound) and bounds ordered. */
export function sampleDevice(p: Ecram4kParams, rng: Rng): DeviceSample {
  const step = nominalStepUS(p);
  const scale = Math.max(0, 1 + p.stepD2dStd * rng.normal());
  const sym = p.symmetryD2dStd * rng.normal();
  const gMinUS = Math.max(0, p.gMinUS * (1 + p.rangeD2dStd * rng.normal()));
  const gMaxUS = Math.max(gMinUS + step, p.gMaxUS * (1 + p.rangeD2dStd * rng.normal()));
  const functional = !(p.failureProbability > 0 && rng.uniform() < p.failureProbability);
  return {
    gMinUS,
    gMaxUS,
    stepUpUS: step * scale * Math.max(0, 1 + sym / 2),
    stepDownUS: step * scale * Math.max(0, 1 - sym / 2),
    functional,
  };
}

/** Conductance after `count` full pulses of one polarity (count ≥ 0), with C2C noise, clipped to bounds. */
export function stepConductanceUS(g: number, d: DeviceSample, polarity: Polarity, count: number, cycleNoiseStd: number, rng: Rng): number {
  if (count <= 0) return g;
  const base = polarity > 0 ? d.stepUpUS : d.stepDownUS;
  // Sum of `count` steps with independent relative noise: mean count·base, std base·σ·√count.
  const dg = base * (count + (cycleNoiseStd > 0 ? cycleNoiseStd * Math.sqrt(count) * rng.normal() : 0));
  const next = g + polarity * Math.max(0, dg);
  return Math.min(d.gMaxUS, Math.max(d.gMinUS, next));
}

/** A single 4K-chip ECRAM as a {@link PulseProgrammable} device (for device-level sweeps). */
export class Ecram4kDevice implements PulseProgrammable {
  readonly name: string;
  readonly gMinUS: number;
  readonly gMaxUS: number;
  private g: number;

  constructor(readonly params: Ecram4kParams, readonly sample: DeviceSample, initialUS?: number) {
    validateEcram4kParams(params);
    this.name = "4K-chip ECRAM";
    this.gMinUS = sample.gMinUS;
    this.gMaxUS = sample.gMaxUS;
    this.g = initialUS ?? (sample.gMinUS + sample.gMaxUS) / 2;
    requireInRange("initialUS", this.g, sample.gMinUS, sample.gMaxUS);
  }

  conductanceUS(): number {
    return this.g;
  }

  /**
   * Amplitude and width are fixed by the chip's update driver; they are accepted but must be positive. A stuck
   * device (`sample.functional` false) keeps its conductance, as in the array (`CrosspointArray.pulse`).
   */
  applyPulse(polarity: Polarity, amplitudeV: number, widthS: number, rng: Rng): number {
    requirePositive("amplitudeV", amplitudeV);
    requirePositive("widthS", widthS);
    if (!this.sample.functional) return this.g;
    this.g = stepConductanceUS(this.g, this.sample, polarity, 1, this.params.cycleNoiseStd, rng);
    return this.g;
  }

  /** Gate charging energy C·V² of one pulse, J (the ionic current is negligible at these sizes: assumed). */
  pulseEnergyJ(amplitudeV: number, widthS: number): number {
    requirePositive("amplitudeV", amplitudeV);
    requirePositive("widthS", widthS);
    return this.params.gateCapacitanceF * amplitudeV * amplitudeV;
  }
}
