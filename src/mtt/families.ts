/**
 * Transfer-function families of the MTT unit, each from the circuit and in closed/compact form.
 *
 * Normalised model (Fig S11a): reference resistors of conductance 1 (R_Ref = 1), memory devices in
 * [1, K] (K = dynamic range), V_read_H = ρ·2·V_T (ρ = 1 is the paper's choice), inference drains at
 * ±0.1 V. Mapping (§2.2): for W_h ≥ 0 the negative device sits at R_Ref (G = 1) and the positive one is
 * programmed linearly, G = 1 + (K − 1)·|W_h| (so G_H = ±(G_A − 1)/(K − 1) ∈ [−1, 1]; the lost equation,
 * rebuilt so that W_h = 0 puts both devices at R_Ref).
 *
 * Closed forms (inference transistor in its linear region, I ∝ V_gs − V_T above threshold):
 * - symmetric, ρ ≥ 1:  W_b = (K − 1)·x / (2 + (K − 1)·x),  x = |W_h|   → sign(W_h) as K → ∞;
 * - sub-threshold read, ½ < ρ < 1: the transistor stays off until V_n = V_T, i.e. G* = 1/(2ρ − 1):
 *   W_b = A·(x − r)₊/(1 + B·(x − r)₊),  r = (G* − 1)/(K − 1),  A = B = (K − 1)/(G* + 1).
 *   This is the positive branch (drain at +V_d), applied to both signs: the paper's symmetric abstraction of
 *   Fig S12b, which its network runs (Fig S12c–e) use. In the circuit the negative branch's drain sits at −V_d,
 *   its transistor's source and drain swap, and it turns on at V_n = V_T − V_d: at V_d = 0.1 V its zero region is
 *   about a third of the positive one (r_n = 0.079 against 0.21 at ρ = 0.6, K = 20; `subthresholdSweep` shows
 *   both fitted radii);
 * - asymmetric (Fig S13a): the negative branch swaps memory and reference (memory to ground), both
 *   devices hold the same G = 1 + (K − 1)(W_h + 1)/2 and the reference is G_ref = 50:
 *   W_b = (G − G_ref)/(G + G_ref).
 */
import { ECRAM_MTT_TRANSISTOR, idealLinearCurrentUA as drainCurrentUA, type MosfetParams } from "../devices/mosfet";
import { requireFinite, requireInRange, requirePositive } from "../util/validate";
import { OHMIC_READ, circuitWeight, makeMttUnit, type MttCircuitParams, type MttUnit } from "./circuit";
import { fitBranch, transferGrid, type BranchParams, type CompactParams, type FitResult } from "./compact-fit";

/** Inference drain read of the normalised derivation, V (paper text §2.2: ±0.1 V). */
export const NORMALISED_DRAIN_V = 0.1;
/** G_ref of the asymmetric derivation (paper text: 'we set G_ref at 50 for convenience'). */
export const ASYMMETRIC_G_REF = 50;

function requireK(k: number): number {
  requireFinite("K (dynamic range)", k);
  if (k < 1) throw new RangeError(`K (dynamic range) must be ≥ 1, got ${k}`);
  return k;
}

/** Normalised branch circuit: resistor reference 1 µS, V_read_H = ρ·2·V_T. */
export function normalisedCircuit(readRatio = 1, drainReadV = NORMALISED_DRAIN_V, transistor: MosfetParams = ECRAM_MTT_TRANSISTOR): MttCircuitParams {
  requirePositive("readRatio (V_read_H / 2V_T)", readRatio);
  return {
    readBiasV: readRatio * 2 * transistor.thresholdV,
    drainReadV,
    inference: transistor,
    reference: { kind: "resistor", conductanceUS: 1 },
    memoryRead: OHMIC_READ,
    inferenceLaw: "linear-region",
  };
}

/** The normalised symmetric unit: window [1, K] (G = 1 is R_Ref). */
export function normalisedUnit(k: number, readRatio = 1, drainReadV = NORMALISED_DRAIN_V): MttUnit {
  requireK(k);
  if (k === 1) throw new RangeError("K (dynamic range) must be > 1 for a unit with a window, got 1");
  return makeMttUnit(normalisedCircuit(readRatio, drainReadV), { gMinUS: 1, gMaxUS: k });
}

/** Closed-form symmetric transfer (ρ ≥ 1). */
export function symmetricClosedForm(k: number, hiddenWeight: number): number {
  requireK(k);
  const x = Math.min(1, Math.abs(hiddenWeight));
  const v = ((k - 1) * x) / (2 + (k - 1) * x);
  return hiddenWeight >= 0 ? v : -v;
}

/** Compact parameters of the normalised unit at dynamic range K and read ratio ρ (closed form). */
export function normalisedCompactParams(k: number, readRatio = 1): BranchParams {
  requireK(k);
  requirePositive("readRatio (V_read_H / 2V_T)", readRatio);
  if (readRatio >= 1) return { a: (k - 1) / 2, b: (k - 1) / 2, r: 0 };
  if (readRatio <= 0.5) throw new RangeError(`readRatio (V_read_H / 2V_T) must be > 0.5 for the inference transistor to turn on, got ${readRatio}`);
  const gStar = 1 / (2 * readRatio - 1);
  const r = Math.min(1, (gStar - 1) / (k - 1));
  return { a: (k - 1) / (gStar + 1), b: (k - 1) / (gStar + 1), r };
}

/** Asymmetric unit from the circuit: W_b for W_h ∈ [−1, 1]. */
export function asymmetricCircuitWeight(k: number, hiddenWeight: number, gRef = ASYMMETRIC_G_REF, transistor: MosfetParams = ECRAM_MTT_TRANSISTOR): number {
  requireK(k);
  requireInRange("hiddenWeight (W_h)", hiddenWeight, -1, 1);
  const vr = 2 * transistor.thresholdV;
  // G_B = G_B+ − G_B− is a difference of channel conductances (§2.2): evaluate them at a small drain
  // read so the drain/source swap of the −V_d branch does not shift its threshold.
  const vd = 1e-3;
  const g = 1 + ((k - 1) * (hiddenWeight + 1)) / 2;
  const vPos = (vr * g) / (g + gRef); // memory on top
  const vNeg = (vr * gRef) / (g + gRef); // memory at the bottom
  const half = vr / 2;
  const baseP = drainCurrentUA(transistor, half, vd);
  const baseN = drainCurrentUA(transistor, half, -vd);
  const full = drainCurrentUA(transistor, vr, vd) - baseP;
  return (drainCurrentUA(transistor, vPos, vd) - baseP + (drainCurrentUA(transistor, vNeg, -vd) - baseN)) / full;
}

/** Asymmetric closed form W_b = (G − G_ref)/(G + G_ref). */
export function asymmetricClosedForm(k: number, hiddenWeight: number, gRef = ASYMMETRIC_G_REF): number {
  requireK(k);
  const w = Math.max(-1, Math.min(1, hiddenWeight));
  const g = 1 + ((k - 1) * (w + 1)) / 2;
  return (g - gRef) / (g + gRef);
}

/** Mean |W_b − sign(W_h)| over a uniform W_h grid on [−1, 1]: the distance from ideal binarization. */
export function signDeviation(f: (wh: number) => number, points = 401): number {
  let s = 0;
  for (let i = 0; i < points; i++) {
    const wh = -1 + (2 * i) / (points - 1);
    if (wh === 0) continue;
    s += Math.abs(f(wh) - Math.sign(wh));
  }
  return s / (points - 1);
}

export interface UnitFit {
  params: CompactParams;
  positive: FitResult;
  negative: FitResult;
}

/**
 * Fit the generalized four-parameter (or, with `fitRadius`, six-parameter) compact form to a unit's
 * circuit transfer sampled on {@link transferGrid}. Throws if Levenberg–Marquardt does not converge; a converged
 * fit can still be poor (a local minimum counts as converged, and no residual bound is passed), so the residuals
 * are returned (`positive.rmsResidual`, `negative.rmsResidual`) for the caller to judge (the notebooks tabulate them).
 */
export function fitUnit(unit: MttUnit, options: { fitRadius?: boolean; what?: string } = {}): UnitFit {
  const xs = transferGrid();
  const yp = xs.map((x) => circuitWeight(unit, x));
  const yn = xs.map((x) => -circuitWeight(unit, -x));
  const positive = fitBranch(xs, yp, { fitRadius: options.fitRadius, what: `${options.what ?? "MTT unit"} (positive)` });
  const negative = fitBranch(xs, yn, { fitRadius: options.fitRadius, what: `${options.what ?? "MTT unit"} (negative)` });
  return { params: { positive: positive.params, negative: negative.params }, positive, negative };
}
