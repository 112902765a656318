/**
 * nMOSFET drain current for the MTT unit's transistors (Yang et al., Experimental §4.4).
 *
 * The paper describes two regimes (its equations were lost in extraction; rebuilt here from the text):
 * - linear region, V_gs ≥ V_T and V_ds ≪ V_gs − V_T:  I_ds = β·(V_gs − V_T)·V_ds + I_bias,
 *   β = µ_eff·C_ox·W/L, and "the bias is the compensation": I_bias is the current the sub-threshold
 *   expression gives at V_gs = V_T, so the two regimes join without a jump;
 * - sub-threshold, V_gs < V_T:  I_ds = I_0·exp((V_gs − V_T)/(m·T'))·(1 − exp(−V_ds/T')), T' = kT/q.
 *
 * The reference transistor of the MTT unit sees V_ds up to V_read_H, which is not ≪ V_gs − V_T, so
 * above threshold we use the full square law of the same model family (triode
 * β·(V_ov·V_ds − V_ds²/2) up to V_ds = V_ov, then saturation β·V_ov²/2): for V_ds ≪ V_ov it reduces
 * to the paper's linear-region form. Below threshold the (1 − exp(−V_ds/T')) factor already saturates.
 *
 * I_0 is chosen so that the slopes ∂I/∂V_gs of the two regimes match at V_gs = V_T in the small-V_ds
 * limit: I_0/(m·T')·(V_ds/T') = β·V_ds  ⇒  I_0 = β·m·T'². (Assumed: the text does not give I_0.) This makes
 * the paper's two-regime law continuous in value at V_T, and in slope as V_ds → 0 (at finite V_ds the slopes
 * differ: 8.3 against 10 µA/V at 0.01 V for the MTT transistor). The square-law form used by default is
 * continuous in value only: just above V_T, where V_ov < V_ds, it is saturated and its slope β·V_ov starts at 0.
 *
 * Units: voltages in V, β in µA/V², currents in µA (so µA = µS·V everywhere in the MTT code).
 * Negative V_ds swaps the roles of drain and source (the device is symmetric): I(V_gs, V_ds) =
 * −I(V_gs − V_ds, −V_ds).
 */
import { BOLTZMANN_OVER_CHARGE_V_PER_K } from "../util/constants";
import { requireFinite, requireInRange, requirePositive } from "../util/validate";

export interface MosfetParams {
  /** Threshold voltage V_T, V (> 0 for an enhancement nMOSFET). */
  thresholdV: number;
  /** Transconductance factor β = µ_eff·C_ox·W/L, µA/V². */
  betaUAPerV2: number;
  /** Sub-threshold slope factor m (≥ 1); the swing is m·T'·ln10 per decade. */
  slopeFactor: number;
  /** Absolute temperature T, K (T' = kT/q). */
  temperatureK: number;
}

export interface MosfetPreset extends MosfetParams {
  readonly name: string;
  readonly provenance: Readonly<Record<string, string>>;
}

/**
 * The transistors of the ECRAM-MTT unit (inference and reference transistors alike). Table S1 of the
 * paper, which lists them, is not in our text.
 */
export const ECRAM_MTT_TRANSISTOR: Readonly<MosfetPreset> = Object.freeze({
  name: "ECRAM-MTT nMOSFET",
  thresholdV: 0.7,
  betaUAPerV2: 1000,
  slopeFactor: 1.5,
  temperatureK: 300,
  provenance: Object.freeze({
    thresholdV:
      "assumed from the paper's own design rule: 'V_read_H is set as 2 × V_T' (Fig S11) and the experimental operating point V_read_H = 1.4 V (Fig 4a–c) give V_T = 0.7 V; it also makes V_read_H = 0.7 V (Fig 7g, ternary) a sub-threshold read, as the text says",
    betaUAPerV2:
      "assumed: 1 mA/V² (W/L ≈ 5–10 in a 0.18 µm-class process, or a small-signal discrete nMOSFET); sets the reference transistor's sub-threshold current and hence G_e,min; Table S1 missing",
    slopeFactor: "assumed: m = 1.5 (≈ 90 mV/decade swing), typical of a long-channel / discrete nMOSFET",
    temperatureK: "assumed: room-temperature measurement (B1500A probe station, §4.2)",
  }),
});

/** The 1T1R process of the RRAM-MTT unit (Fig 4h, S21). */
export const RRAM_MTT_TRANSISTOR: Readonly<MosfetPreset> = Object.freeze({
  name: "RRAM-MTT 1T1R nMOSFET",
  thresholdV: 0.4,
  betaUAPerV2: 200,
  slopeFactor: 1.4,
  temperatureK: 300,
  provenance: Object.freeze({
    thresholdV:
      "assumed from the same design rule V_read_H = 2·V_T applied to the RRAM operating point V_read_H = 0.8 V (Fig 4h); consistent with the text's remark that lower-V_T advanced nodes allow V_read_H = 0.2 V (Fig S21)",
    betaUAPerV2: "assumed: inference transistor of a foundry 1T1R cell, W/L ≈ 1–2; the reference transistor of the RRAM-MTT unit is sized separately (see mtt/presets.ts)",
    slopeFactor:
      "assumed: m = 1 + C_dep/C_ox (plus interface-trap capacitance): the depletion capacitance under the gate divides the gate voltage, so only 1/m of it moves the surface potential. Bulk planar nMOSFETs have m ≈ 1.2–1.5, swings of ≈ 70–90 mV/decade at 300 K; m = 1.4 (83 mV/decade) sits in that range (the 1T1R transistor data are in the missing Table S1). No measured result depends on it: the RRAM-MTT node never falls below V_T (at G_min it sits at V_read_H/2 = V_T), and the constant sub-threshold bias current is removed by the baseline subtraction, so yang.rram_mtt.fit stays 59.45 for m = 1.2–1.6",
    temperatureK: "assumed: room temperature",
  }),
});

export const MOSFET_PRESETS: readonly Readonly<MosfetPreset>[] = Object.freeze([ECRAM_MTT_TRANSISTOR, RRAM_MTT_TRANSISTOR]);

/** Throw a RangeError naming the bad field unless the parameters describe a physical nMOSFET. */
export function validateMosfet(p: MosfetParams): MosfetParams {
  requirePositive("thresholdV (V_T)", p.thresholdV);
  requirePositive("betaUAPerV2", p.betaUAPerV2);
  requireInRange("slopeFactor (m)", p.slopeFactor, 1, 10);
  requirePositive("temperatureK", p.temperatureK);
  return p;
}

/** T' = kT/q, V. */
export function thermalVoltageV(temperatureK: number): number {
  requirePositive("temperatureK", temperatureK);
  return BOLTZMANN_OVER_CHARGE_V_PER_K * temperatureK;
}

/** I_0 = β·m·T'², µA: the sub-threshold prefactor that makes the regimes join smoothly. */
export function subthresholdPrefactorUA(p: MosfetParams): number {
  const vt = thermalVoltageV(p.temperatureK);
  return p.betaUAPerV2 * p.slopeFactor * vt * vt;
}

/** Paper §4.4 sub-threshold current, µA, for V_gs < V_T and V_ds ≥ 0. */
export function subthresholdCurrentUA(p: MosfetParams, vgsV: number, vdsV: number): number {
  const vt = thermalVoltageV(p.temperatureK);
  return subthresholdPrefactorUA(p) * Math.exp((vgsV - p.thresholdV) / (p.slopeFactor * vt)) * (1 - Math.exp(-vdsV / vt));
}

/** Paper §4.4 linear-region current, µA, for V_gs ≥ V_T and 0 ≤ V_ds ≪ V_gs − V_T (with the bias term). */
export function linearRegionCurrentUA(p: MosfetParams, vgsV: number, vdsV: number): number {
  return p.betaUAPerV2 * (vgsV - p.thresholdV) * vdsV + subthresholdCurrentUA(p, p.thresholdV, vdsV);
}

function forwardCurrentUA(p: MosfetParams, vgsV: number, vdsV: number): number {
  const vov = vgsV - p.thresholdV;
  if (vov <= 0) return subthresholdCurrentUA(p, vgsV, vdsV);
  const bias = subthresholdCurrentUA(p, p.thresholdV, vdsV);
  const strong = vdsV < vov ? p.betaUAPerV2 * (vov * vdsV - 0.5 * vdsV * vdsV) : 0.5 * p.betaUAPerV2 * vov * vov;
  return strong + bias;
}

/**
 * Drain current I_ds(V_gs, V_ds), µA, with the source as reference. Continuous in both voltages;
 * odd under drain/source exchange for V_ds < 0.
 */
export function drainCurrentUA(p: MosfetParams, vgsV: number, vdsV: number): number {
  requireFinite("vgsV", vgsV);
  requireFinite("vdsV", vdsV);
  if (vdsV >= 0) return forwardCurrentUA(p, vgsV, vdsV);
  return -forwardCurrentUA(p, vgsV - vdsV, -vdsV);
}

/**
 * The paper's idealised two-regime law as written in §4.4 (used by the normalised derivations of
 * Fig S11–S13): linear region β·(V_gs − V_T)·V_ds + I_bias for V_gs ≥ V_T (no V_ds² term, i.e. exactly the
 * V_ds ≪ V_gs − V_T limit), sub-threshold below; odd in V_ds. µA.
 */
export function idealLinearCurrentUA(p: MosfetParams, vgsV: number, vdsV: number): number {
  requireFinite("vgsV", vgsV);
  requireFinite("vdsV", vdsV);
  const sign = vdsV >= 0 ? 1 : -1;
  const vds = Math.abs(vdsV);
  const vgs = vdsV >= 0 ? vgsV : vgsV - vdsV;
  const i = vgs >= p.thresholdV ? linearRegionCurrentUA(p, vgs, vds) : subthresholdCurrentUA(p, vgs, vds);
  return sign * i;
}

/** Large-signal channel conductance I_ds/V_ds, µS (the small-signal limit at V_ds → 0). */
export function channelConductanceUS(p: MosfetParams, vgsV: number, vdsV: number): number {
  if (vdsV === 0) {
    const h = 1e-6;
    return drainCurrentUA(p, vgsV, h) / h;
  }
  return drainCurrentUA(p, vgsV, vdsV) / vdsV;
}
