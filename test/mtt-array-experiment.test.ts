import { test } from "uvu";
import * as assert from "uvu/assert";
import { H1E1T_BIAS } from "../src/array/h1e1t-programming";
import { EcramDevice, WOX_LIPON_ECRAM } from "../src/devices/ecram";
import { channelConductanceUS } from "../src/devices/mosfet";
import { componentTable, inferenceLinearity, ltpLtd, selectiveProgramming } from "../src/experiments/mtt-array";
import { nodeVoltageV } from "../src/mtt/circuit";
import { ECRAM_MTT_OPERATING_POINT, ecramMttCircuit } from "../src/mtt/presets";
import { linearFit } from "../src/util/stats";
import type { Row } from "../src/util/row";

const num = (r: Row, k: string) => r[k] as number;
const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

test("LTP/LTD: switching accuracy, half-select ratio and window are recomputed here from the trace", () => {
  const configs = [
    { cycles: 3, pulses: 10, seed: 5 },
    // 40 potentiation pulses of 2.5 reference pulses each (10 V, 5 ms vs the 10 V / 2 ms reference) outrun 40
    // depression pulses of ≈1.1 (6 V vs 7 V), so the cell reaches the G_max clamp, where a pulse moves nothing.
    { cycles: 2, pulses: 40, seed: 5 },
    // Weak pulses (V_P = 6 V, V_D = 3 V: s ≈ 0.09 reference pulses, steps of a few 0.01 µS). The additive c2c floor
    // shrinks with the pulse, σ = 3e-4·window·√s ≈ 0.005 µS, about 0.12 of the step (0.036/√s of it, for ≈ 0.5 µS
    // reference steps), so a wrong-way pulse needs an 8σ draw: every pulse goes the intended way.
    { cycles: 3, pulses: 10, seed: 5, bias: { ...H1E1T_BIAS, potentiationV: 6, depressionV: 3 } },
  ];
  const accuracies: number[] = [];
  for (const cfg of configs) {
    const res = ltpLtd(cfg);
    const n = 2 * cfg.cycles * cfg.pulses;
    assert.is(res.trace.length, 1 + n);
    res.trace.forEach((r, k) => assert.is(r.pulse, k));
    const g = res.trace.map((r) => num(r, "G (µS)"));
    const h = res.trace.map((r) => num(r, "neighbour G (µS)"));
    let good = 0;
    let atBound = 0;
    const steps: number[] = [];
    const disturb: number[] = [];
    const nominal = new EcramDevice(WOX_LIPON_ECRAM);
    for (let k = 1; k <= n; k++) {
      const potentiation = (k - 1) % (2 * cfg.pulses) < cfg.pulses; // each cycle: `pulses` up, then `pulses` down
      const dg = g[k] - g[k - 1];
      if (potentiation ? dg > 0 : dg < 0) good += 1;
      // A miss with the cell already at the bound the pulse pushes towards (the clamp holds G there).
      else if (g[k - 1] === (potentiation ? nominal.gMaxUS : nominal.gMinUS)) atBound += 1;
      steps.push(Math.abs(dg));
      if (potentiation) disturb.push(Math.abs(h[k] - h[k - 1]));
    }
    const acc = (100 * good) / n;
    assert.ok(close(res.accuracyPct, acc), `${JSON.stringify(cfg)}: accuracy ${res.accuracyPct} vs trace ${acc}`);
    assert.equal([res.missedPulses, res.missedAtBoundPulses], [n - good, atBound], `${JSON.stringify(cfg)}: misses`);
    assert.equal(res.bias, cfg.bias ?? H1E1T_BIAS, "the bias the run used");
    const ratio = sum(disturb) / disturb.length / (sum(steps) / steps.length);
    assert.ok(close(res.halfSelectRatio, ratio), `${JSON.stringify(cfg)}: half-select ${res.halfSelectRatio} vs trace ${ratio}`);
    // Window: the range G visited after the pulses (the initial 5 µS is not a programmed state).
    const after = g.slice(1);
    assert.ok(close(res.windowUS, Math.max(...after) - Math.min(...after)), `${JSON.stringify(cfg)}: window ${res.windowUS}`);
    // Steady cycle, recounted from the trace: the last ⌈cycles/4⌉ cycles, each from its start value (trace index
    // c·2·pulses) to its last pulse; the swing is the mean of their max − min, the band their overall extremes.
    const steady = Math.max(1, Math.ceil(cfg.cycles / 4));
    const cyc = Array.from({ length: steady }, (_, i) => cfg.cycles - steady + i).map((c) => g.slice(2 * cfg.pulses * c, 2 * cfg.pulses * (c + 1) + 1));
    assert.is(res.steadyCycles, steady);
    assert.ok(close(res.steadySwingUS, sum(cyc.map((v) => Math.max(...v) - Math.min(...v))) / steady), `${JSON.stringify(cfg)}: swing ${res.steadySwingUS}`);
    assert.ok(close(res.steadyLowUS, Math.min(...cyc.flat())) && close(res.steadyHighUS, Math.max(...cyc.flat())), `${JSON.stringify(cfg)}: band ${res.steadyLowUS}…${res.steadyHighUS}`);
    assert.is(res.neighbourStartUS, h[0]);
    assert.is(res.neighbourEndUS, h[n]);
    accuracies.push(res.accuracyPct);
  }
  // Strength ratio of the default bias by hand: the gate stack sees +V_EG = 10 V to write and −V_ED = −6 V to erase
  // (Fig 5b), so s_D/s_P = exp((6 − V_ref,D)/V_s) / exp((10 − V_ref,P)/V_s) with the ECRAM preset's references.
  const e = WOX_LIPON_ECRAM;
  const ratio0 = Math.exp((6 - e.referenceDepressionV) / e.amplitudeScaleV) / Math.exp((10 - e.referencePotentiationV) / e.amplitudeScaleV);
  const r0 = ltpLtd({ cycles: 1, pulses: 2, seed: 1 });
  assert.ok(Math.abs(r0.strengthRatio / ratio0 - 1) < 1e-12, `strength ratio ${r0.strengthRatio} vs ${ratio0}`);
  assert.is(r0.cellWindowUS, new EcramDevice(WOX_LIPON_ECRAM).gMaxUS - new EcramDevice(WOX_LIPON_ECRAM).gMinUS);
  // The clamped run must have failed pulses (else the recount above proves little); the weak-pulse run none.
  assert.ok(accuracies[1] < 100 && accuracies[2] === 100, `accuracies ${accuracies.join(", ")}`);
  // The clamped run's misses are potentiation pulses at G_max: 40 pulses of ≈2.5 reference pulses each reach it.
  const clamped = ltpLtd(configs[1]);
  assert.ok(clamped.missedAtBoundPulses > 0 && clamped.missedAtBoundPulses === clamped.missedPulses, `${clamped.missedAtBoundPulses} of ${clamped.missedPulses}`);
});

test("LTP/LTD: the steady cycle is the last quarter of the cycles rounded up (5 cycles → the last 2), its swing and band recounted from the trace", () => {
  // ⌈5/4⌉ = 2 (a quarter of 5 cycles is 1.25, and the summary must cover at least that); ⌈8/4⌉ = 2; ⌈9/4⌉ = 3.
  for (const [cycles, steady] of [[5, 2], [8, 2], [9, 3]]) {
    const pulses = 10;
    const res = ltpLtd({ cycles, pulses, seed: 5 });
    assert.is(res.steadyCycles, steady, `${cycles} cycles`);
    const g = res.trace.map((r) => num(r, "G (µS)"));
    // Cycle c runs from trace index 2·pulses·c (its start value) to 2·pulses·(c + 1).
    const cyc = Array.from({ length: steady }, (_, i) => cycles - steady + i).map((c) => g.slice(2 * pulses * c, 2 * pulses * (c + 1) + 1));
    const swing = sum(cyc.map((v) => Math.max(...v) - Math.min(...v))) / steady;
    assert.ok(close(res.steadySwingUS, swing), `${cycles} cycles: swing ${res.steadySwingUS} vs ${swing} over the last ${steady}`);
    assert.ok(close(res.steadyLowUS, Math.min(...cyc.flat())) && close(res.steadyHighUS, Math.max(...cyc.flat())), `${cycles} cycles: band ${res.steadyLowUS}…${res.steadyHighUS}`);
  }
});

test("LTP/LTD: the device is a parameter; a gentler voltage dependence (larger amplitudeScaleV) disturbs the neighbour more", () => {
  const cfg = { cycles: 4, pulses: 10, seed: 5 };
  const base = ltpLtd(cfg);
  assert.equal(ltpLtd(cfg, WOX_LIPON_ECRAM), base, "the default device is WOX_LIPON_ECRAM");
  const e = { ...WOX_LIPON_ECRAM, amplitudeScaleV: 2 * WOX_LIPON_ECRAM.amplitudeScaleV };
  const soft = ltpLtd(cfg, e);
  // By hand: s_D/s_P = exp((6 − V_ref,D)/V_s) / exp((10 − V_ref,P)/V_s) with the doubled V_s.
  const ratio = Math.exp((6 - e.referenceDepressionV) / e.amplitudeScaleV) / Math.exp((10 - e.referencePotentiationV) / e.amplitudeScaleV);
  assert.ok(Math.abs(soft.strengthRatio / ratio - 1) < 1e-12, `strength ratio ${soft.strengthRatio} vs ${ratio}`);
  // A half-selected 4 V pulse against a 10 V one: exp(−6/V_s), 0.7 % at V_s = 1.2 V, 8 % at 2.4 V.
  assert.ok(Math.abs(base.halfSelectStrength / Math.exp(-6 / WOX_LIPON_ECRAM.amplitudeScaleV) - 1) < 1e-12, `${base.halfSelectStrength}`);
  assert.ok(Math.abs(soft.halfSelectStrength / Math.exp(-6 / e.amplitudeScaleV) - 1) < 1e-12, `${soft.halfSelectStrength}`);
  assert.ok(soft.halfSelectRatio > 3 * base.halfSelectRatio, `${soft.halfSelectRatio} vs ${base.halfSelectRatio}`);
  assert.ok(soft.neighbourEndUS - soft.neighbourStartUS > base.neighbourEndUS - base.neighbourStartUS);
  // Another window: the cell's G_max − G_min is the given device's.
  const wide = { ...WOX_LIPON_ECRAM, intrinsicOnOffRatio: 2 * WOX_LIPON_ECRAM.intrinsicOnOffRatio };
  const d = new EcramDevice(wide);
  assert.is(ltpLtd(cfg, wide).cellWindowUS, d.gMaxUS - d.gMinUS);
  assert.is.not(d.gMaxUS - d.gMinUS, base.cellWindowUS);
});

test("LTP/LTD: the neighbour moves only under potentiation (V_P − V_D on its gate), never during depression", () => {
  const cfg = { cycles: 3, pulses: 10, seed: 5 };
  const res = ltpLtd(cfg);
  const h = res.trace.map((r) => num(r, "neighbour G (µS)"));
  let movedUp = 0;
  for (let k = 1; k < h.length; k++) {
    const potentiation = (k - 1) % (2 * cfg.pulses) < cfg.pulses;
    // Depression: V_EG = 0 and the neighbour's selector is off, so its programming voltage is exactly 0 (Table S2).
    if (!potentiation) assert.is(h[k], h[k - 1], `neighbour changed on depression pulse ${k}`);
    else if (h[k] !== h[k - 1]) movedUp += 1;
  }
  assert.ok(movedUp > 0, "4 V is above the 2 V ECRAM threshold, so the half-selected neighbour is disturbed");
  // Half-selected pulse strength relative to a full one: exp(−(V_P − (V_P − V_D))/V_s) = exp(−6/1.2) ≈ 0.7 %,
  // plus c2c noise of 3e-4·window ≈ 0.02 µS per pulse against ~1 µS selected steps: well under 10 %.
  assert.ok(res.halfSelectRatio > 0 && res.halfSelectRatio < 0.1, `${res.halfSelectRatio}`);
});

test("LTP/LTD by hand: with V_P − V_D below the ECRAM threshold the neighbour never moves (ratio exactly 0)", () => {
  const bias = { ...H1E1T_BIAS, potentiationV: 7, depressionV: 5.5 };
  assert.ok(bias.potentiationV - bias.depressionV <= WOX_LIPON_ECRAM.thresholdV);
  const res = ltpLtd({ cycles: 2, pulses: 5, seed: 1, bias });
  assert.ok(res.trace.every((r) => r["neighbour G (µS)"] === res.trace[0]["neighbour G (µS)"]));
  assert.is(res.halfSelectRatio, 0);
  assert.is(res.halfSelectStrength, 0, "a 1.5 V pulse is below the 2 V threshold: no strength");
  assert.ok(res.windowUS > 0, "the selected cell still gets 7 V and −5.5 V, both above threshold");
});

test("LTP/LTD: same seed gives a bit-identical run, another seed another trace; bad input throws naming the field", () => {
  const a = ltpLtd({ cycles: 2, pulses: 5, seed: 5 });
  assert.equal(ltpLtd({ cycles: 2, pulses: 5, seed: 5 }), a);
  const b = ltpLtd({ cycles: 2, pulses: 5, seed: 6 });
  assert.not.equal(b.trace, a.trace);
  assert.throws(() => ltpLtd({ cycles: 0, pulses: 5, seed: 1 }), (e: unknown) => e instanceof RangeError && /cycles/.test(e.message));
  assert.throws(() => ltpLtd({ cycles: 1, pulses: 2.5, seed: 1 }), (e: unknown) => e instanceof RangeError && /pulses/.test(e.message));
  assert.throws(() => ltpLtd({ cycles: 1, pulses: 2, seed: 1, bias: { ...H1E1T_BIAS, depressionV: 10 } }), (e: unknown) => e instanceof RangeError && /depressionV/.test(e.message));
});

test("selective programming: accuracy, held drift and addressed step are recomputed here from the per-cell rows", () => {
  const cfg = { rows: 3, cols: 3, rounds: 4, seed: 11 };
  const res = selectiveProgramming(cfg);
  assert.is(res.rows.length, cfg.rounds * cfg.rows * cfg.cols);
  const addressed = res.rows.filter((r) => r.intent !== "hold");
  const held = res.rows.filter((r) => r.intent === "hold");
  assert.ok(addressed.length > 0 && held.length > 0, "the test needs both kinds of cell");
  const good = addressed.filter((r) => (r.intent === "increase" ? num(r, "ΔG (µS)") > 0 : num(r, "ΔG (µS)") < 0)).length;
  assert.ok(close(res.accuracyPct, (100 * good) / addressed.length), `${res.accuracyPct} vs ${(100 * good) / addressed.length}`);
  const absRel = (rs: Row[]) => sum(rs.map((r) => Math.abs(num(r, "ΔG/G")))) / rs.length;
  assert.ok(close(res.heldDriftRel, absRel(held)), `held ${res.heldDriftRel} vs ${absRel(held)}`);
  assert.ok(close(res.selectedStepRel, absRel(addressed)), `addressed ${res.selectedStepRel} vs ${absRel(addressed)}`);
  // Held cells only ever see the half-select 4 V (≈0.7 % of a 10 V pulse's strength) or nothing.
  assert.ok(res.heldDriftRel < res.selectedStepRel, `${res.heldDriftRel} vs ${res.selectedStepRel}`);
  // Lines used: V_P, V_D, V_SS (all > 0 by validateBias) and ground (V_ES is 0 in every step), so exactly 0.
  assert.is(res.minLineV, 0);
  for (const r of res.rows) assert.is(r.mode, num(r, "round") % 2 === 0 ? "row-wise" : "column-wise");
});

test("selective programming: each round's ΔG starts from the previous round's end state (G_k + ΔG_k = G_{k+1})", () => {
  const cfg = { rows: 2, cols: 3, rounds: 5, seed: 4 };
  const res = selectiveProgramming(cfg);
  const cell = (k: number, r: number, c: number) => res.rows[(k * cfg.rows + r) * cfg.cols + c];
  let checked = 0;
  for (let k = 0; k + 1 < cfg.rounds; k++) {
    for (let r = 0; r < cfg.rows; r++) {
      for (let c = 0; c < cfg.cols; c++) {
        const a = cell(k, r, c);
        const b = cell(k + 1, r, c);
        assert.equal([a.round, a.row, a.col, b.round], [k, r, c, k + 1]);
        const da = num(a, "ΔG (µS)");
        const db = num(b, "ΔG (µS)");
        if (da === 0 || db === 0) continue; // G before the round is ΔG / (ΔG/G), undefined when ΔG = 0
        const g0 = da / num(a, "ΔG/G");
        const g1 = db / num(b, "ΔG/G");
        assert.ok(close(g0 + da, g1, 1e-9), `cell ${r},${c} round ${k}: ${g0} + ${da} vs ${g1}`);
        checked += 1;
      }
    }
  }
  assert.ok(checked >= cfg.rows * cfg.cols, `only ${checked} checks`);
});

test("selective programming: deterministic per seed; bad sizes throw naming the field", () => {
  const a = selectiveProgramming({ rows: 2, cols: 2, rounds: 2, seed: 1 });
  assert.equal(selectiveProgramming({ rows: 2, cols: 2, rounds: 2, seed: 1 }), a);
  assert.equal(selectiveProgramming({ rows: 2, cols: 2, rounds: 2, seed: 1 }, WOX_LIPON_ECRAM), a, "the default device");
  // Another device (gentler kinetics), same draws: other steps.
  const soft = selectiveProgramming({ rows: 2, cols: 2, rounds: 2, seed: 1 }, { ...WOX_LIPON_ECRAM, amplitudeScaleV: 2 * WOX_LIPON_ECRAM.amplitudeScaleV });
  assert.not.equal(soft.rows, a.rows);
  // The bias is a parameter: with V_P − V_D at or below the ECRAM threshold a held cell sees at most a sub-threshold
  // half-select pulse (or 0 V), so it does not move at all, while addressed cells still do.
  const bias = { ...H1E1T_BIAS, potentiationV: 7, depressionV: 5.5 };
  assert.ok(bias.potentiationV - bias.depressionV <= WOX_LIPON_ECRAM.thresholdV);
  const gentle = selectiveProgramming({ rows: 3, cols: 3, rounds: 4, seed: 11, bias });
  assert.is(gentle.heldDriftRel, 0);
  assert.ok(gentle.selectedStepRel > 0 && selectiveProgramming({ rows: 3, cols: 3, rounds: 4, seed: 11 }).heldDriftRel > 0);
  assert.not.equal(selectiveProgramming({ rows: 2, cols: 2, rounds: 2, seed: 2 }).rows, a.rows);
  for (const [field, cfg] of [
    ["rows", { rows: 0, cols: 2, rounds: 1, seed: 1 }],
    ["cols", { rows: 2, cols: 1.5, rounds: 1, seed: 1 }],
    ["rounds", { rows: 2, cols: 2, rounds: 0, seed: 1 }],
  ] as const) {
    assert.throws(() => selectiveProgramming(cfg), (e: unknown) => e instanceof RangeError && new RegExp(field).test(e.message), field);
  }
  // One cell, one round: it is either addressed or held, never both, so one of the two means has nothing to average.
  for (const seed of [1, 2, 3, 4]) assert.throws(() => selectiveProgramming({ rows: 1, cols: 1, rounds: 1, seed }), /addressed and .* held/);
});

test("inference linearity: R² and slopes refitted here from the rows; min R² is the worst conductance", () => {
  const conductancesUS = [0.15, 0.3, 1, 5, 40];
  const cfg = { conductancesUS, maxInputV: 0.02, samples: 30, seed: 3 };
  const res = inferenceLinearity(cfg);
  assert.is(res.rows.length, conductancesUS.length * cfg.samples);
  const circuit = ecramMttCircuit();
  const r2: number[] = [];
  conductancesUS.forEach((g, i) => {
    const rs = res.rows.filter((r) => r.G_e === `${g} µS`);
    assert.is(rs.length, cfg.samples);
    const x = rs.map((r) => num(r, "V_in (V)"));
    assert.ok(x.every((v) => Math.abs(v) <= cfg.maxInputV));
    const fit = linearFit(x, rs.map((r) => num(r, "I_out (µA)")));
    r2.push(fit.r2);
    const s = res.slopes[i];
    assert.is(s["G_e (µS)"], g);
    assert.ok(close(num(s, "R2"), fit.r2) && close(num(s, "slope (µS)"), fit.slope), `G_e ${g}: ${JSON.stringify(s)} vs ${JSON.stringify(fit)}`);
    const vn = nodeVoltageV(circuit, g);
    assert.ok(close(num(s, "V_n (V)"), vn), `G_e ${g}: V_n ${s["V_n (V)"]} vs ${vn}`);
    // Triode I = β(V_ov·V − V²/2) + a sub-threshold term that saturates within ±20 mV: the fitted slope is the
    // small-signal channel conductance at V_n to within a few %.
    const g0 = channelConductanceUS(circuit.inference, vn, 0);
    assert.ok(Math.abs(fit.slope / g0 - 1) < 0.05, `G_e ${g}: slope ${fit.slope} vs small-signal ${g0}`);
  });
  assert.ok(Math.max(...r2) > Math.min(...r2), "the conductances' fits differ, so min is distinguishable from other aggregates");
  // G_e,min by its definition: the divider node sits at half the read bias there, below it at a lower conductance.
  assert.equal([res.readBiasV, res.refGateV], [ECRAM_MTT_OPERATING_POINT.readBiasV, ECRAM_MTT_OPERATING_POINT.refGateV]);
  assert.ok(Math.abs(nodeVoltageV(circuit, res.gEMinUS) - res.readBiasV / 2) < 1e-6, `V_n(G_e,min) = ${nodeVoltageV(circuit, res.gEMinUS)}`);
  assert.ok(nodeVoltageV(circuit, 0.9 * res.gEMinUS) < res.readBiasV / 2);
  assert.ok(close(res.minR2, Math.min(...r2)), `${res.minR2} vs ${r2.join(", ")}`);
  // Waveform: the first min(40, samples) inputs per conductance, in mV, with their currents.
  assert.is(res.waveform.length, conductancesUS.length * Math.min(40, cfg.samples));
  for (const w of res.waveform) {
    const row = res.rows.filter((r) => r.G_e === w.G_e)[num(w, "t")];
    assert.ok(close(num(w, "V_in (mV)"), 1000 * num(row, "V_in (V)")) && w["I_out (µA)"] === row["I_out (µA)"]);
  }
});

test("inference linearity: slopeIncreasing follows the slopes; the same conductances in reverse order give false", () => {
  const base = { maxInputV: 0.02, samples: 10, seed: 3 };
  const up = inferenceLinearity({ ...base, conductancesUS: [0.15, 1, 40] });
  const down = inferenceLinearity({ ...base, conductancesUS: [40, 1, 0.15] });
  const rising = (rs: Row[]) => rs.every((r, i) => i === 0 || num(r, "slope (µS)") > num(rs[i - 1], "slope (µS)"));
  assert.is(up.slopeIncreasing, rising(up.slopes));
  assert.is(down.slopeIncreasing, rising(down.slopes));
  // Same inputs (same seed), so the reversed list has the reversed slopes: if one order rises, the other cannot.
  assert.equal(down.slopes.map((r) => r["slope (µS)"]), up.slopes.map((r) => r["slope (µS)"]).reverse());
  // V_n rises with G_e (larger divider top conductance), so the slope rises with G_e and the reversed list falls.
  assert.is(down.slopeIncreasing, false);
});

test("inference linearity: deterministic per seed; bad maxInputV / samples throw naming the field", () => {
  const cfg = { conductancesUS: [1, 5], maxInputV: 0.02, samples: 5, seed: 3 };
  assert.equal(inferenceLinearity(cfg), inferenceLinearity(cfg));
  assert.not.equal(inferenceLinearity({ ...cfg, seed: 4 }).rows, inferenceLinearity(cfg).rows);
  assert.throws(() => inferenceLinearity({ ...cfg, maxInputV: 0 }), (e: unknown) => e instanceof RangeError && /maxInputV/.test(e.message));
  assert.throws(() => inferenceLinearity({ ...cfg, samples: 2 }), (e: unknown) => e instanceof RangeError && /samples/.test(e.message));
  // Nothing or one conductance measured: no slope order to judge (it used to return R² = 1 and "increasing").
  for (const conductancesUS of [[], [5]]) assert.throws(() => inferenceLinearity({ ...cfg, conductancesUS }), (e: unknown) => e instanceof RangeError && /conductancesUS/.test(e.message));
});

test("component table: the recorded counts are the ECRAM rows' counts, each label nTmX sums to its count, MTT < separate", () => {
  const t = componentTable();
  assert.is(t.rows.length, 4);
  for (const r of t.rows) {
    const m = /^(\d+)T(\d+)([ER])$/.exec(r.label as string);
    assert.ok(m, `label ${r.label}`);
    assert.is(Number(m![1]) + Number(m![2]), r.components, `${r.cell}`);
    assert.is(m![3], (r.cell as string).includes("ECRAM") ? "E" : "R", `${r.cell}`);
  }
  const row = (name: string) => t.rows.find((r) => r.cell === name)!;
  assert.is(t.mtt, row("MTT unit (ECRAM)").components);
  assert.is(t.separate, row("separate analog + binary (ECRAM)").components);
  // Table 1: the MTT unit is 4T2E (two memories hold the hidden weight; no separate binary pair).
  assert.is(row("MTT unit (ECRAM)").label, "4T2E");
  assert.ok(t.mtt < t.separate);
  // The memory technology does not change the count.
  assert.is(row("MTT unit (RRAM)").components, t.mtt);
  assert.is(row("separate analog + binary (RRAM)").components, t.separate);
});

test.run();
