import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { idealColumnCurrentsUA, solveIrDrop } from "../src/array/ir-drop";
import { CrosspointArray, selectFunctionalBlock } from "../src/array/crosspoint-array";
import { halfSelectWalkSpreadSteps } from "../src/array/stochastic-update";
import { nominalStepUS } from "../src/devices/ecram-4k-chip";
import { backwardVmm, forwardVmm, IDEAL_PERIPHERY, CHIP_PERIPHERY, validatePeriphery } from "../src/array/vmm";
import { applyOuterProductUpdate } from "../src/array/outer-product-update";
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

test("half-select disturb with k > 0 spreads idle devices without a mean drift", () => {
  const p = { ...ECRAM_4K_IDEAL, halfSelectFraction: 0.05 };
  const a = new CrosspointArray(p, 200, 1, createRng(1));
  const block = { rowIdx: Array.from({ length: 200 }, (_, i) => i), colIdx: [0] };
  applyOuterProductUpdate(a, block, new Array(200).fill(1), [0], { learningRate: 0.01, bl: 31, dwMin: a.dwMin }, createRng(2));
  const w = block.rowIdx.map((i) => a.weight(i, 0));
  const m = w.reduce((s, v) => s + v, 0) / w.length;
  const sd = Math.sqrt(w.reduce((s, v) => s + (v - m) ** 2, 0) / (w.length - 1));
  assert.ok(sd > 0, "disturbed");
  // Mean of 200 draws of std sd: 5σ bound on the mean, false failure < 1e-6.
  assert.ok(Math.abs(m) < (5 * sd) / Math.sqrt(200), `mean drift ${m}`);
});

test("read disturb moves G in the read polarity", () => {
  const a = new CrosspointArray({ ...ECRAM_4K_IDEAL, readDisturbFraction: 0.1 }, 1, 1, createRng(1));
  const g0 = a.conductanceUS[0];
  a.readDisturb(0, 0, 1);
  assert.ok(a.conductanceUS[0] > g0);
  a.readDisturb(0, 0, -2);
  assert.ok(a.conductanceUS[0] < g0);
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

test("half-select walk: the array's drift after n half-selects has spread k·√n steps (halfSelectWalkSpreadSteps), in one batch or one by one", () => {
  // k = 0.05 and n = 400: spread k·√n = 1 step ΔG₀, far from the window's ±50-step bounds, so clipping never acts.
  const params = { ...ECRAM_4K_IDEAL, halfSelectFraction: 0.05 };
  const [rows, n] = [2000, 400];
  const spread = halfSelectWalkSpreadSteps(params.halfSelectFraction, n);
  assert.ok(Math.abs(spread - 1) < 1e-12, "0.05·√400 = 1 by hand");
  for (const batched of [true, false]) {
    const a = new CrosspointArray(params, rows, 1, createRng("walk"));
    const start = Float64Array.from(a.conductanceUS);
    const rng = createRng(`walk/${batched}`);
    for (let i = 0; i < rows; i++) {
      if (batched) a.halfSelect(i, 0, n, rng);
      else for (let t = 0; t < n; t++) a.halfSelect(i, 0, 1, rng);
    }
    const steps = Array.from(a.conductanceUS, (g, k) => (g - start[k]) / nominalStepUS(params));
    const m = steps.reduce((s, v) => s + v, 0) / rows;
    const sd = Math.sqrt(steps.reduce((s, v) => s + (v - m) ** 2, 0) / (rows - 1));
    // Mean 0 within 5 standard errors (σ/√rows); the sample std within 5 of its standard errors (σ/√(2(rows − 1))).
    assert.ok(Math.abs(m) < (5 * spread) / Math.sqrt(rows), `${batched ? "batched" : "one by one"}: mean drift ${m} steps`);
    assert.ok(Math.abs(sd - spread) < (5 * spread) / Math.sqrt(2 * (rows - 1)), `${batched ? "batched" : "one by one"}: spread ${sd} vs ${spread} steps`);
    assert.ok(a.halfPulses.every((c) => c === n), "every device counted n half-selects");
  }
  assert.throws(() => halfSelectWalkSpreadSteps(1.5, 4), /half-select fraction k/);
  assert.throws(() => halfSelectWalkSpreadSteps(0.1, -1), /half-select count n/);
});

test.run();
