/**
 * Falcone et al.: accuracy of a 64×64 MVM on CMO/HfOx ReRAM at times after programming.
 *
 * Protocol (the public 64×64 example of IBM's analog hardware toolkit, facts in reference-facts.md §2):
 * W and the probe inputs are drawn from U(−1, 1); W is mapped one device per weight with w_max = max|W|;
 * the devices are programmed once with program-and-verify noise and then read at each time t (relaxation
 * and, optionally, read noise drawn independently per time from the same programmed state); inputs go
 * through a 6-bit DAC, outputs through an 8-bit ADC bounded at ±15; IR drop with 0.35 Ω segments is optional.
 *
 * RMSE convention: for one seed, RMSE = sqrt(mean over all probe vectors and all outputs of
 * (y_analog − W·x)²), with W·x the floating-point product of the unquantized input; the reported value is the
 * mean of that RMSE over seeds (and its standard deviation across seeds).
 */
import { createRng } from "../util/rng";
import { mean, std } from "../util/stats";
import { requireInteger, requireNonNegative } from "../util/validate";
import { CMO_HFOX, conductancesAtTime, programConductances, type CmoHfoxParams, type ReadOptions } from "../devices/cmo-hfox";
import { analogMvm, floatMvm, weightsToConductances, type AnalogMvmConfig, type WeightMapping } from "../array/analog-mvm";

export interface MvmOverTimeConfig {
  /** Array size n (n×n). */
  size: number;
  /** Probe input vectors per seed. */
  probes: number;
  /** Seeds (independent W, inputs and device draws). */
  seeds: number;
  /** Times after programming, s (0 = programming noise only). */
  timesS: number[];
  /** Program-and-verify acceptance range (fraction of target). */
  acceptanceRange: number;
  periphery: AnalogMvmConfig;
  /** Which noise terms act at read time. */
  read: ReadOptions;
  device?: CmoHfoxParams;
  seed?: number | string;
}

export interface MvmTimeRow {
  [key: string]: number | string;
  timeS: number;
  label: string;
  rmseMean: number;
  rmseStd: number;
}

/** Label for a time after programming: 0 s, 1 s, 1 h, 1 d, 10 y, or seconds. */
export function timeLabel(tS: number): string {
  const known: Record<number, string> = { 0: "0 s", 1: "1 s", 3600: "1 h", 86400: "1 d", [3600 * 24 * 365 * 10]: "10 y" };
  return known[tS] ?? `${tS} s`;
}

/** RMSE of the analog MVM against floating point over time; one row per time. */
export function mvmRmseOverTime(cfg: MvmOverTimeConfig): MvmTimeRow[] {
  const n = requireInteger("size", cfg.size, 1);
  requireInteger("probes", cfg.probes, 1);
  requireInteger("seeds", cfg.seeds, 1);
  cfg.timesS.forEach((t, k) => requireNonNegative(`timesS[${k}]`, t));
  const dev = cfg.device ?? CMO_HFOX;
  const perTime: number[][] = cfg.timesS.map(() => []);
  for (let s = 0; s < cfg.seeds; s++) {
    const rng = createRng(cfg.seed ?? "cmo-mvm").fork(`seed-${s}`);
    const rw = rng.fork("weights");
    const w = new Float64Array(n * n);
    for (let k = 0; k < w.length; k++) w[k] = rw.uniformIn(-1, 1);
    let wMax = 0;
    for (let k = 0; k < w.length; k++) wMax = Math.max(wMax, Math.abs(w[k]));
    const mapping: WeightMapping = { gMinUS: dev.gMinUS, gMaxUS: dev.gMaxUS, wMax };
    const rx = rng.fork("inputs");
    const xs = Array.from({ length: cfg.probes }, () => Float64Array.from({ length: n }, () => rx.uniformIn(-1, 1)));
    const ref = xs.map((x) => floatMvm(w, n, n, x));
    const gProg = programConductances(weightsToConductances(w, mapping), cfg.acceptanceRange, rng.fork("program"), dev);
    cfg.timesS.forEach((t, ti) => {
      const g = conductancesAtTime(gProg, t, rng.fork(`read-${t}`), dev, cfg.read);
      let se = 0;
      let count = 0;
      xs.forEach((x, p) => {
        const y = analogMvm(g, n, n, x, mapping, cfg.periphery);
        for (let o = 0; o < n; o++) {
          se += (y[o] - ref[p][o]) ** 2;
          count++;
        }
      });
      perTime[ti].push(Math.sqrt(se / count));
    });
  }
  return cfg.timesS.map((t, ti) => ({ timeS: t, label: timeLabel(t), rmseMean: mean(perTime[ti]), rmseStd: std(perTime[ti]) }));
}
