/**
 * CMO/HfOx filamentary ReRAM (IBM Research Zurich; Falcone et al. 2025, Choi et al.), one 1T1R device per
 * weight between G_min and G_max.
 *
 * Two faces of the same device live here:
 *
 * 1. Inference statistics after closed-loop program-and-verify (the public statistical model in IBM's
 *    analog hardware toolkit, fitted to Falcone et al.; facts in reference-facts.md §2, code our own):
 *    - programming:  G_prog = G_target + N(0, σ_p),  σ_p = a_acc·G_target + b_acc   (µS; the verify loop's
 *      acceptance range, 0.2 % or 2 % of the target, sets a_acc and b_acc);
 *    - relaxation at time t after programming (s, natural log, conductance-independent):
 *      G_relax = G_prog + μ_r·ln t + N(0, σ_r(t)),  σ_r(t) = c_r·ln t + d_r;
 *    - read noise (1/f, accumulated from one read of length t_read to t):
 *      σ_read = K·log10(G)·sqrt(ln((t + t_read)/(2·t_read)));
 *    - the result is clamped to [G_min, G_max]. At t = 0 only programming noise applies.
 *    The fit covers t ≥ 1 s; for 0 < t ≤ 1 s we use ln t → 0, an assumption: no mean drift yet, but the
 *    spread already has its 1 s value d_r.
 *
 * 2. Pulse response for training: a soft-bounds device (steps shrink near the bound they approach)
 *    whose step size depends very nonlinearly on pulse amplitude. Choi et al. attribute the nonlinearity
 *    to thermoelectric energy concentration in the filament (COMSOL); we model it as an Arrhenius rate
 *    with Joule heating: T(V) = T_0 + ΔT_s·(V/V_s)², rate ∝ exp(−E_a/(k_B·T(V))). A half-selected cell
 *    (V_s/2) heats by only ΔT_s/4, so its step is a tiny fraction
 *    k = ΔG(V_s/2)/ΔG(V_s) = exp(E_a/k_B·(1/T(V_s) − 1/T(V_s/2))) of a full step.
 */
import type { Polarity, PulseProgrammable } from "./device";
import type { Rng } from "../util/rng";
import { BOLTZMANN_OVER_CHARGE_V_PER_K } from "../util/constants";
import { requireFinite, requireInRange, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

/** σ_p = slope·G_target + interceptUS (µS) for one acceptance range. */
export interface ProgrammingNoiseFit {
  /** Dimensionless slope of σ_p against G_target. */
  slope: number;
  /** Offset of σ_p, µS. */
  interceptUS: number;
}

export interface CmoHfoxParams {
  /** Lowest programmable conductance (the weight −w_max maps here), µS. */
  gMinUS: number;
  /** Highest programmable conductance (the weight +w_max maps here), µS. */
  gMaxUS: number;
  /** Programming-noise fits keyed by acceptance range (fraction of target: 0.002 = 0.2 %, 0.02 = 2 %). */
  programmingNoise: Record<string, ProgrammingNoiseFit>;
  /** μ_r: mean relaxation per unit ln t, µS (negative: conductance decays). */
  relaxMeanPerLnTUS: number;
  /** c_r: growth of the relaxation spread per unit ln t, µS. */
  relaxStdPerLnTUS: number;
  /** d_r: relaxation spread already present at t = 1 s, µS. */
  relaxStdAt1sUS: number;
  /** K: read-noise (1/f) coefficient, µS per decade of G (σ_read = K·log10(G/µS)·sqrt(ln((t+t_r)/(2t_r)))). */
  readNoiseK: number;
  /** t_read: integration time of one read, s. */
  readTimeS: number;
  /** Width of one switching pulse, s. */
  pulseWidthS: number;
  /** Full-select update amplitude V_s, V. */
  selectAmplitudeV: number;
  /**
   * α_0: soft-bounds step of one full-select pulse of width pulseWidthS, as a fraction of the distance to the
   * bound it approaches: ΔG_up = α_0·(G_max − G), ΔG_down = α_0·(G − G_min). Steps scale linearly in width.
   */
  stepFraction: number;
  /** Relative cycle-to-cycle spread of a step (Gaussian, multiplies the step), dimensionless. */
  stepNoiseRel: number;
  /** E_a: activation energy of the filament's ionic motion, eV. */
  activationEnergyEV: number;
  /** T_0: ambient temperature, K. */
  ambientTemperatureK: number;
  /** ΔT_s: Joule temperature rise of the filament at V_s, K (∝ V², so V_s/2 gives ΔT_s/4). */
  selectTemperatureRiseK: number;
  provenance: Record<string, string>;
}

/** CMO/HfOx 1T1R ReRAM, 130 nm BEOL (Falcone et al.) with the disturb physics of Choi et al. */
export const CMO_HFOX: Readonly<CmoHfoxParams> = Object.freeze({
  gMinUS: 9.0,
  gMaxUS: 88.19,
  programmingNoise: Object.freeze({
    "0.002": Object.freeze({ slope: 0.00106879, interceptUS: 0.00081107 }),
    "0.02": Object.freeze({ slope: 0.01129027418, interceptUS: 0.0112185391 }),
  }),
  relaxMeanPerLnTUS: -0.08900206,
  relaxStdPerLnTUS: 0.04201137,
  relaxStdAt1sUS: 0.41183342,
  readNoiseK: 0.0277316483,
  readTimeS: 1e-6,
  pulseWidthS: 60e-9,
  selectAmplitudeV: 1.2,
  stepFraction: 0.002,
  stepNoiseRel: 0.3,
  activationEnergyEV: 1.0,
  ambientTemperatureK: 300,
  selectTemperatureRiseK: 600,
  provenance: Object.freeze({
    "gMinUS, gMaxUS": "public model: IBM aihwkit ReRamCMONoiseModel / example 34 (9 µS … 88.19 µS), fitted to Falcone et al.",
    programmingNoise: "public model: IBM aihwkit ReRamCMONoiseModel linear σ(G) fits for the 0.2 % and 2 % acceptance ranges (Falcone et al. data)",
    "relaxMeanPerLnTUS, relaxStdPerLnTUS, relaxStdAt1sUS": "public model: IBM aihwkit ReRamCMONoiseModel decay fit (mean and std linear in ln t)",
    "readNoiseK, readTimeS": "public model: IBM aihwkit ReRamCMONoiseModel read-noise term (1/f, 1 µs read)",
    pulseWidthS: "paper text: Choi et al. abstract, '60 ns fast, non-volatile analog switching'",
    selectAmplitudeV: "assumed: below the 1.5 V bound of Falcone et al. abstract ('voltage amplitudes of less than 1.5 V'); only V/V_s enters the model",
    stepFraction: "assumed: 0.002, i.e. ~1000 full pulses across the range, the granularity Gokmen & Vlasov (2016) ask of a training device; the abstracts give no step size (it does not enter k)",
    stepNoiseRel: "assumed: 0.3 cycle-to-cycle step spread, the default of aihwkit's pulsed soft-bounds devices (no CMO value published)",
    "activationEnergyEV, ambientTemperatureK, selectTemperatureRiseK":
      "assumed: Arrhenius + Joule-heating reading of Choi et al.'s thermoelectric mechanism; E_a 1 eV is typical of oxygen-vacancy motion in HfOx, a 600 K filament rise at V_s is an order-of-magnitude COMSOL-type value; not fitted to k",
  }),
});

/** Every preset in this module (tests iterate over them). */
export const CMO_HFOX_PRESETS: Readonly<Record<string, Readonly<CmoHfoxParams>>> = Object.freeze({ CMO_HFOX });

/** Validate a parameter set; throws RangeError naming the field. */
export function validateCmoHfoxParams(p: CmoHfoxParams): void {
  requireOrdered("gMinUS", p.gMinUS, "gMaxUS", p.gMaxUS);
  requirePositive("gMinUS", p.gMinUS);
  // σ_read = K·log10(G/µS)·…: the read-noise law gives σ ≤ 0 at G ≤ 1 µS, so the window must lie above 1 µS.
  if (p.gMinUS <= 1) throw new RangeError(`gMinUS must be > 1 µS (the read-noise law σ_read = K·log10(G/µS)·… needs G > 1 µS for a positive spread), got ${p.gMinUS}`);
  for (const [key, fit] of Object.entries(p.programmingNoise)) {
    requirePositive(`programmingNoise[${key}] acceptance range`, Number(key));
    requireNonNegative(`programmingNoise[${key}].slope`, fit.slope);
    requireNonNegative(`programmingNoise[${key}].interceptUS`, fit.interceptUS);
  }
  requireFinite("relaxMeanPerLnTUS", p.relaxMeanPerLnTUS);
  requireNonNegative("relaxStdPerLnTUS", p.relaxStdPerLnTUS);
  requireNonNegative("relaxStdAt1sUS", p.relaxStdAt1sUS);
  requireNonNegative("readNoiseK", p.readNoiseK);
  requirePositive("readTimeS", p.readTimeS);
  requirePositive("pulseWidthS", p.pulseWidthS);
  requirePositive("selectAmplitudeV", p.selectAmplitudeV);
  requireInRange("stepFraction", p.stepFraction, 0, 1);
  requireNonNegative("stepNoiseRel", p.stepNoiseRel);
  requirePositive("activationEnergyEV", p.activationEnergyEV);
  requirePositive("ambientTemperatureK", p.ambientTemperatureK);
  requireNonNegative("selectTemperatureRiseK", p.selectTemperatureRiseK);
}

// ---------------------------------------------------------------------------------------------------
// Inference statistics

/** The fit for an acceptance range (fraction of target, > 0); throws if the model has none for it. */
export function programmingNoiseFit(acceptanceRange: number, p: CmoHfoxParams = CMO_HFOX): ProgrammingNoiseFit {
  requirePositive("acceptanceRange", acceptanceRange);
  const fit = p.programmingNoise[String(acceptanceRange)];
  if (!fit) throw new RangeError(`acceptanceRange ${acceptanceRange} has no programming-noise fit (known: ${Object.keys(p.programmingNoise).join(", ")})`);
  return fit;
}

/** σ_p(G_target) = slope·G_target + intercept, µS. */
export function programmingSigmaUS(gTargetUS: number, acceptanceRange: number, p: CmoHfoxParams = CMO_HFOX): number {
  requireFinite("gTargetUS", gTargetUS);
  const fit = programmingNoiseFit(acceptanceRange, p);
  return fit.slope * gTargetUS + fit.interceptUS;
}

/** ln t as the relaxation fit uses it: 0 at t ≤ 1 s (the fit starts at 1 s), natural log beyond. */
export function relaxationLogTime(tS: number): number {
  requireNonNegative("tS (time after programming)", tS);
  return tS <= 1 ? 0 : Math.log(tS);
}

/** Mean conductance shift μ_r·ln t at time t after programming, µS (0 at t = 0). */
export function relaxationMeanShiftUS(tS: number, p: CmoHfoxParams = CMO_HFOX): number {
  return p.relaxMeanPerLnTUS * relaxationLogTime(tS);
}

/** Relaxation spread σ_r(t) = c_r·ln t + d_r at t ≥ 1 s, µS; 0 at t = 0 (only programming noise then). */
export function relaxationSigmaUS(tS: number, p: CmoHfoxParams = CMO_HFOX): number {
  if (requireNonNegative("tS (time after programming)", tS) === 0) return 0;
  return p.relaxStdPerLnTUS * relaxationLogTime(tS) + p.relaxStdAt1sUS;
}

/** Read-noise std σ_read = K·log10(G)·sqrt(ln((t + t_r)/(2 t_r))), µS; 0 where the log argument is ≤ 1. */
export function readNoiseSigmaUS(gUS: number, tS: number, p: CmoHfoxParams = CMO_HFOX): number {
  validateCmoHfoxParams(p);
  requirePositive("gUS", gUS);
  if (gUS <= 1) throw new RangeError(`gUS must be > 1 µS (the read-noise law σ_read = K·log10(G/µS)·… gives σ ≤ 0 at G ≤ 1 µS), got ${gUS}`);
  requireNonNegative("tS (time after programming)", tS);
  const arg = Math.log((tS + p.readTimeS) / (2 * p.readTimeS));
  return arg <= 0 ? 0 : p.readNoiseK * Math.log10(gUS) * Math.sqrt(arg);
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/**
 * Program-and-verify outcome for each target: G_target + N(0, σ_p(G_target)), µS (not clamped: the read,
 * {@link conductancesAtTime}, clamps). Each target must be finite and inside the device window [G_min, G_max]
 * (the programming-noise fit covers that range, and a device cannot be programmed outside it); a target past
 * a bound by rounding only (≤ 1e-9 of the window, e.g. a weight mapped to w_max) counts as the bound.
 */
export function programConductances(targetsUS: ArrayLike<number>, acceptanceRange: number, rng: Rng, p: CmoHfoxParams = CMO_HFOX): Float64Array {
  const fit = programmingNoiseFit(acceptanceRange, p);
  const slack = 1e-9 * (p.gMaxUS - p.gMinUS);
  const lo = p.gMinUS - slack;
  const hi = p.gMaxUS + slack;
  const out = new Float64Array(targetsUS.length);
  for (let i = 0; i < targetsUS.length; i++) {
    const g = targetsUS[i];
    // `!(g >= lo && g <= hi)` is also true for NaN.
    if (!(g >= lo && g <= hi)) throw new RangeError(`targetsUS[${i}] must be a finite conductance in the device window [${p.gMinUS}, ${p.gMaxUS}] µS, got ${g}`);
    out[i] = g + (fit.slope * g + fit.interceptUS) * rng.normal();
  }
  return out;
}

export interface ReadOptions {
  /** Include the 1/f read noise (default true). */
  readNoise?: boolean;
  /** Include the relaxation (default true). */
  relaxation?: boolean;
}

/**
 * Conductances read at time t after programming: relaxation (mean shift + spread), then read noise, then
 * the clamp to [G_min, G_max]. At t = 0 the programmed values come back unchanged (clamped). Programmed
 * values may lie outside the window (programming noise is not clamped) but must be finite.
 */
export function conductancesAtTime(programmedUS: ArrayLike<number>, tS: number, rng: Rng, p: CmoHfoxParams = CMO_HFOX, options: ReadOptions = {}): Float64Array {
  requireNonNegative("tS (time after programming)", tS);
  validateCmoHfoxParams(p);
  const withRelax = options.relaxation ?? true;
  const withRead = options.readNoise ?? true;
  const out = new Float64Array(programmedUS.length);
  const shift = withRelax ? relaxationMeanShiftUS(tS, p) : 0;
  const sigmaR = withRelax ? relaxationSigmaUS(tS, p) : 0;
  const readArg = Math.log((tS + p.readTimeS) / (2 * p.readTimeS));
  for (let i = 0; i < programmedUS.length; i++) {
    let g = programmedUS[i];
    if (!Number.isFinite(g)) throw new RangeError(`programmedUS[${i}] must be a finite conductance (µS), got ${g}`);
    if (tS > 0) {
      if (withRelax) g += shift + sigmaR * rng.normal();
      if (withRead && readArg > 0 && g > 0) g += p.readNoiseK * Math.log10(g) * Math.sqrt(readArg) * rng.normal();
    }
    out[i] = clamp(g, p.gMinUS, p.gMaxUS);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Pulse response (training)

/** Filament temperature T(V) = T_0 + ΔT_s·(V/V_s)², K. */
export function filamentTemperatureK(amplitudeV: number, p: CmoHfoxParams = CMO_HFOX): number {
  requireNonNegative("amplitudeV", amplitudeV);
  return p.ambientTemperatureK + p.selectTemperatureRiseK * (amplitudeV / p.selectAmplitudeV) ** 2;
}

/** Step of one pulse of amplitude V relative to a full-select pulse: exp(E_a/k_B·(1/T(V_s) − 1/T(V))). */
export function relativeStepAtAmplitude(amplitudeV: number, p: CmoHfoxParams = CMO_HFOX): number {
  const tV = filamentTemperatureK(amplitudeV, p);
  const tS = filamentTemperatureK(p.selectAmplitudeV, p);
  return Math.exp((p.activationEnergyEV / BOLTZMANN_OVER_CHARGE_V_PER_K) * (1 / tS - 1 / tV));
}

/** Half-select ratio k = ΔG(V_s/2)/ΔG(V_s) of the amplitude response. */
export function halfSelectRatio(p: CmoHfoxParams = CMO_HFOX): number {
  return relativeStepAtAmplitude(p.selectAmplitudeV / 2, p);
}

/**
 * One soft-bounds step in normalised weight units w ∈ [wMin, wMax]:
 * up: w + a·(wMax − w), down: w − a·(w − wMin), with a the step fraction of this pulse.
 */
export function softBoundsStep(w: number, polarity: Polarity, a: number, wMin: number, wMax: number): number {
  return polarity > 0 ? w + a * (wMax - w) : w - a * (w - wMin);
}

/** A single CMO/HfOx device under pulses (implements the shared pulse contract). */
export class CmoHfoxDevice implements PulseProgrammable {
  readonly name = "CMO/HfOx ReRAM";
  readonly gMinUS: number;
  readonly gMaxUS: number;
  private gUS: number;

  constructor(readonly params: CmoHfoxParams = CMO_HFOX, initialUS?: number) {
    validateCmoHfoxParams(params);
    this.gMinUS = params.gMinUS;
    this.gMaxUS = params.gMaxUS;
    this.gUS = initialUS ?? (params.gMinUS + params.gMaxUS) / 2;
    requireInRange("initialUS", this.gUS, params.gMinUS, params.gMaxUS);
  }

  conductanceUS(): number {
    return this.gUS;
  }

  /**
   * Soft-bounds step with fraction α_0·(width/pulseWidthS)·relativeStepAtAmplitude(V)·(1 + σ_c2c·ξ), the
   * cycle-to-cycle factor clipped at 0 so a pulse never moves the state backwards.
   */
  applyPulse(polarity: Polarity, amplitudeV: number, widthS: number, rng: Rng): number {
    requireNonNegative("amplitudeV", amplitudeV);
    requirePositive("widthS", widthS);
    const p = this.params;
    const noise = Math.max(0, 1 + p.stepNoiseRel * rng.normal());
    const a = Math.min(1, p.stepFraction * (widthS / p.pulseWidthS) * relativeStepAtAmplitude(amplitudeV, p) * noise);
    this.gUS = softBoundsStep(this.gUS, polarity, a, p.gMinUS, p.gMaxUS);
    return this.gUS;
  }

  /** Joule energy V²·G·t of one pulse at the present conductance, J. */
  pulseEnergyJ(amplitudeV: number, widthS: number): number {
    return amplitudeV * amplitudeV * this.gUS * 1e-6 * widthS;
  }
}
