/**
 * Experiments for notebook 03 (Yang Fig 5a–g, Table S2, Table 1 / Fig S27): H-1E1T selective programming
 * of an ECRAM MTT array, the inference read, and the component count.
 */
import { H1E1T_BIAS, H1e1tArray, ltpLtdVoltages, type H1e1tBias, type Intent } from "../array/h1e1t-programming";
import { EcramDevice, WOX_LIPON_ECRAM, pulseStrength, sampleEcram, type EcramParams } from "../devices/ecram";
import { drainCurrentUA } from "../devices/mosfet";
import { balanceConductanceUS, nodeVoltageV } from "../mtt/circuit";
import { componentCount, componentLabel, mttCell, separateStorageCell } from "../mtt/components";
import { ecramMttCircuit } from "../mtt/presets";
import { createRng } from "../util/rng";
import { linearFit, mean } from "../util/stats";
import { requireInteger, requirePositive } from "../util/validate";
import type { Row } from "../util/row";


/**
 * Fig 5b: one H-1E1T cell, `cycles` × (`pulses` potentiation at V_EG = V_P with the selector off, then
 * `pulses` depression at V_TG = V_SS with V_ED = V_D). Switching accuracy: share of pulses that moved G in
 * the intended direction. Also a half-selected neighbour (V_P − V_D during every potentiation pulse; a
 * depression pulse leaves it at 0 V) and its disturbance: the neighbour's mean |ΔG| over the potentiation pulses
 * divided by the selected cell's mean |ΔG| over all its pulses. The selected cell's depression steps are slightly
 * smaller than its potentiation steps, so this ratio is slightly larger (more cautious) than one against its
 * potentiation steps alone.
 *
 * `windowUS` is the whole range the selected cell visited after the first pulse (max − min); from its low initial
 * state that is mostly the first climb, not the cycle. The steady cycle is summarised over the last quarter of the
 * cycles (at least one, `steadyCycles`): `steadySwingUS` is the mean over those cycles of each cycle's max − min of
 * G (its start included), `steadyLowUS`/`steadyHighUS` the lowest and highest G they reach. `strengthRatio` is the
 * pulse strength (ions moved, {@link pulseStrength}) of the cell's depression pulse over its potentiation pulse: the
 * reason the cell ratchets up from a low start. `neighbourStartUS`/`neighbourEndUS`: the neighbour before the first
 * and after the last pulse; `cellWindowUS`: the cell's G_max − G_min.
 *
 * `missedPulses` counts the pulses that did not move G the intended way, and `missedAtBoundPulses` those of them that
 * found the cell already at the bound they push towards (G_max for a potentiation pulse, G_min for a depression
 * pulse), where the device cannot move (a branch long enough to saturate the cell); the rest are cycle-to-cycle
 * noise. `halfSelectStrength` is the pulse strength of the half-selected pulse (V_P − V_D) over that of a full one
 * (V_P): exp(−V_D/V_s) for pulses above threshold, 0 below it. `bias` is the bias the run used (`cfg.bias`, else {@link H1E1T_BIAS}). Both cells are `device` (nominal,
 * no device-to-device spread), the selected one from 5 µS and the neighbour from 20 µS.
 */
export function ltpLtd(cfg: { cycles: number; pulses: number; seed: number | string; bias?: H1e1tBias }, device: EcramParams = WOX_LIPON_ECRAM): {
  trace: Row[]; accuracyPct: number; halfSelectRatio: number; windowUS: number;
  steadyCycles: number; steadySwingUS: number; steadyLowUS: number; steadyHighUS: number;
  strengthRatio: number; neighbourStartUS: number; neighbourEndUS: number; cellWindowUS: number;
  missedPulses: number; missedAtBoundPulses: number; halfSelectStrength: number; bias: H1e1tBias;
} {
  requireInteger("cycles", cfg.cycles, 1);
  requireInteger("pulses", cfg.pulses, 1);
  const bias = cfg.bias ?? H1E1T_BIAS;
  ltpLtdVoltages(bias); // validates the bias (throws naming a negative depressionV)
  const rng = createRng(cfg.seed).fork("h1e1t-ltp");
  const cell = new EcramDevice(device, 5);
  const neighbour = new EcramDevice(device, 20);
  const arr = new H1e1tArray([[cell, neighbour]], bias);
  const trace: Row[] = [{ pulse: 0, "G (µS)": cell.conductanceUS(), "neighbour G (µS)": neighbour.conductanceUS() }];
  let good = 0;
  let total = 0;
  let missedAtBound = 0;
  const steps: number[] = [];
  const disturb: number[] = [];
  let n = 0;
  let gLo = Infinity;
  let gHi = -Infinity;
  const steadyCycles = Math.max(1, Math.ceil(cfg.cycles / 4));
  const swings: number[] = [];
  let steadyLo = Infinity;
  let steadyHi = -Infinity;
  for (let c = 0; c < cfg.cycles; c++) {
    let cycleLo = cell.conductanceUS();
    let cycleHi = cycleLo;
    for (const phase of ["potentiation", "depression"] as const) {
      const intent: Intent[][] = [[phase === "potentiation" ? 1 : -1, 0]];
      for (let p = 0; p < cfg.pulses; p++) {
        const g0 = cell.conductanceUS();
        const h0 = neighbour.conductanceUS();
        arr.programRowWise(intent, phase, rng);
        const dg = cell.conductanceUS() - g0;
        const want = phase === "potentiation" ? 1 : -1;
        total += 1;
        if (dg * want > 0) good += 1;
        else if (g0 === (want > 0 ? cell.gMaxUS : cell.gMinUS)) missedAtBound += 1;
        steps.push(Math.abs(dg));
        if (phase === "potentiation") disturb.push(Math.abs(neighbour.conductanceUS() - h0));
        n += 1;
        const g = cell.conductanceUS();
        gLo = Math.min(gLo, g);
        gHi = Math.max(gHi, g);
        cycleLo = Math.min(cycleLo, g);
        cycleHi = Math.max(cycleHi, g);
        trace.push({ pulse: n, "G (µS)": g, "neighbour G (µS)": neighbour.conductanceUS() });
      }
    }
    if (c >= cfg.cycles - steadyCycles) {
      swings.push(cycleHi - cycleLo);
      steadyLo = Math.min(steadyLo, cycleLo);
      steadyHi = Math.max(steadyHi, cycleHi);
    }
  }
  const v = ltpLtdVoltages(bias);
  const fullStrength = pulseStrength(cell.params, 1, v.potentiationV, bias.widthS);
  const strengthRatio = pulseStrength(cell.params, -1, Math.abs(v.depressionV), bias.widthS) / fullStrength;
  const halfSelectStrength = pulseStrength(cell.params, 1, v.halfSelectedV, bias.widthS) / fullStrength;
  return {
    trace, accuracyPct: (100 * good) / total, halfSelectRatio: mean(disturb) / mean(steps), windowUS: gHi - gLo,
    steadyCycles, steadySwingUS: mean(swings), steadyLowUS: steadyLo, steadyHighUS: steadyHi, strengthRatio,
    neighbourStartUS: trace[0]["neighbour G (µS)"] as number, neighbourEndUS: neighbour.conductanceUS(), cellWindowUS: cell.gMaxUS - cell.gMinUS,
    missedPulses: total - good, missedAtBoundPulses: missedAtBound, halfSelectStrength, bias,
  };
}

/**
 * Fig 5c,d: a rows×cols array from random initial states; each round draws an intent per cell (+1, −1, 0),
 * then runs a potentiation phase and a depression phase, alternating row-wise and column-wise rounds.
 * Returns the share of changed cells that moved the intended way, the mean relative drift of held cells,
 * and the smallest line voltage used. Each cell is `device` with its own device-to-device draw; the lines carry
 * `cfg.bias` (default {@link H1E1T_BIAS}).
 */
export function selectiveProgramming(cfg: { rows: number; cols: number; rounds: number; seed: number | string; bias?: H1e1tBias }, device: EcramParams = WOX_LIPON_ECRAM): { rows: Row[]; accuracyPct: number; heldDriftRel: number; selectedStepRel: number; minLineV: number } {
  requireInteger("rows", cfg.rows, 1);
  requireInteger("cols", cfg.cols, 1);
  requireInteger("rounds", cfg.rounds, 1);
  const rng = createRng(cfg.seed).fork("h1e1t-array");
  const cells = Array.from({ length: cfg.rows }, (_, r) => Array.from({ length: cfg.cols }, (_, c) => {
    const p = sampleEcram(device, rng.fork(`d2d${r},${c}`));
    const d = new EcramDevice(p);
    d.setConductanceUS(d.gMinUS + (0.2 + 0.6 * rng.uniform()) * (d.gMaxUS - d.gMinUS));
    return d;
  }));
  const arr = new H1e1tArray(cells, cfg.bias ?? H1E1T_BIAS);
  const out: Row[] = [];
  let good = 0;
  let changed = 0;
  const held: number[] = [];
  const moved: number[] = [];
  for (let k = 0; k < cfg.rounds; k++) {
    const intent: Intent[][] = cells.map((row) => row.map(() => ([1, -1, 0] as Intent[])[rng.int(3)]));
    const before = arr.conductancesUS();
    const mode = k % 2 === 0 ? "row-wise" : "column-wise";
    for (const phase of ["potentiation", "depression"] as const) {
      if (mode === "row-wise") arr.programRowWise(intent, phase, rng);
      else arr.programColumnWise(intent, phase, rng);
    }
    const after = arr.conductancesUS();
    for (let r = 0; r < cfg.rows; r++) {
      for (let c = 0; c < cfg.cols; c++) {
        const dg = after[r][c] - before[r][c];
        const rel = Math.abs(dg) / before[r][c];
        const i = intent[r][c];
        if (i !== 0) {
          changed += 1;
          if (dg * i > 0) good += 1;
          moved.push(rel);
        } else held.push(rel);
        out.push({ round: k, mode, row: r, col: c, intent: i === 1 ? "increase" : i === -1 ? "decrease" : "hold", "ΔG (µS)": dg, "ΔG/G": dg / before[r][c] });
      }
    }
  }
  if (changed === 0 || held.length === 0)
    throw new RangeError(`selectiveProgramming: ${cfg.rows}×${cfg.cols} cells over ${cfg.rounds} round(s) drew ${changed} addressed and ${held.length} held cell changes; both are needed (use more cells or rounds)`);
  return { rows: out, accuracyPct: (100 * good) / changed, heldDriftRel: mean(held), selectedStepRel: mean(moved), minLineV: arr.minLineVoltageV() };
}

/**
 * Fig 5f,g: input voltage waveform on the inference drain; output (source) current vs input for several
 * ECRAM conductances at the operating point. Linearity: R² of a straight-line fit per conductance; slope
 * is the inference channel conductance set by the hidden weight. `gEMinUS` is the circuit's G_e,min, the ECRAM
 * conductance that puts the divider node at V_read,H/2 (where the reference balances the ECRAM; the bottom of the
 * hidden-weight window), and `readBiasV`/`refGateV` the operating point the circuit was built at.
 */
export function inferenceLinearity(cfg: { conductancesUS: number[]; maxInputV: number; samples: number; seed: number | string }): { rows: Row[]; waveform: Row[]; minR2: number; slopes: Row[]; slopeIncreasing: boolean; gEMinUS: number; readBiasV: number; refGateV: number } {
  requirePositive("maxInputV", cfg.maxInputV);
  requireInteger("samples", cfg.samples, 3);
  if (cfg.conductancesUS.length < 2) throw new RangeError(`conductancesUS needs at least 2 values to compare slopes, got ${cfg.conductancesUS.length}`);
  const c = ecramMttCircuit();
  const rng = createRng(cfg.seed).fork("inference-wave");
  const inputs = Array.from({ length: cfg.samples }, () => rng.uniformIn(-cfg.maxInputV, cfg.maxInputV));
  const rows: Row[] = [];
  const waveform: Row[] = [];
  const slopes: Row[] = [];
  let minR2 = 1;
  for (const g of cfg.conductancesUS) {
    const vn = nodeVoltageV(c, g);
    const iOut = inputs.map((v) => drainCurrentUA(c.inference, vn, v));
    const fit = linearFit(inputs, iOut);
    minR2 = Math.min(minR2, fit.r2);
    slopes.push({ "G_e (µS)": g, "V_n (V)": vn, "slope (µS)": fit.slope, R2: fit.r2 });
    inputs.forEach((v, i) => rows.push({ "G_e": `${g} µS`, "V_in (V)": v, "I_out (µA)": iOut[i] }));
    inputs.slice(0, 40).forEach((v, i) => waveform.push({ t: i, "G_e": `${g} µS`, "V_in (mV)": v * 1000, "I_out (µA)": iOut[i] }));
  }
  const s = slopes.map((r) => r["slope (µS)"] as number);
  const refGateV = c.reference.kind === "transistor" ? c.reference.gateV : NaN;
  return { rows, waveform, minR2, slopes, slopeIncreasing: s.every((v, i) => i === 0 || v > s[i - 1]), gEMinUS: balanceConductanceUS(c), readBiasV: c.readBiasV, refGateV };
}

/** Table 1 / Fig S27: component counts computed from the cell descriptions. */
export function componentTable(): { rows: Row[]; mtt: number; separate: number } {
  const rows: Row[] = [];
  for (const mem of ["E", "R"] as const) {
    const a = mttCell(mem);
    const b = separateStorageCell(mem);
    rows.push({ cell: a.name, label: componentLabel(a, mem), components: componentCount(a), "analog + binary weight": "both (in situ transfer)" });
    rows.push({ cell: b.name, label: componentLabel(b, mem), components: componentCount(b), "analog + binary weight": "separate arrays" });
  }
  return { rows, mtt: componentCount(mttCell("E")), separate: componentCount(separateStorageCell("E")) };
}
