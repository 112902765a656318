/**
 * Falcone et al.: how many conductance states of CMO/HfOx ReRAM stay distinguishable, and the programming
 * noise floor.
 *
 * A state is "stable" at read time t when its conductance distribution (program-and-verify noise, plus the
 * relaxation spread and 1/f read noise accumulated until t) does not overlap its neighbours' within ±m·σ.
 * The mean relaxation shift is the same for every level (the public model's fit is G-independent), so it
 * moves all levels together and does not reduce the count. The ladder starts at G_min and places each next
 * level as low as the criterion allows: g_{k+1} − m·σ(g_{k+1}) = g_k + m·σ(g_k). Assumption: m = 3
 * (±3σ, < 0.3 % of reads fall outside a band), since the abstract does not state its criterion.
 */
import { createRng } from "../util/rng";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";
import { CMO_HFOX, conductancesAtTime, programConductances, programmingSigmaUS, readNoiseSigmaUS, relaxationMeanShiftUS, relaxationSigmaUS, type CmoHfoxParams } from "../devices/cmo-hfox";

export interface StateLadderConfig {
  acceptanceRange: number;
  /** Read time after programming, s. */
  tS: number;
  /** Band half-width in σ. */
  sigmaMultiple: number;
  /** Include 1/f read noise. */
  readNoise: boolean;
  device?: CmoHfoxParams;
}

/** Total σ of a level at G (programming ⊕ relaxation ⊕ read), µS. */
export function levelSigmaUS(gUS: number, c: StateLadderConfig): number {
  const p = c.device ?? CMO_HFOX;
  const sp = programmingSigmaUS(gUS, c.acceptanceRange, p);
  const sr = relaxationSigmaUS(c.tS, p);
  const sn = c.readNoise ? readNoiseSigmaUS(gUS, c.tS, p) : 0;
  return Math.sqrt(sp * sp + sr * sr + sn * sn);
}

/** The ladder of distinguishable target levels between G_min and G_max, µS. */
export function stateLadderUS(c: StateLadderConfig): number[] {
  requirePositive("sigmaMultiple", c.sigmaMultiple);
  requireNonNegative("tS", c.tS);
  const p = c.device ?? CMO_HFOX;
  const levels = [p.gMinUS];
  for (;;) {
    const g = levels[levels.length - 1];
    const edge = g + c.sigmaMultiple * levelSigmaUS(g, c);
    // Solve g' − m·σ(g') = edge by fixed point (σ varies slowly with G).
    let next = edge + c.sigmaMultiple * levelSigmaUS(edge, c);
    for (let it = 0; it < 50; it++) next = edge + c.sigmaMultiple * levelSigmaUS(next, c);
    if (next > p.gMaxUS) break;
    levels.push(next);
    if (levels.length > 100000) throw new RangeError("state ladder does not terminate: level σ is ~0");
  }
  return levels;
}

export interface DecodeResult {
  levels: number;
  /** Fraction of reads decoded to a wrong level (nearest level after removing the common mean shift). */
  errorRate: number;
  reads: number;
}

/**
 * Monte Carlo check of a ladder: program every level `repeats` times, read at t, decode each read to the
 * nearest level (thresholds halfway, after subtracting the known common relaxation shift), count errors.
 */
export function decodeLadder(levelsUS: number[], c: StateLadderConfig, repeats: number, seed: number | string = "cmo-states"): DecodeResult {
  requireInteger("repeats", repeats, 1);
  if (levelsUS.length === 0) throw new RangeError("levelsUS is empty: no ladder to decode");
  for (let k = 1; k < levelsUS.length; k++) {
    if (!(levelsUS[k] > levelsUS[k - 1])) throw new RangeError(`levelsUS must increase strictly (the decoder searches it), got ${levelsUS[k - 1]} then ${levelsUS[k]} at index ${k}`);
  }
  const p = c.device ?? CMO_HFOX;
  const rng = createRng(seed);
  const targets = new Float64Array(levelsUS.length * repeats);
  levelsUS.forEach((g, k) => targets.fill(g, k * repeats, (k + 1) * repeats));
  const prog = programConductances(targets, c.acceptanceRange, rng.fork("program"), p);
  const read = conductancesAtTime(prog, c.tS, rng.fork("read"), p, { readNoise: c.readNoise });
  const shift = relaxationMeanShiftUS(c.tS, p);
  let errors = 0;
  for (let r = 0; r < read.length; r++) {
    const g = read[r] - shift;
    // Levels are sorted: binary search for the first level above g, then pick the nearer neighbour.
    let lo = 0;
    let hi = levelsUS.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (levelsUS[mid] < g) lo = mid + 1;
      else hi = mid;
    }
    const best = lo === 0 ? 0 : lo === levelsUS.length ? lo - 1 : levelsUS[lo] - g < g - levelsUS[lo - 1] ? lo : lo - 1;
    if (best !== Math.floor(r / repeats)) errors++;
  }
  return { levels: levelsUS.length, errorRate: errors / read.length, reads: read.length };
}
