/**
 * In-situ quantization energy: an MTT array against the digital platform (Yang et al. Fig 7k).
 *
 * The advantage at array scale N is the energy ratio
 *   A(N) = E_digital(N) / E_MTT(N),
 * both for one quantization pass over N weights ({@link digitalPassEnergy}, {@link mttPassEnergy}).
 * "4 Mb" is read as N = 4·2²⁰ weights, one MTT unit (one analog + one binary weight) per bit of the
 * array's binary capacity (assumed: the text gives only "4Mb").
 *
 * Also here: a one-parameter calibration by bisection (for declared calibrations only) and a
 * one-at-a-time sensitivity view (each parameter ×½ and ×2).
 */
import { digitalPassEnergy, type DigitalEnergyBreakdown, type DigitalPlatform } from "./digital-platform";
import { mttPassEnergy, type MttEnergyBreakdown, type MttPeriphery, type WriteVerifyStats } from "./mtt-platform";
import { requireFinite, requireInteger, requireOrdered, requirePositive } from "../util/validate";

/** Weights in a "4 Mb" array: 4·2²⁰. */
export const FOUR_MEGABIT_WEIGHTS = 4 * 2 ** 20;

/** What the energy model needs of one MTT technology: its label, write-verify statistics and array periphery. */
export interface MttEnergyInputs {
  readonly label: string;
  readonly stats: WriteVerifyStats;
  readonly periphery: MttPeriphery;
}

export interface EnergyComparison {
  readonly weights: number;
  readonly digital: DigitalEnergyBreakdown;
  readonly mtt: MttEnergyBreakdown;
  /** E_digital / E_MTT. */
  readonly ratio: number;
  /** E_digital − E_MTT, J. */
  readonly savedJ: number;
}

/** Compare one MTT technology with the digital platform at `weights` weights. */
export function compareAt(digital: DigitalPlatform, tech: MttEnergyInputs, weights: number): EnergyComparison {
  const d = digitalPassEnergy(digital, weights);
  const m = mttPassEnergy(tech.stats, tech.periphery, weights);
  return { weights, digital: d, mtt: m, ratio: d.totalJ / m.totalJ, savedJ: d.totalJ - m.totalJ };
}

/** Array sizes 2^lo … 2^hi weights (powers of two, one per exponent). */
export function powerOfTwoSizes(lo: number, hi: number): number[] {
  requireInteger("lo exponent", lo, 0);
  requireInteger("hi exponent", hi, lo);
  return Array.from({ length: hi - lo + 1 }, (_, i) => 2 ** (lo + i));
}

/** Rows for a sweep: one per technology and size, with the energies and the ratio. */
export interface SweepRow {
  [key: string]: string | number;
  platform: string;
  weights: number;
  energyJ: number;
  ratio: number;
  savedJ: number;
}

/**
 * Energy of every platform at every size: one "digital" row per size and one row per MTT technology
 * (with its ratio to the digital platform; the digital rows carry ratio 1).
 */
export function sweep(digital: DigitalPlatform, techs: readonly MttEnergyInputs[], sizes: readonly number[]): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const n of sizes) {
    const d = digitalPassEnergy(digital, n).totalJ;
    rows.push({ platform: "A100 + 980 PRO", weights: n, energyJ: d, ratio: 1, savedJ: 0 });
    for (const t of techs) {
      const c = compareAt(digital, t, n);
      rows.push({ platform: t.label, weights: n, energyJ: c.mtt.totalJ, ratio: c.ratio, savedJ: c.savedJ });
    }
  }
  return rows;
}

/**
 * Solve f(x) = target for x in [lo, hi] by bisection on log x (f monotone in x). Used only for a
 * declared calibration; throws when the target is not bracketed (the model cannot reach it).
 */
export function solveMonotone(f: (x: number) => number, target: number, lo: number, hi: number, name = "parameter"): number {
  requireFinite("target", target);
  requirePositive(`${name} lower bracket`, lo);
  requirePositive(`${name} upper bracket`, hi);
  requireOrdered(`${name} lower bracket`, lo, `${name} upper bracket`, hi);
  let flo = requireFinite(`f(${name} lower bracket = ${lo})`, f(lo)) - target;
  const fhi = requireFinite(`f(${name} upper bracket = ${hi})`, f(hi)) - target;
  if (flo * fhi > 0) {
    throw new RangeError(`cannot calibrate ${name}: f(${lo}) = ${f(lo)} and f(${hi}) = ${f(hi)} do not bracket ${target}`);
  }
  let a = Math.log(lo);
  let b = Math.log(hi);
  for (let i = 0; i < 200 && b - a > 1e-12; i++) {
    const m = 0.5 * (a + b);
    const fm = f(Math.exp(m)) - target;
    if (fm * flo <= 0) b = m;
    else {
      a = m;
      flo = fm;
    }
  }
  return Math.exp(0.5 * (a + b));
}

/** One knob of the sensitivity view: how to scale one parameter by a factor. */
export interface SensitivityKnob {
  readonly parameter: string;
  readonly side: "digital" | "MTT";
  /** Ratio at 4 Mb when this parameter is multiplied by `factor`. */
  ratioWith(factor: number): number;
}

export interface SensitivityRow {
  [key: string]: string | number;
  parameter: string;
  side: string;
  ratioHalf: number;
  ratioDouble: number;
  /** |log₂(ratio×2 / ratio×½)| / 2: the ratio's log-log slope in this parameter. */
  elasticity: number;
}

/** One-at-a-time sensitivity: each knob ×½ and ×2, sorted by elasticity (largest first). */
export function sensitivity(knobs: readonly SensitivityKnob[]): SensitivityRow[] {
  return knobs
    .map((k) => {
      const half = k.ratioWith(0.5);
      const dbl = k.ratioWith(2);
      return { parameter: k.parameter, side: k.side, ratioHalf: half, ratioDouble: dbl, elasticity: Math.abs(Math.log2(dbl / half)) / 2 };
    })
    .sort((a, b) => b.elasticity - a.elasticity);
}
