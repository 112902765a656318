/**
 * Fig S19 (TaOx 1T1R RRAM): multi-level programming of 16 states by write-verify, the on/off ratio of the
 * programmed window, and the nonlinear read; plus a write-verify cost comparison with the ECRAM.
 */
import { writeVerify } from "../array/write-verify";
import { EcramDevice } from "../devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../devices/ecram-schemes";
import { TAOX_RRAM, TaoxRramDevice, rramReadCurrentUA, rramStateTargetsUS } from "../devices/taox-rram";
import { RRAM_WRITE_VERIFY } from "../mtt/rram-programming";
import { createRng } from "../util/rng";
import { max, mean, min, std } from "../util/stats";
import { requireInteger } from "../util/validate";
import type { Row } from "../util/row";


export interface RramStatesConfig {
  /** Cells programmed per state. */
  cellsPerState: number;
  seed: number | string;
}

/**
 * Program every state on `cellsPerState` cells and record each final conductance (write-verify with a tolerance of
 * at most 15 % of the target; verify reads and the recorded state are noise-free: the TaOx model has no read
 * noise). Each cell starts at a random conductance in the device window and is then taken through the states in
 * increasing order, each from the level it reached for the previous state (so only state 0 starts from a random
 * state). Distinct states: level distributions that do not overlap (max of level i < min of
 * level i+1), which needs at least two cells per state. On/off: mean of the top level over mean of the bottom level.
 */
export function rramStates(cfg: RramStatesConfig): { rows: Row[]; levels: Row[]; onOff: number; distinct: number; meanPulses: number; converged: number } {
  requireInteger("cellsPerState", cfg.cellsPerState, 2); // one cell per state cannot show whether levels overlap
  const rng = createRng(cfg.seed).fork("rram-states");
  const targets = rramStateTargetsUS(TAOX_RRAM);
  const rows: Row[] = [];
  const levels: Row[] = [];
  const finals: number[][] = targets.map(() => []);
  const pulses: number[] = [];
  let converged = 0;
  for (let c = 0; c < cfg.cellsPerState; c++) {
    const dev = new TaoxRramDevice(TAOX_RRAM, TAOX_RRAM.gMinUS + rng.uniform() * (TAOX_RRAM.gMaxUS - TAOX_RRAM.gMinUS));
    targets.forEach((t, i) => {
      // Tolerance: the scheme's absolute 1.5 µS, but at most 15 % of the target (1.5 µS would be 75 % of
      // the 2 µS HRS state; write-verify on resistive memories uses relative windows there).
      const scheme = { ...RRAM_WRITE_VERIFY, toleranceUS: Math.min(RRAM_WRITE_VERIFY.toleranceUS, 0.15 * t) };
      const r = writeVerify(dev, t, scheme, rng.fork(`c${c}s${i}`));
      const finalUS = r.finalUS;
      const n = r.pulses;
      if (r.converged) converged += 1;
      finals[i].push(finalUS);
      pulses.push(n);
      rows.push({ state: i, "target (µS)": t, "G (µS)": finalUS, pulses: n });
    });
  }
  let distinct = 1;
  for (let i = 1; i < targets.length; i++) if (max(finals[i - 1]) < min(finals[i])) distinct += 1;
  finals.forEach((f, i) => levels.push({ state: i, "target (µS)": targets[i], "mean (µS)": mean(f), "std (µS)": std(f), "min (µS)": min(f), "max (µS)": max(f) }));
  return { rows, levels, onOff: mean(finals[finals.length - 1]) / mean(finals[0]), distinct, meanPulses: mean(pulses), converged };
}

/** Fig S19f: I–V of the read at several states, with I/(G·V) and its excess over ohmic, I/(G·V) − 1 (log-plottable: it spans four decades between HRS and LRS), showing the super-linearity at HRS. */
export function rramReadCurves(states = [0, 5, 10, 15], maxV = 1.0, points = 21): Row[] {
  const targets = rramStateTargetsUS(TAOX_RRAM);
  states.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s >= targets.length) throw new RangeError(`states[${i}] must be a state index 0…${targets.length - 1}, got ${String(s)}`);
  });
  requireInteger("points", points, 1);
  const rows: Row[] = [];
  for (const s of states) {
    const g = targets[s];
    for (let i = 1; i <= points; i++) {
      const v = (maxV * i) / points;
      const iUA = rramReadCurrentUA(TAOX_RRAM, g, v);
      const ratio = iUA / (g * v);
      rows.push({ state: `state ${s} (${g.toFixed(1)} µS)`, "V (V)": v, "I (µA)": iUA, "I / (G·V)": ratio, "I / (G·V) − 1": ratio - 1 });
    }
  }
  return rows;
}

/**
 * Write-verify cost to random targets at the same relative tolerance (≈ 1 % of the window) for the
 * RRAM and the ECRAM: mean pulses and energy per programmed weight.
 */
export function writeVerifyCost(targetsPerDevice: number, seed: number | string): Row[] {
  requireInteger("targetsPerDevice", targetsPerDevice, 1);
  const rng = createRng(seed).fork("wv-cost");
  const out: Row[] = [];
  const run = (name: string, dev: TaoxRramDevice | EcramDevice, scheme: typeof RRAM_WRITE_VERIFY, lo: number, hi: number) => {
    const p: number[] = [];
    const e: number[] = [];
    for (let k = 0; k < targetsPerDevice; k++) {
      const r = writeVerify(dev, lo + rng.uniform() * (hi - lo), scheme, rng.fork(`${name}${k}`));
      p.push(r.pulses);
      e.push(r.pulseEnergyJ);
    }
    out.push({ device: name, "tolerance / window": scheme.toleranceUS / (hi - lo), "mean pulses": mean(p), "max pulses": max(p), "mean energy (J)": mean(e) });
  };
  run("TaOx RRAM", new TaoxRramDevice(), RRAM_WRITE_VERIFY, TAOX_RRAM.gMinUS, TAOX_RRAM.gMaxUS);
  const ec = new EcramDevice();
  run("WOx ECRAM", ec, ECRAM_WRITE_VERIFY, 0.5, 50);
  return out;
}
