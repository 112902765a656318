/**
 * TaOx filamentary RRAM in a 1T1R cell, the alternative hidden-weight device of the MTT paper (Yang et al.
 * §2.2, Fig 4h, S19–S21, S30).
 *
 * Model, per device:
 * - Window [G_min, G_max] with on/off G_max/G_min ≈ 75 and 16 programmable states (Fig S19b–e).
 * - Pulse response: the Chen/NeuroSim curve ({@link ./chen-nonlinearity}) with strong nonlinearity labels
 *   (a filamentary device saturates: the first SET pulses move G far more than the last), so
 *   write-verify needs more pulses than for the near-linear ECRAM (text on Fig 6i–k, S30).
 * - Amplitude and width: a pulse advances the pulse coordinate by s = (w/w_ref)·exp((|V| − V_ref)/V_s)
 *   above a threshold (field-driven oxygen-vacancy motion is exponential in voltage).
 * - Cycle-to-cycle noise, NeuroSim form: ΔG_noise = σ_c2c·(G_max − G_min)·ξ·√s per pulse (a pulse of strength s
 *   counts as s reference pulses in the public model's √|pulses|), plus a relative part on the deterministic step.
 * - Nonlinear read (Fig S19f: "nonlinear read behavior ... particularly at high resistance states under
 *   large read voltages"): I(V) = G·V₀(G)·sinh(V/V₀(G)), V₀(G) = V₀,HRS·(G/G_min)^κ, so the high-resistance
 *   state is super-linear at a few hundred mV while the low-resistance (metallic filament) state stays
 *   ohmic. G is the low-field (small-signal) conductance that programming targets.
 *
 * Units: µS, µA, V, s, J.
 */
import type { Rng } from "../util/rng";
import type { Polarity, PulseProgrammable } from "./device";
import { potentiationCurveUS, potentiationPulseCoordinate, shapeForNonlinearity } from "./chen-nonlinearity";
import { requireFinite, requireInRange, requireInteger, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

export interface TaoxRramParams {
  readonly name: string;
  /** Low-field conductance bounds of the programmable window, µS (on/off = G_max/G_min). */
  readonly gMinUS: number;
  readonly gMaxUS: number;
  /** Number of programmable states used for multi-level storage. */
  readonly levels: number;
  /** NeuroSim nonlinearity labels for SET (potentiation) and RESET (depression), 0.01 … 9. */
  readonly nonlinearitySet: number;
  readonly nonlinearityReset: number;
  /** Reference pulses to cross the window, P_max. */
  readonly pulsesAcrossWindow: number;
  /** Reference SET / RESET amplitudes (magnitudes), V, and reference width, s. */
  readonly referenceSetV: number;
  readonly referenceResetV: number;
  readonly referenceWidthS: number;
  /** Amplitude scale of the exponential switching kinetics, V per e-fold. */
  readonly amplitudeScaleV: number;
  /** No switching below this magnitude, V (reads must stay below it). */
  readonly thresholdV: number;
  /** Cycle-to-cycle noise: absolute (fraction of the window, ×√s for a pulse of strength s) and relative on the step. */
  readonly c2cAbsolute: number;
  readonly c2cRelative: number;
  /** Read nonlinearity: V₀ at G_min, V, and exponent κ of V₀(G) = V₀,HRS·(G/G_min)^κ. */
  readonly readSinhV0HrsV: number;
  readonly readSinhExponent: number;
  readonly provenance: Readonly<Record<string, string>>;
}

export const TAOX_RRAM: TaoxRramParams = Object.freeze({
  name: "TaOx 1T1R RRAM",
  gMinUS: 2,
  gMaxUS: 150,
  levels: 16,
  nonlinearitySet: 4,
  nonlinearityReset: 5,
  pulsesAcrossWindow: 120,
  referenceSetV: 1.5,
  referenceResetV: 1.8,
  referenceWidthS: 6.4e-6,
  amplitudeScaleV: 0.15,
  thresholdV: 0.9,
  c2cAbsolute: 0.035,
  c2cRelative: 0.2,
  readSinhV0HrsV: 0.5,
  readSinhExponent: 0.5,
  provenance: Object.freeze({
    gMinUS:
      "assumed level, ratio fitted to Fig S19: only on/off ≈ 75 is in our text (Fig S19, registry yang.rram.states); the absolute HRS of 500 kΩ is our choice. The RRAM-MTT transfer (Fig 4h, yang.rram_mtt.fit) does not depend on it, since the reference transistor is sized to G_min (mtt/presets.ts) and the read law depends on G/G_min; the pulse energy V·I·w scales with it, so the fitted referenceWidthS (yang.energy.rram) would scale inversely; the 1.5 µS write-verify tolerance is set against the resulting 9.9 µS state spacing",
    gMaxUS: "fitted to Fig S19 (registry yang.rram.states): G_max = 75·G_min, an LRS of ≈ 6.7 kΩ (the absolute level follows the assumed gMinUS)",
    levels: "paper text Fig S19b–e: 16 states",
    nonlinearitySet:
      "assumed: strongly nonlinear filamentary SET (the text: 'stochastic and nonlinear programming', 'nonlinear conductance changes' raise write-verify latency, Fig 6i–k); NL 4 puts the normalised curve ~0.4 of the window away from a straight line, the size of NeuroSim's default real device (MLP_NeuroSim V3.0 RealDevice: NL ±4.22). No fitted TaOx label is in our text. It drives the RRAM write-verify pulse count and so yang.energy.pulse_gap (a prediction) and the RRAM side of Fig 7k",
    nonlinearityReset:
      "assumed: a somewhat larger label than SET so the two branches are not mirror images (asymmetric update, which the text's 'nonlinear conductance changes' allows but does not quantify; which branch is more abrupt for this TaOx cell is not in our text). Same consequences as nonlinearitySet",
    pulsesAcrossWindow: "assumed: 120 reference pulses cross the window, as many as for the ECRAM preset, so the two hidden-weight devices differ in linearity and noise rather than in step granularity",
    referenceSetV:
      "assumed: sub-2 V SET amplitude of a 1T1R oxide cell (the paper's RRAM pulse amplitudes are not in our text). It only anchors the kinetics: pulse counts depend on V − V_ref, and RRAM_WRITE_VERIFY's ladder (1.0–1.6 V) is placed around it; the absolute V enters the pulse energy V·I(V)·w, which the fitted referenceWidthS absorbs (yang.energy.rram)",
    referenceResetV:
      "assumed: as referenceSetV, a little higher than SET (RRAM_WRITE_VERIFY's RESET ladder runs 1.2–1.9 V around it); value not in our text",
    referenceWidthS: "fitted to Fig 7k (calibration, registry yang.energy.rram): the width of the RRAM programming pulses is not in our text and sets the RRAM energy per pulse (V·I·w); with the digital side fixed by the ECRAM calibration, the width at which the simulated RRAM-MTT ratio at 4 Mb equals the published one is 6.45 µs, used as 6.4 µs (with the additive c2c noise scaled by √s for every pulse and the ECRAM calibration at k = 144 after the ECRAM's verify reads became noisy; 6.49 µs at k = 143 before that, 6.3 µs with the noise capped at one reference pulse, 6.5 µs with eight write-verify levels over one device's window) (the paper measured on a B1500A analyzer, §4.2, not a product circuit with ~100 ns pulses). The kinetics are defined per reference pulse, so pulse counts do not depend on this choice",
    amplitudeScaleV:
      "assumed: 0.15 V per e-fold, i.e. a decade of switching rate per ~0.35 V (field-accelerated oxygen-vacancy motion is exponential in voltage; the slope is not in our text). Each 50 mV rung of RRAM_WRITE_VERIFY then multiplies the step by e^(1/3) ≈ 1.4, and the pulse-width what-if of notebook 10 shifts the ladder by V_s·ln(w/w₀)",
    thresholdV: "assumed: no disturb below 0.9 V, so the 0.8 V MTT read (Fig 4h) is non-destructive",
    c2cAbsolute: "public model: NeuroSim cycle-to-cycle σ = 0.035·(G_max − G_min)·√pulses, with a pulse of strength s counted as s reference pulses (σ·√s; no cap, as in NeuroSim's RealDevice::Write). It is large against a step: only about 64 % of the pulses of 2000 random 3-bit write-verify runs move G the intended way (the stochastic switching §2.2 names), where the ECRAM's Fig 3e bound keeps its floor ~100× smaller",
    c2cRelative:
      "assumed: 20 % relative spread of each step, for the filamentary stochasticity the text names (§2.2: 'stochastic and nonlinear programming behavior'); below the 0.3 cycle-to-cycle spread of aihwkit's Li-ECRAM preset (reference-facts.md §2) because the NeuroSim additive term (c2cAbsolute) already carries most of the noise. It raises the RRAM write-verify pulse count (yang.energy.pulse_gap) and the spread of the programmed states (yang.rram.states.count)",
    readSinhV0HrsV: "assumed: V₀ = 0.5 V at HRS gives +48 % super-linear current at 0.8 V (Fig S19f shape; values not in our text)",
    readSinhExponent: "assumed: κ = 0.5 makes the LRS (75× G_min) nearly ohmic (V₀ ≈ 4.3 V)",
  }),
});

export const TAOX_RRAM_PRESETS: Readonly<Record<string, TaoxRramParams>> = Object.freeze({ "taox-1t1r": TAOX_RRAM });

export function validateTaoxRram(p: TaoxRramParams): TaoxRramParams {
  requirePositive("gMinUS", p.gMinUS);
  requireOrdered("gMinUS", p.gMinUS, "gMaxUS", p.gMaxUS);
  requireInteger("levels", p.levels, 2);
  requireInRange("nonlinearitySet", p.nonlinearitySet, 0.01, 9);
  requireInRange("nonlinearityReset", p.nonlinearityReset, 0.01, 9);
  requirePositive("pulsesAcrossWindow", p.pulsesAcrossWindow);
  requirePositive("referenceSetV", p.referenceSetV);
  requirePositive("referenceResetV", p.referenceResetV);
  requirePositive("referenceWidthS", p.referenceWidthS);
  requirePositive("amplitudeScaleV", p.amplitudeScaleV);
  requireNonNegative("thresholdV", p.thresholdV);
  requireNonNegative("c2cAbsolute", p.c2cAbsolute);
  requireNonNegative("c2cRelative", p.c2cRelative);
  requirePositive("readSinhV0HrsV", p.readSinhV0HrsV);
  requireNonNegative("readSinhExponent", p.readSinhExponent);
  return p;
}

/** V₀(G) of the sinh read law, V, for a low-field conductance G > 0 µS (the law has no value at G ≤ 0). */
export function readSinhV0(p: TaoxRramParams, conductanceUS: number): number {
  if (!(conductanceUS > 0) || !Number.isFinite(conductanceUS)) throw new RangeError(`RRAM read: conductance must be a finite number > 0 µS, got ${String(conductanceUS)}`);
  return p.readSinhV0HrsV * Math.pow(conductanceUS / p.gMinUS, p.readSinhExponent);
}

/**
 * Read current I = G·V₀·sinh(V/V₀) (odd in V), µA, for low-field conductance G (µS). G must be > 0; the law is
 * fitted inside the device window and grows without bound as G falls far below G_min (V₀ ∝ G^0.5).
 */
export function rramReadCurrentUA(p: TaoxRramParams, conductanceUS: number, voltageV: number): number {
  requireFinite("read voltage (V)", voltageV);
  const v0 = readSinhV0(p, conductanceUS);
  return conductanceUS * v0 * Math.sinh(voltageV / v0);
}

/** Pulse-coordinate advance of one pulse (reference pulses). */
export function rramPulseStrength(p: TaoxRramParams, polarity: Polarity, amplitudeV: number, widthS: number): number {
  requireNonNegative("pulse amplitude (V)", amplitudeV);
  requirePositive("pulse width (s)", widthS);
  if (amplitudeV <= p.thresholdV) return 0;
  const vRef = polarity > 0 ? p.referenceSetV : p.referenceResetV;
  return (widthS / p.referenceWidthS) * Math.exp((amplitudeV - vRef) / p.amplitudeScaleV);
}

/** A TaOx 1T1R RRAM device with state. */
export class TaoxRramDevice implements PulseProgrammable {
  readonly name: string;
  readonly params: TaoxRramParams;
  readonly gMinUS: number;
  readonly gMaxUS: number;
  private readonly shapeSet: number;
  private readonly shapeReset: number;
  private gUS: number;

  constructor(params: TaoxRramParams = TAOX_RRAM, initialUS?: number) {
    validateTaoxRram(params);
    this.params = params;
    this.name = params.name;
    this.gMinUS = params.gMinUS;
    this.gMaxUS = params.gMaxUS;
    this.shapeSet = shapeForNonlinearity(params.nonlinearitySet);
    this.shapeReset = shapeForNonlinearity(params.nonlinearityReset);
    const g0 = initialUS ?? params.gMinUS;
    requireFinite("initial conductance (µS)", g0);
    this.gUS = Math.min(this.gMaxUS, Math.max(this.gMinUS, g0));
  }

  conductanceUS(): number {
    return this.gUS;
  }

  setConductanceUS(gUS: number): void {
    requireFinite("conductance (µS)", gUS);
    this.gUS = Math.min(this.gMaxUS, Math.max(this.gMinUS, gUS));
  }

  /** Noise-free ΔG of one pulse from the present state, µS. */
  expectedStepUS(polarity: Polarity, amplitudeV: number, widthS: number): number {
    const s = rramPulseStrength(this.params, polarity, amplitudeV, widthS);
    if (s === 0) return 0;
    const pMax = this.params.pulsesAcrossWindow;
    if (polarity > 0) {
      const p = potentiationPulseCoordinate(this.gUS, pMax, this.shapeSet, this.gMinUS, this.gMaxUS);
      return potentiationCurveUS(Math.min(pMax, p + s), pMax, this.shapeSet, this.gMinUS, this.gMaxUS) - this.gUS;
    }
    const mirrored = this.gMaxUS + this.gMinUS - this.gUS;
    const p = potentiationPulseCoordinate(mirrored, pMax, this.shapeReset, this.gMinUS, this.gMaxUS);
    return -(potentiationCurveUS(Math.min(pMax, p + s), pMax, this.shapeReset, this.gMinUS, this.gMaxUS) - mirrored);
  }

  applyPulse(polarity: Polarity, amplitudeV: number, widthS: number, rng: Rng): number {
    const s = rramPulseStrength(this.params, polarity, amplitudeV, widthS);
    if (s === 0) return this.gUS;
    const step = this.expectedStepUS(polarity, amplitudeV, widthS);
    const window = this.gMaxUS - this.gMinUS;
    const noisy = step * (1 + this.params.c2cRelative * rng.normal()) + this.params.c2cAbsolute * window * Math.sqrt(s) * rng.normal();
    this.gUS = Math.min(this.gMaxUS, Math.max(this.gMinUS, this.gUS + noisy));
    return this.gUS;
  }

  /** Read current at voltage V (nonlinear read), µA. */
  readCurrentUA(voltageV: number): number {
    return rramReadCurrentUA(this.params, this.gUS, voltageV);
  }

  /** Energy of one programming pulse, J: V·I(V)·w with the read law evaluated at the pulse amplitude. */
  pulseEnergyJ(amplitudeV: number, widthS: number): number {
    requireNonNegative("pulse amplitude (V)", amplitudeV);
    requireNonNegative("pulse width (s)", widthS);
    return amplitudeV * rramReadCurrentUA(this.params, this.gUS, amplitudeV) * 1e-6 * widthS;
  }
}

/** The 16 target conductances of the multi-level states, evenly spaced in G over the window, µS. */
export function rramStateTargetsUS(p: TaoxRramParams = TAOX_RRAM): number[] {
  return Array.from({ length: p.levels }, (_, i) => p.gMinUS + (i / (p.levels - 1)) * (p.gMaxUS - p.gMinUS));
}
