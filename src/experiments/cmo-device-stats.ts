/**
 * Falcone et al.: the device statistics of CMO/HfOx ReRAM, measured by sampling the model (programming
 * noise against target conductance, relaxation and read noise against time) next to the formulas.
 */
import { createRng } from "../util/rng";
import { mean, std } from "../util/stats";
import { requireInRange, requireInteger } from "../util/validate";
import { CMO_HFOX, conductancesAtTime, programConductances, programmingSigmaUS, readNoiseSigmaUS, relaxationMeanShiftUS, relaxationSigmaUS, type CmoHfoxParams } from "../devices/cmo-hfox";

export interface ProgNoiseRow {
  [key: string]: number | string;
  acceptance: string;
  gTargetUS: number;
  sigmaFormulaUS: number;
  sigmaSampledUS: number;
}

/** Sampled std of programmed conductances at each target (n devices each), next to σ_p(G). */
export function programmingNoiseTable(targetsUS: number[], acceptanceRanges: number[], n: number, p: CmoHfoxParams = CMO_HFOX, seed: number | string = "cmo-prog"): ProgNoiseRow[] {
  requireInteger("n", n, 2);
  const rows: ProgNoiseRow[] = [];
  for (const acc of acceptanceRanges) {
    for (const g of targetsUS) {
      const prog = programConductances(new Float64Array(n).fill(g), acc, createRng(seed).fork(`${acc}-${g}`), p);
      rows.push({ acceptance: `${acc * 100} %`, gTargetUS: g, sigmaFormulaUS: programmingSigmaUS(g, acc, p), sigmaSampledUS: std(prog) });
    }
  }
  return rows;
}

export interface RelaxRow {
  [key: string]: number;
  timeS: number;
  meanShiftUS: number;
  sampledShiftUS: number;
  sigmaRelaxUS: number;
  sampledSigmaUS: number;
  sigmaReadUS: number;
}

/** Relaxation statistics at each time for devices programmed exactly to gUS (read noise off when sampling). */
export function relaxationTable(timesS: number[], gUS: number, n: number, p: CmoHfoxParams = CMO_HFOX, seed: number | string = "cmo-relax"): RelaxRow[] {
  requireInteger("n", n, 2);
  // Programmed conductances outside the window would be clamped by the device model and shift the sampled mean.
  requireInRange("gUS", gUS, p.gMinUS, p.gMaxUS);
  return timesS.map((t) => {
    const g = conductancesAtTime(new Float64Array(n).fill(gUS), t, createRng(seed).fork(String(t)), p, { readNoise: false });
    return {
      timeS: t,
      meanShiftUS: relaxationMeanShiftUS(t, p),
      sampledShiftUS: mean(g) - gUS,
      sigmaRelaxUS: relaxationSigmaUS(t, p),
      sampledSigmaUS: std(g),
      sigmaReadUS: readNoiseSigmaUS(gUS, t, p),
    };
  });
}
