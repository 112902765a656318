import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { idealColumnCurrentsUA, solveIrDrop } from "../src/array/ir-drop";
import { CrosspointArray, selectFunctionalBlock } from "../src/array/crosspoint-array";
import { expectedHalfSelectDriftSteps } from "../src/array/stochastic-update";
import { nominalStepUS } from "../src/devices/ecram-4k-chip";
import { backwardVmm, forwardVmm, IDEAL_PERIPHERY, CHIP_PERIPHERY, validatePeriphery } from "../src/array/vmm";
import { applyOuterProductUpdate, pulseProbabilities } from "../src/array/outer-product-update";
import { ECRAM_4K_CHIP, ECRAM_4K_IDEAL } from "../src/devices/ecram-4k-chip";

test("IR drop: zero wire resistance gives the ideal currents", () => {
  const g = [1, 2, 3, 4, 5, 6];
  const v = [0.1, -0.2];
  const r = solveIrDrop(g, 2, 3, v, { rowSegmentOhm: 0, colSegmentOhm: 0 });
  const ideal = idealColumnCurrentsUA(g, 2, 3, v);
  // Hand: column 0 = 1·0.1 + 4·(−0.2) = −0.7 µA.
  assert.ok(Math.abs(ideal[0] + 0.7) < 1e-12);
  r.columnCurrentsUA.forEach((c, j) => assert.ok(Math.abs(c - ideal[j]) < 1e-12));
});

test("IR drop: one cell is a series circuit, I = V/(1/G + r_row + r_col)", () => {
  const gUS = 1000; // 1 mS so that the drop is visible
  const r = solveIrDrop([gUS], 1, 1, [1], { rowSegmentOhm: 50, colSegmentOhm: 30, toleranceV: 1e-13 });
  const expectedUA = (1 / (1 / (gUS * 1e-6) + 80)) * 1e6;
  assert.ok(Math.abs(r.columnCurrentsUA[0] - expectedUA) < 1e-6 * expectedUA, `${r.columnCurrentsUA[0]} vs ${expectedUA}`);
});

test("IR drop: currents fall as the wire resistance grows, and the far cell loses most", () => {
  const n = 16;
  const g = new Array(n * n).fill(50);
  const v = new Array(n).fill(0.2);
  const ideal = idealColumnCurrentsUA(g, n, n, v);
  let last = Array.from(ideal);
  for (const ohm of [1, 5, 20]) {
    const c = solveIrDrop(g, n, n, v, { rowSegmentOhm: ohm, colSegmentOhm: ohm }).columnCurrentsUA;
    c.forEach((cj, j) => assert.ok(cj < last[j], `column ${j} at ${ohm} Ω`));
    assert.ok(c[n - 1] < c[0], "the column farthest from the row drivers loses most");
    last = Array.from(c);
  }
});

test("IR drop where fixed-point iteration fails (r·G·N² > 1): line relaxation, checked by Kirchhoff and by hand", () => {
  // 64×64 at 300 µS and 1 Ω per segment (r·G·N² = 1.2): the fixed-point iteration used to throw here.
  const n = 64;
  const g = new Array(n * n).fill(300);
  const v = new Array(n).fill(0.1);
  const r = solveIrDrop(g, n, n, v, { rowSegmentOhm: 1, colSegmentOhm: 1 });
  assert.is(r.solver, "lines");
  // Charge is conserved: what the row drivers push in through their first segments (V_i − u_i0)/r equals what the
  // sense amplifiers take out through the last column segments w_(R−1)j / r, and equals the sensed currents.
  let injected = 0;
  for (let i = 0; i < n; i++) injected += (v[i] - r.rowNodeV[i * n]) * 1e6;
  let sensedBySegments = 0;
  for (let j = 0; j < n; j++) sensedBySegments += r.colNodeV[(n - 1) * n + j] * 1e6;
  const sensed = r.columnCurrentsUA.reduce((s, c) => s + c, 0);
  assert.ok(Math.abs(injected - sensed) < 1e-6 * sensed && Math.abs(sensedBySegments - sensed) < 1e-6 * sensed, `${injected} ${sensedBySegments} ${sensed}`);
  // Kirchhoff at every row node: the segment currents in and out differ by the device current (tolerance: the solver
  // stops when no voltage moves by 1e-9 V; × 1e6 µS per Ω⁻¹ segment → ≈ 1e-3 µA).
  for (let i = 0; i < n; i += 9) for (let j = 0; j < n; j += 7) {
    const k = i * n + j;
    const left = j === 0 ? v[i] : r.rowNodeV[k - 1];
    const right = j === n - 1 ? r.rowNodeV[k] : r.rowNodeV[k + 1];
    const kcl = (left - r.rowNodeV[k]) * 1e6 + (right - r.rowNodeV[k]) * 1e6 - 300 * (r.rowNodeV[k] - r.colNodeV[k]);
    assert.ok(Math.abs(kcl) < 1e-2, `KCL at (${i}, ${j}): ${kcl} µA`);
  }
  // Far from ideal, and the farthest column loses most.
  assert.ok(r.columnCurrentsUA[n - 1] < r.columnCurrentsUA[0] && sensed < 0.9 * 64 * 64 * 300 * 0.1);
  // One cell (line relaxation forced by allowing one fixed-point iteration): I = V/(1/G + r_row + r_col).
  const one = solveIrDrop([1000], 1, 1, [1], { rowSegmentOhm: 50, colSegmentOhm: 30, toleranceV: 1e-13, maxIterations: 1 });
  assert.is(one.solver, "lines");
  const expectedUA = (1 / (1 / 1e-3 + 80)) * 1e6;
  assert.ok(Math.abs(one.columnCurrentsUA[0] - expectedUA) < 1e-9 * expectedUA, `${one.columnCurrentsUA[0]} vs ${expectedUA}`);
  // Where both converge, both solvers give the same currents (random 16×16, 2 Ω).
  const rng = createRng(5);
  const gr = Array.from({ length: 256 }, () => 9 + 79 * rng.uniform());
  const vr = Array.from({ length: 16 }, () => 0.2 * rng.uniform() - 0.1);
  const fixed = solveIrDrop(gr, 16, 16, vr, { rowSegmentOhm: 2, colSegmentOhm: 2, toleranceV: 1e-13 });
  const lines = solveIrDrop(gr, 16, 16, vr, { rowSegmentOhm: 2, colSegmentOhm: 2, toleranceV: 1e-13, maxIterations: 1 });
  assert.equal([fixed.solver, lines.solver], ["fixed-point", "lines"]);
  fixed.columnCurrentsUA.forEach((c, j) => assert.ok(Math.abs(c - lines.columnCurrentsUA[j]) < 1e-9 * Math.abs(c) + 1e-12, `column ${j}`));
  // A zero-resistance row family with resistive columns: rows stay at their drive voltage.
  const colsOnly = solveIrDrop(gr, 16, 16, vr, { rowSegmentOhm: 0, colSegmentOhm: 2, maxIterations: 1 });
  assert.ok(colsOnly.rowNodeV.every((u, k) => u === vr[Math.floor(k / 16)]));
  assert.throws(() => solveIrDrop(g, n, n, v, { rowSegmentOhm: 1, colSegmentOhm: 1, maxLineSweeps: 1 }), /maxLineSweeps/);
});

test("IR drop: bad input names the field", () => {
  assert.throws(() => solveIrDrop([1, 2], 1, 2, [0.1], { rowSegmentOhm: -1, colSegmentOhm: 0 }), /rowSegmentOhm/);
  assert.throws(() => solveIrDrop([1, 2], 1, 2, [0.1, 0.2], { rowSegmentOhm: 0, colSegmentOhm: 0 }), /rowVoltageV/);
  assert.throws(() => solveIrDrop([1], 1, 2, [0.1], { rowSegmentOhm: 0, colSegmentOhm: 0 }), /conductanceUS/);
});

test("forward and backward VMM of an ideal array equal Wᵀx and W·δ (hand-checked weights)", () => {
  const a = new CrosspointArray(ECRAM_4K_IDEAL, 4, 4, createRng(1));
  const block = { rowIdx: [0, 1, 2], colIdx: [1, 3] };
  // Weights in whole steps so that programming is exact: Δw_min = 0.02.
  const w = [0.2, -0.4, 0.1, 0.3, -0.5, 0.06];
  a.programFromReference(block, w, createRng(2));
  w.forEach((wk, k) => assert.ok(Math.abs(a.blockWeights(block)[k] - wk) < 1e-9));
  const x = [0.5, -1, 0.25];
  const y = forwardVmm(a, block, x, IDEAL_PERIPHERY, createRng(3));
  const yHand = [0.5 * 0.2 - 1 * 0.1 + 0.25 * -0.5, 0.5 * -0.4 - 1 * 0.3 + 0.25 * 0.06];
  const lsb = 64 / (2 ** 15 - 1);
  y.forEach((v, j) => assert.ok(Math.abs(v - yHand[j]) <= lsb, `y[${j}] ${v} vs ${yHand[j]}`));
  const dl = [1, -0.5];
  const z = backwardVmm(a, block, dl, IDEAL_PERIPHERY, createRng(4));
  const zHand = [0.2 + 0.2, 0.1 - 0.15, -0.5 - 0.03];
  z.forEach((v, i) => assert.ok(Math.abs(v - zHand[i]) <= lsb, `z[${i}] ${v} vs ${zHand[i]}`));
});

test("bound management recovers an output beyond the ADC range", () => {
  const a = new CrosspointArray(ECRAM_4K_IDEAL, 8, 1, createRng(1));
  const block = { rowIdx: [0, 1, 2, 3, 4, 5, 6, 7], colIdx: [0] };
  a.programFromReference(block, new Array(8).fill(0.9), createRng(2));
  const x = new Array(8).fill(1); // Σ w·x = 7.2 > adcRange 4
  const periph = { ...CHIP_PERIPHERY, readNoiseStd: 0, wireSegmentOhm: 0 };
  const plain = forwardVmm(a, block, x, { ...periph, boundManagementSteps: 0 }, createRng(3))[0];
  const managed = forwardVmm(a, block, x, periph, createRng(3))[0];
  assert.ok(Math.abs(plain - 4) < 1e-9, `saturates at the bound: ${plain}`);
  assert.ok(Math.abs(managed - 7.2) < 0.1, `managed ${managed}`);
  assert.throws(() => validatePeriphery({ ...periph, adcBits: 0 }), /adcBits/);
});

test("bound management repeats a read only for a used output: a saturating column the caller drops does not halve the input", () => {
  // Column 0 sums to 7.2 (beyond the ±4 ADC range), column 1 to 8·0.06 = 0.48 (well inside; 0.06 is 3 device steps).
  // 8-bit converters have 2·127 + 1 levels (periphery.ts): ADC step 4/127. Unhalved, 0.48 reads as 15 steps (0.4724);
  // halved (the DAC turns 0.5 into 64/127), 0.48·64/127 = 0.2419 reads as 8 steps, 16 steps after rescaling by 2.
  const a = new CrosspointArray(ECRAM_4K_IDEAL, 8, 2, createRng(1));
  const block = { rowIdx: [0, 1, 2, 3, 4, 5, 6, 7], colIdx: [0, 1] };
  a.programFromReference(block, Array.from({ length: 16 }, (_, k) => (k % 2 === 0 ? 0.9 : 0.06)), createRng(2));
  const x = new Array(8).fill(1);
  const periph = { ...CHIP_PERIPHERY, readNoiseStd: 0, wireSegmentOhm: 0 };
  // Column 1 alone never saturates: one read at full input scale.
  const alone = forwardVmm(a, { rowIdx: block.rowIdx, colIdx: [1] }, x, periph, createRng(3))[0];
  const usedOnly = forwardVmm(a, block, x, periph, createRng(3), { usedOutputs: [1] })[1];
  const all = forwardVmm(a, block, x, periph, createRng(3))[1];
  assert.is(usedOnly, alone, "with only column 1 used, its value comes from the unhalved read");
  assert.is.not(all, alone, "checking every column halves the input for column 0 and re-quantizes column 1 coarser");
  assert.ok(Math.abs(usedOnly - 15 * (4 / 127)) < 1e-9, `${usedOnly}`);
  assert.ok(Math.abs(all - 16 * (4 / 127)) < 1e-9, `${all}`);
  assert.throws(() => forwardVmm(a, block, x, periph, createRng(3), { usedOutputs: [2] }), /usedOutputs\[0\] must be an output index 0…1, got 2/);
});

test("parallel update: mean change follows η·x·δ, idle columns only half-selected, pulses counted", () => {
  const a = new CrosspointArray({ ...ECRAM_4K_IDEAL, nStates: 1000 }, 2, 3, createRng(1));
  const block = { rowIdx: [0, 1], colIdx: [0, 1, 2] };
  const x = [1, -0.5];
  const d = [0.6, -0.3, 0]; // column 2 idle
  const cfg = { learningRate: 0.001, bl: 20, dwMin: a.dwMin };
  const trials = 400;
  let coincidences = 0;
  for (let t = 0; t < trials; t++) {
    const r = applyOuterProductUpdate(a, block, x, d, cfg, createRng(`u${t}`));
    for (const c of r.counts.coincidences) coincidences += Math.abs(c);
  }
  const pulsesCounted = a.fullPulses.reduce((s, v) => s + v, 0);
  assert.is(pulsesCounted, coincidences);
  // Ideal device, weights far from the bounds: Δw = Δw_min·(signed coincidences) exactly, so the mean over
  // trials is a binomial mean; 5σ bounds (false failure < 1e-5 over the 6 devices).
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      const target = trials * cfg.learningRate * x[i] * d[j];
      const pq = Math.abs(target) / (trials * cfg.bl * cfg.dwMin);
      const sd = Math.sqrt(trials * cfg.bl * pq * (1 - pq)) * cfg.dwMin;
      const got = a.weight(i, j);
      assert.ok(Math.abs(got - target) <= 5 * sd + 1e-12, `(${i},${j}) ${got} vs ${target} ± ${sd}`);
    }
  }
  assert.is(a.weight(0, 2), 0, "ideal device: an idle column's devices only see half-selects (k = 0)");
  assert.ok(a.halfPulses[a.index(0, 2)] > 0);
});

test("read disturb moves G in the read polarity", () => {
  const a = new CrosspointArray({ ...ECRAM_4K_IDEAL, readDisturbFraction: 0.1 }, 1, 1, createRng(1));
  const g0 = a.conductanceUS[0];
  a.readDisturb(0, 0, 1);
  assert.ok(a.conductanceUS[0] > g0);
  a.readDisturb(0, 0, -2);
  assert.ok(a.conductanceUS[0] < g0);
});

test("read disturb, hand case: one read at ±v/V_read moves G by exactly ε·ΔG₀·(v/V_read), clipped at the device bounds", () => {
  // Ideal preset (no D2D spread: every device spans exactly [1, 5] µS) with nStates 100 → ΔG₀ = (5 − 1)/100 = 0.04 µS,
  // ε = 0.25 → ε·ΔG₀ = 0.01 µS per unit relative read voltage. Start at G_ref = (1 + 5)/2 = 3 µS.
  const a = new CrosspointArray({ ...ECRAM_4K_IDEAL, readDisturbFraction: 0.25 }, 1, 2, createRng(1));
  assert.ok(Math.abs(nominalStepUS(ECRAM_4K_IDEAL) - 0.04) < 1e-15);
  assert.is(a.conductanceUS[0], 3);
  a.readDisturb(0, 0, 1); // 3 + 0.25·0.04·1 = 3.01
  assert.ok(Math.abs(a.conductanceUS[0] - 3.01) < 1e-12, `${a.conductanceUS[0]}`);
  a.readDisturb(0, 0, -2); // 3.01 − 0.25·0.04·2 = 2.99
  assert.ok(Math.abs(a.conductanceUS[0] - 2.99) < 1e-12, `${a.conductanceUS[0]}`);
  assert.is(a.conductanceUS[1], 3, "only the read device moves");
  // Clipping: ε = 30 → 1.2 µS per unit. From 3 µS, +2 → 5.4, clipped to G_max = 5; then −5 → 5 − 6 = −1, clipped to G_min = 1.
  const b = new CrosspointArray({ ...ECRAM_4K_IDEAL, readDisturbFraction: 30 }, 1, 1, createRng(1));
  b.readDisturb(0, 0, 1); // 3 + 1.2 = 4.2, inside the window
  assert.ok(Math.abs(b.conductanceUS[0] - 4.2) < 1e-12, `${b.conductanceUS[0]}`);
  b.readDisturb(0, 0, 1); // 5.4 → 5
  assert.is(b.conductanceUS[0], 5);
  b.readDisturb(0, 0, -5); // −1 → 1
  assert.is(b.conductanceUS[0], 1);
});

test("yield: selectFunctionalBlock avoids stuck devices and throws when the map cannot supply the block", () => {
  // 4×4 map, stuck at (0,1) and (2,3) and the whole row 3.
  const f = new Uint8Array(16).fill(1);
  f[1] = 0;
  f[2 * 4 + 3] = 0;
  for (let j = 0; j < 4; j++) f[3 * 4 + j] = 0;
  const b = selectFunctionalBlock(f, 4, 4, 3, 2);
  assert.equal(b.rowIdx, [0, 1, 2]);
  assert.equal(b.colIdx, [0, 2]);
  assert.throws(() => selectFunctionalBlock(f, 4, 4, 3, 3), /functional columns/);
  assert.throws(() => selectFunctionalBlock(f, 4, 4, 5, 1), /does not fit/);
  const a = new CrosspointArray(ECRAM_4K_CHIP, 64, 64, createRng(5));
  const blk = selectFunctionalBlock(a.functional, 64, 64, 63, 7);
  for (const i of blk.rowIdx) for (const j of blk.colIdx) assert.is(a.functional[a.index(i, j)], 1);
});

// ---- half-select disturb in the sign-phased V/2 update ------------------------------------------------------------

/** Learning rate that makes every pulse probability clip to exactly 1: C = √(η/(BL·Δw_min)) = 10 per unit |x|, |δ|. */
const certain = (bl: number, dwMin: number) => ({ learningRate: 100 * bl * dwMin, bl, dwMin });

test("half-selects, hand-worked: BL = 1, x = (+1, −1), δ = (+1, −1), all p = q = 1; per-phase counts, line pulses and conductances", () => {
  // k = 0.1, nStates = 100: ΔG₀ = (5 − 1)/100 = 0.04 µS. Row signs (+, −), column signs (+, −): all four phases run,
  // in the order (+,+) σ = +1, (+,−) σ = −1, (−,+) σ = −1, (−,−) σ = +1. Each firing line fires its one slot.
  //   phase (+,+): row 0, col 0 fire. (0,0) full 1; (0,1) half 1 (row only); (1,0) half 1 (col only); (1,1) nothing.
  //   phase (+,−): row 0, col 1.      (0,1) full 1; (0,0) half 1 (row only); (1,1) half 1 (col only); (1,0) nothing.
  //   phase (−,+): row 1, col 0.      (1,0) full 1; (1,1) half 1 (row only); (0,0) half 1 (col only); (0,1) nothing.
  //   phase (−,−): row 1, col 1.      (1,1) full 1; (1,0) half 1 (row only); (0,1) half 1 (col only); (0,0) nothing.
  // Device (0,0): +1 full in (+,+), −1 half in (+,−) and −1 half in (−,+): ΔG = (1 − 2k)·ΔG₀ = 0.8·0.04 = +0.032 µS.
  // Device (0,1): −1 full in (+,−), +1 half in (+,+) and (−,−): ΔG = −(1 − 2k)·ΔG₀ = −0.032 µS; (1,0) likewise −0.032;
  // (1,1): +1 full in (−,−), −1 half in (+,−) and (−,+): +0.032 µS. Every device: 1 full pulse and 2 half-selects.
  // Each row fires in 2 phases and each column in 2: rowFired = colFired = (2, 2), 8 line pulses, the expectation
  // BL·Σ_phases(Σp + Σq) = 1·4·(1 + 1) = 8 (not BL·(Σp + Σq) = 4).
  const k = 0.1;
  const params = { ...ECRAM_4K_IDEAL, halfSelectFraction: k };
  const dG = 0.04;
  assert.ok(Math.abs(nominalStepUS(params) - dG) < 1e-15);
  const block = { rowIdx: [0, 1], colIdx: [0, 1] };
  const a = new CrosspointArray(params, 2, 2, createRng(1));
  const g0 = a.gRefUS;
  const r = applyOuterProductUpdate(a, block, [1, -1], [1, -1], certain(1, a.dwMin), createRng(2));
  assert.is(r.clipped, 4, "precondition: every probability clipped to exactly 1");
  assert.equal(r.counts.phases.map((ph) => [ph.rowSign, ph.colSign, ph.direction]), [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]]);
  assert.equal(r.counts.phases.map((ph) => Array.from(ph.full)), [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
  assert.equal(r.counts.phases.map((ph) => Array.from(ph.half)), [[0, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 1], [0, 1, 1, 0]]);
  assert.equal(Array.from(r.counts.coincidences), [1, -1, -1, 1]);
  assert.equal(Array.from(r.counts.halfSelected), [2, 2, 2, 2]);
  assert.equal(Array.from(r.counts.halfSelectedNet), [-2, 2, 2, -2]);
  assert.equal(Array.from(r.counts.rowFired), [2, 2]);
  assert.equal(Array.from(r.counts.colFired), [2, 2]);
  assert.ok(Math.abs(r.expectedLinePulses - 8) < 1e-12, `expectedLinePulses ${r.expectedLinePulses}`);
  const hand = [0.032, -0.032, -0.032, 0.032];
  hand.forEach((h, m) => assert.ok(Math.abs(a.conductanceUS[m] - g0 - h) < 1e-12, `device ${m}: ΔG ${a.conductanceUS[m] - g0} vs ${h}`));
  assert.equal(Array.from(a.fullPulses), [1, 1, 1, 1]);
  assert.equal(Array.from(a.halfPulses), [2, 2, 2, 2]);
  // Phases apply in turn, each clipped: device (0,0) starts half a step below G_max = 5 µS. (+,+): full step to 5.02,
  // clipped to 5; (+,−) and (−,+): −0.004 each → 4.992 µS. Netting the update first (+0.032 → 5.012) and clipping
  // once would leave 5.
  const b = new CrosspointArray(params, 2, 2, createRng(1));
  b.conductanceUS[0] = 5 - dG / 2;
  applyOuterProductUpdate(b, block, [1, -1], [1, -1], certain(1, b.dwMin), createRng(2));
  assert.ok(Math.abs(b.conductanceUS[0] - 4.992) < 1e-12, `near G_max: ${b.conductanceUS[0]} vs 4.992`);
});

test("half-selects: a device on an idle column moves only with its row's phases, an idle row's device only with its column's, k·ΔG₀ each", () => {
  // k = 0.1, ΔG₀ = 0.04 µS, BL = 5, every probability 1 (each firing line fires all 5 slots). ΔG in units of k·ΔG₀:
  // A: x = (1, −1, 0), δ = (1, 0). Only column 0 fires (sign +); column 1 and row 2 are idle. Phases (+,+) σ = +1
  //    (row 0, col 0) and (−,+) σ = −1 (row 1, col 0); (+,−), (−,−) have no firing column and are skipped.
  //    (0,1): row 0 alone in (+,+): +5.  (1,1): row 1 alone in (−,+): −5.
  //    (2,0): col 0 alone in (+,+) and in (−,+): +5 − 5 = 0 with 10 half-selects counted.  (2,1): no pulse at all.
  // B: x = (1, 0), δ = (1, −1). Only row 0 fires (sign +); row 1 is idle. Phases (+,+) σ = +1 (row 0, col 0) and
  //    (+,−) σ = −1 (row 0, col 1). (1,0): col 0 alone in (+,+): +5.  (1,1): col 1 alone in (+,−): −5.
  const k = 0.1;
  const params = { ...ECRAM_4K_IDEAL, halfSelectFraction: k };
  const unit = k * nominalStepUS(params);
  const run = (x: number[], d: number[]) => {
    const a = new CrosspointArray(params, x.length, d.length, createRng(1));
    const block = { rowIdx: x.map((_, i) => i), colIdx: d.map((_, j) => j) };
    const r = applyOuterProductUpdate(a, block, x, d, certain(5, a.dwMin), createRng(2));
    const moved = (i: number, j: number) => (a.conductanceUS[a.index(i, j)] - a.gRefUS) / unit;
    return { a, r, moved };
  };
  const A = run([1, -1, 0], [1, 0]);
  assert.equal(A.r.counts.phases.map((ph) => [ph.rowSign, ph.colSign]), [[1, 1], [-1, 1]], "A: phases with no firing column skipped");
  const near = (got: number, want: number, what: string) => assert.ok(Math.abs(got - want) < 1e-9, `${what}: ${got} vs ${want} (units of k·ΔG₀)`);
  near(A.moved(0, 1), 5, "A (0,1) row 0 over idle column");
  near(A.moved(1, 1), -5, "A (1,1) row 1 over idle column");
  near(A.moved(2, 0), 0, "A (2,0) idle row under column 0");
  near(A.moved(2, 1), 0, "A (2,1) idle row and column");
  assert.equal([A.a.halfPulses[A.a.index(0, 1)], A.a.halfPulses[A.a.index(1, 1)], A.a.halfPulses[A.a.index(2, 0)], A.a.halfPulses[A.a.index(2, 1)]], [5, 5, 10, 0]);
  // The full-step devices: (0,0) +5 full steps (= 50 units) and −5 half in (−,+) (col 0 alone); (1,0) −50 and +5.
  near(A.moved(0, 0), 45, "A (0,0)");
  near(A.moved(1, 0), -45, "A (1,0)");
  const B = run([1, 0], [1, -1]);
  assert.equal(B.r.counts.phases.map((ph) => [ph.rowSign, ph.colSign]), [[1, 1], [1, -1]], "B: phases with no firing row skipped");
  near(B.moved(1, 0), 5, "B (1,0) idle row under column 0");
  near(B.moved(1, 1), -5, "B (1,1) idle row under column 1");
  near(B.moved(0, 0), 45, "B (0,0)");
  near(B.moved(0, 1), -45, "B (0,1)");
  // The documented expected drift gives the same numbers (the trains are certain, so drift = its expectation), in steps.
  for (const [R, x, d] of [[A, [1, -1, 0], [1, 0]], [B, [1, 0], [1, -1]]] as const) {
    const p = pulseProbabilities(x, d, certain(5, R.a.dwMin));
    const e = expectedHalfSelectDriftSteps(k, 5, p);
    x.forEach((_, i) => d.forEach((_, j) => near(e[i * d.length + j] / k, R.moved(i, j) - 10 * R.r.counts.coincidences[i * d.length + j], `expected drift (${i},${j})`)));
  }
});

test("half-selects, Monte Carlo: mean ΔG per update = BL·p·q·ΔG₀·d + expected half-select drift within 5 s.e.; an idle device's spread is that of independent phase trains", () => {
  // x = (1, −1), δ = (1, −1, 0), BL = 10, k = 0.05, p = q = 0.5 (η = BL·Δw_min/4 → C = 0.5, a = 1). All four phases
  // run. In steps ΔG₀, per update, for device (i, j) with d = ±1 (derivation: stochastic-update.ts):
  //   mean = d·BL·p·q + drift, drift = −2k·BL·p·q·d, i.e. mean = d·(1 − 2k)·BL·p·q = 0.9·2.5·d = 2.25·d;
  //   variance: phases draw fresh trains, so the phases are independent. Own phase, per slot, Y = 1 (both fire, full
  //   step: 1 + 0 half-selects), k (one fires), 0: E[Y] = pq + k(p + q − 2pq), E[Y²] = pq + k²(p + q − 2pq), var BL·(E[Y²] − E[Y]²);
  //   phase (a_i, −b_j): row alone, k·Bin(BL, p), var k²·BL·p(1 − p); phase (−a_i, b_j): k²·BL·q(1 − q).
  // Idle column 2 (q = 0): row i fires in (a_i, +) and (a_i, −), σ opposite: mean 0, variance 2k²·BL·p(1 − p).
  // Over T updates the mean's s.e. is √(var/T); |z| > 5 has probability < 6e-7 per device (CLT: T·BL = 40000 slots).
  // A random walk (no drift) would sit (2k·2.5)/s.e. ≈ 11 s.e. away. No clipping: nStates = 1e5, the window is
  // ±5e4 steps and T·2.25 = 9000 steps.
  const k = 0.05;
  const [bl, T, nStates] = [10, 4000, 100000];
  const params = { ...ECRAM_4K_IDEAL, halfSelectFraction: k, nStates };
  const a = new CrosspointArray(params, 2, 3, createRng(1));
  const block = { rowIdx: [0, 1], colIdx: [0, 1, 2] };
  const x = [1, -1];
  const d = [1, -1, 0];
  const cfg = { learningRate: (bl * a.dwMin) / 4, bl, dwMin: a.dwMin };
  const p = pulseProbabilities(x, d, cfg);
  assert.ok(Math.abs(p.rowProb[0] - 0.5) < 1e-12 && Math.abs(p.colProb[1] - 0.5) < 1e-12 && p.colProb[2] === 0, "precondition p = q = 0.5");
  const step = nominalStepUS(params);
  const sum = new Float64Array(6);
  const sumSq = new Float64Array(6);
  for (let t = 0; t < T; t++) {
    const before = Float64Array.from(a.conductanceUS);
    const r = applyOuterProductUpdate(a, block, x, d, cfg, createRng(`mc${t}`));
    assert.is(r.counts.phases.length, 4);
    for (let m = 0; m < 6; m++) {
      const dg = (a.conductanceUS[m] - before[m]) / step;
      sum[m] += dg;
      sumSq[m] += dg * dg;
    }
  }
  const drift = expectedHalfSelectDriftSteps(k, bl, p);
  const [pp, qq] = [0.5, 0.5];
  const own = pp + qq - 2 * pp * qq;
  const eY = pp * qq + k * own;
  const varActive = bl * (pp * qq + k * k * own - eY * eY) + k * k * bl * pp * (1 - pp) + k * k * bl * qq * (1 - qq);
  const varIdle = 2 * k * k * bl * pp * (1 - pp);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      const m = i * 3 + j;
      const dir = Math.sign(x[i] * d[j]);
      const handDrift = j < 2 ? -2 * k * bl * pp * qq * dir : 0;
      assert.ok(Math.abs(drift[m] - handDrift) < 1e-12, `(${i},${j}) documented drift ${drift[m]} vs hand ${handDrift}`);
      const want = dir * bl * pp * qq + drift[m];
      const v = j < 2 ? varActive : varIdle;
      const se = Math.sqrt(v / T);
      const got = sum[m] / T;
      assert.ok(Math.abs(got - want) < 5 * se, `(${i},${j}) mean ΔG ${got} vs ${want} steps, s.e. ${se}`);
      // Sample variance against the derived one: its s.e. is σ²·√((2 + κ)/T), κ the excess kurtosis of one update's ΔG
      // (|κ| < 1 here: sums of ≥ 10 Bernoulli slots), so 5·σ²·√(3/T) bounds a 5-s.e. deviation. One train shared by
      // the phases would make the idle device's two half-select bursts cancel exactly (variance 0).
      const sv = (sumSq[m] - T * got * got) / (T - 1);
      assert.ok(Math.abs(sv - v) < 5 * v * Math.sqrt(3 / T), `(${i},${j}) variance ${sv} vs ${v}`);
    }
  }
});

test("half-selects: same seed gives a bit-identical array and counts, another seed differs", () => {
  // Chip preset: D2D draws, C2C noise, k = 0.01 and stuck devices all take part.
  const x = [0.9, -0.4, 0.2, -0.7, 0, 0.5];
  const d = [0.3, -0.8, 0, 0.6, -0.1];
  const cfg = { learningRate: 0.05, bl: 15, dwMin: 0.02 };
  const run = (tag: string) => {
    const a = new CrosspointArray(ECRAM_4K_CHIP, 6, 5, createRng("same-d2d"));
    const block = { rowIdx: [0, 1, 2, 3, 4, 5], colIdx: [0, 1, 2, 3, 4] };
    const nets: number[] = [];
    for (let t = 0; t < 20; t++) nets.push(...applyOuterProductUpdate(a, block, x, d, cfg, createRng(`${tag}${t}`)).counts.halfSelectedNet);
    return { g: Array.from(a.conductanceUS), full: Array.from(a.fullPulses), half: Array.from(a.halfPulses), nets };
  };
  const one = run("s");
  const two = run("s");
  assert.equal(one.g, two.g);
  assert.equal(one.full, two.full);
  assert.equal(one.half, two.half);
  assert.equal(one.nets, two.nets);
  const other = run("t");
  assert.not.equal(other.g, one.g);
  assert.not.equal(other.half, one.half);
});

test("half-selects: k = 0 gives exactly the coincidence-only update; k > 0 adds exactly k·ΔG₀ per net half-select", () => {
  // Ideal device far from its bounds (nStates = 1000, 20 updates of a few steps): per update
  // ΔG = (signed coincidences + k·net signed half-selects)·ΔG₀, with k = 0 the coincidences alone.
  const x = [0.8, -0.5, 0, 0.3];
  const d = [0.6, -0.2, 0, -0.9, 0.4];
  for (const k of [0, 0.05]) {
    const params = { ...ECRAM_4K_IDEAL, nStates: 1000, halfSelectFraction: k };
    const a = new CrosspointArray(params, 4, 5, createRng(1));
    const block = { rowIdx: [0, 1, 2, 3], colIdx: [0, 1, 2, 3, 4] };
    const step = nominalStepUS(params);
    let halfs = 0;
    let nets = 0;
    for (let t = 0; t < 20; t++) {
      const before = Float64Array.from(a.conductanceUS);
      const r = applyOuterProductUpdate(a, block, x, d, { learningRate: 0.02, bl: 20, dwMin: a.dwMin }, createRng(`k${t}`));
      for (let m = 0; m < 20; m++) {
        const want = (r.counts.coincidences[m] + k * r.counts.halfSelectedNet[m]) * step;
        assert.ok(Math.abs(a.conductanceUS[m] - before[m] - want) < 1e-12, `k = ${k}, update ${t}, device ${m}: ${a.conductanceUS[m] - before[m]} vs ${want}`);
        halfs += r.counts.halfSelected[m];
        nets += Math.abs(r.counts.halfSelectedNet[m]);
      }
    }
    assert.ok(halfs > 0 && nets > 0, "precondition: half-selects happened and did not all cancel");
    assert.is(a.halfPulses.reduce((s, v) => s + v, 0), halfs, "half-selects counted also at k = 0");
  }
});

test("half-selects: stuck devices keep their conductance but count full pulses and half-selects", () => {
  // failureProbability 0.5: a mix of stuck and working devices (precondition). Certain trains, BL = 3.
  const params = { ...ECRAM_4K_IDEAL, failureProbability: 0.5, halfSelectFraction: 0.1 };
  const a = new CrosspointArray(params, 4, 4, createRng(7));
  const stuck = Array.from(a.functional).filter((f) => f === 0).length;
  assert.ok(stuck > 0 && stuck < 16, `precondition: ${stuck} stuck of 16`);
  const block = { rowIdx: [0, 1, 2, 3], colIdx: [0, 1, 2, 3] };
  const before = Float64Array.from(a.conductanceUS);
  const r = applyOuterProductUpdate(a, block, [1, -1, 1, -1], [1, -1, 0, 1], certain(3, a.dwMin), createRng(8));
  const step = nominalStepUS(params);
  for (let m = 0; m < 16; m++) {
    assert.is(a.fullPulses[m], Math.abs(r.counts.coincidences[m]), `device ${m}: full pulses counted`);
    assert.is(a.halfPulses[m], r.counts.halfSelected[m], `device ${m}: half-selects counted`);
    assert.ok(a.halfPulses[m] > 0, `device ${m}: precondition, half-selected`);
    const want = a.functional[m] ? (r.counts.coincidences[m] + 0.1 * r.counts.halfSelectedNet[m]) * step : 0;
    assert.ok(Math.abs(a.conductanceUS[m] - before[m] - want) < 1e-12, `device ${m} (${a.functional[m] ? "working" : "stuck"}): ΔG ${a.conductanceUS[m] - before[m]} vs ${want}`);
  }
  // The array-level call alone: a stuck device ignores a signed batch but counts |count|.
  const s = Array.from(a.functional).indexOf(0);
  const g = a.conductanceUS[s];
  const h = a.halfPulses[s];
  a.halfSelect(Math.floor(s / 4), s % 4, -7);
  assert.is(a.conductanceUS[s], g);
  assert.is(a.halfPulses[s], h + 7);
});

test.run();
