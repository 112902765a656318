/**
 * The hardware-mapping steps of notebooks 04 and 05 that feed registry values, and the helpers around them:
 * - onHiddenGrid (yang.nn.params): hand cases on the uniform n-bit grid within ±bound;
 * - mapContinualToHardware (notebook 05's mapping tables and the weights yang.nn.params checks): accuracies recounted
 *   with `evaluate` from the programmed weights, pulses and traces cross-checked against the returned devices;
 * - programFromFloor (Fig 6h,k): floor, verify tolerance, and the circuit quantities at every pulse;
 * - mapXorToHardware (yang.xor.hardware_accuracy): accuracy recounted from the returned predictions, pulses summed.
 * programLayer itself (targets, carrier/idle devices) is tested in test/hardware-mapping.test.ts; training of the
 * runs in test/xor-mtt.test.ts and test/continual-small.test.ts. Runs here are tiny (a few epochs on 100–200 points).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { mapContinualToHardware, onHiddenGrid, programFromFloor, runContinualSmall, type ContinualRun, type ContinualSmallConfig } from "../src/experiments/continual-small";
import { mapXorToHardware, trainXorRun, type XorConfig } from "../src/experiments/xor-mtt";
import { mttHardware, programLayer, type MttTechnology } from "../src/nn/hardware-mapping";
import { evaluate } from "../src/nn/train";
import { ecramMttTransfer } from "../src/mtt/network-transfer";
import { inferenceCurrentUA, referenceCurrentUA } from "../src/mtt/circuit";
import { createRng } from "../src/util/rng";

const TECHS: MttTechnology[] = ["ECRAM-MTT", "RRAM-MTT"];
/** The 3-bit levels within ±1, by hand: step 2/7, no zero level. */
const LEVELS3 = [-1, -5 / 7, -3 / 7, -1 / 7, 1 / 7, 3 / 7, 5 / 7, 1];
/** Nearest 3-bit level of a hidden weight (argmin over the hand-written levels; beyond ±1 the outer level). */
const nearestLevel3 = (v: number): number => LEVELS3.reduce((best, l) => (Math.abs(l - v) < Math.abs(best - v) ? l : best));

// ───────────────────────────── onHiddenGrid (yang.nn.params) ─────────────────────────────

test("onHiddenGrid: every 3-bit level within ±1 is on the grid, also after rounding to float32", () => {
  assert.ok(onHiddenGrid(LEVELS3, 3));
  assert.ok(onHiddenGrid(Float32Array.from(LEVELS3), 3)); // fround error ≤ 2^-25 ≈ 3e-8 near 1
  // A value off by one float32 ulp at 1 (≈ 6e-8) or 1e-7 still counts; the mid-points and other values do not.
  assert.ok(onHiddenGrid([3 / 7 + 1e-7, -5 / 7 - 1e-7, 1 - 6e-8], 3));
  assert.not.ok(onHiddenGrid([3 / 7 + 1e-5], 3), "1e-5 off a level is off the grid");
  assert.not.ok(onHiddenGrid([0], 3), "0 lies midway between ±1/7, not a level");
  assert.not.ok(onHiddenGrid([2 / 7], 3), "2/7 lies midway between 1/7 and 3/7");
  assert.not.ok(onHiddenGrid([0.2], 3));
  // One bad value anywhere spoils the whole set (here the last of eight).
  assert.not.ok(onHiddenGrid([...LEVELS3.slice(0, 7), 0.9], 3));
  assert.not.ok(onHiddenGrid([0.9, ...LEVELS3], 3));
  assert.throws(() => onHiddenGrid([], 3), /no values/, "no values: nothing was checked, so no verdict");
  assert.not.ok(onHiddenGrid([NaN], 3), "NaN is no level (it used to pass: every comparison with NaN is false)");
  assert.not.ok(onHiddenGrid([1 / 7, NaN], 3));
});

test("onHiddenGrid: values beyond ±bound are off the grid, even where the grid spacing would continue", () => {
  // −9/7 = −1 − 2/7 would be the next level of an unbounded 3-bit grid.
  assert.not.ok(onHiddenGrid([-9 / 7], 3));
  assert.not.ok(onHiddenGrid([1 + 1e-5], 3));
  assert.not.ok(onHiddenGrid([1.5, 1], 3));
  assert.not.ok(onHiddenGrid([Infinity], 3));
  assert.not.ok(onHiddenGrid([-Infinity], 3));
});

test("onHiddenGrid: the grid follows bits and bound (1, 2, 4 bits; bound 2)", () => {
  // 1 bit: only ±1.
  assert.ok(onHiddenGrid([1, -1, 1], 1));
  assert.not.ok(onHiddenGrid([1 / 7], 1));
  assert.not.ok(onHiddenGrid([0], 1));
  // 2 bits: ±1, ±1/3 (step 2/3). ±1/3 is not a 3-bit level and 1/7 is not a 2-bit level.
  assert.ok(onHiddenGrid([-1, -1 / 3, 1 / 3, 1], 2));
  assert.not.ok(onHiddenGrid([1 / 7], 2));
  assert.not.ok(onHiddenGrid([1 / 3], 3));
  // 4 bits: step 2/15; 7/15 = −1 + 11·(2/15) is a level, 3/7 is not (nearest 7/15, 0.038 away).
  assert.ok(onHiddenGrid([7 / 15, -13 / 15, 1, -1], 4));
  assert.not.ok(onHiddenGrid([3 / 7], 4));
  // Bound 2, 2 bits: ±2, ±2/3. The bound-1 levels ±1, ±1/3 are not on it, and ±2 is beyond bound 1.
  assert.ok(onHiddenGrid([2, -2 / 3, 2 / 3, -2], 2, 2));
  assert.not.ok(onHiddenGrid([1], 2, 2));
  assert.not.ok(onHiddenGrid([1 / 3], 2, 2));
  assert.not.ok(onHiddenGrid([2], 2));
  // Bound 0.5, 3 bits: levels are the bound-1 levels halved.
  assert.ok(onHiddenGrid(LEVELS3.map((l) => l / 2), 3, 0.5));
  assert.not.ok(onHiddenGrid([1], 3, 0.5));
});

test("onHiddenGrid: an invalid bit count or bound throws a RangeError naming it", () => {
  for (const bits of [0, -1, 2.5, 25, NaN]) assert.throws(() => onHiddenGrid([1], bits), (e: unknown) => e instanceof RangeError && /hiddenBits/.test(String(e)), `bits ${bits}`);
  assert.throws(() => onHiddenGrid([1], 3, -1), (e: unknown) => e instanceof RangeError && /hiddenBound/.test(String(e)), "bound −1");
  assert.throws(() => onHiddenGrid([1], 3, NaN), (e: unknown) => e instanceof RangeError && /hiddenBound/.test(String(e)), "bound NaN");
  assert.throws(() => onHiddenGrid([0], 3, 0), (e: unknown) => e instanceof RangeError && /hiddenBound/.test(String(e)), "bound 0");
});

// ───────────────────────────── mapContinualToHardware ─────────────────────────────

const CL: ContinualSmallConfig = {
  seeds: [3], tasks: ["Data-A", "Data-B", "Data-C"], trainCount: 100, testCount: 60, epochsPerTask: 3, batchSize: 10,
  lr: 0.005, meta: 10, hiddenBits: 3, transfer: ecramMttTransfer(), bnInit: "previous-task",
};
let clRun: ContinualRun | undefined;
const continualRun = (): ContinualRun => (clRun ??= runContinualSmall(CL, 3, CL.meta));

/**
 * Every layer of `run` programmed as the notebook does (one rng per technology and restart, forked per layer, traces
 * for layer 0), but with the quantization done by hand. The caller checks that the first layer equals the returned
 * one, so a different seeding shows up as a failed cross-check, not as a silently different recount.
 */
function reprogram(run: ContinualRun, technology: MttTechnology) {
  const hw = mttHardware(technology);
  const rng = createRng(`continual-small/${run.seed}/${technology}/programming`);
  return run.net.hidden.map((h, l) => programLayer(hw, Float32Array.from(h, nearestLevel3), rng.fork(`layer${l}`), { traces: l === 0 }));
}

for (const technology of TECHS) {
  test(`${technology} mapContinualToHardware: the first layer's 3-bit targets, the per-device pulses of all layers, and accuracies recounted with evaluate`, () => {
    const run = continualRun();
    const m = mapContinualToHardware(CL, run, technology);
    assert.is(m.technology, technology);
    // The returned layer is the first (2×3) one, and what was programmed is its nearest 3-bit levels (yang.nn.params).
    assert.equal(Array.from(m.layer.targetHidden), Array.from(run.net.hidden[0], (v) => Math.fround(nearestLevel3(v))));
    assert.ok(onHiddenGrid(m.layer.targetHidden, 3));
    assert.is(m.layer.devices.length, 2 * 6);
    const layers = reprogram(run, technology);
    assert.equal(m.layer.devices, layers[0].devices, "first layer reproduced");
    // pulsesPerDevice: every device of every layer in order, 2 per weight: 2·(6 + 3) = 18.
    assert.equal(m.pulsesPerDevice, layers.flatMap((l) => l.devices.map((d) => d.pulses)));
    assert.is(m.pulsesPerDevice.length, 18);
    // Hardware: all layers' programmed inference weights, each task with its own stored (running) BatchNorm statistics.
    const hwWeights = [m.layer.inferenceWeights, layers[1].inferenceWeights];
    const hw = run.tests.map((d, j) => evaluate(run.net, d, { task: j, weights: hwWeights, bnMode: "running" }).accuracy);
    const sw = run.tests.map((d, j) => evaluate(run.net, d, { task: j, bnMode: "running" }).accuracy);
    assert.equal(m.hardwareAccuracy, hw);
    assert.equal(m.softwareAccuracy, sw);
    // The fixture discriminates: programmed weights ≠ software weights in accuracy, running ≠ batch statistics, and the
    // per-task BatchNorm states give different accuracies from task 0's state (otherwise the recount above proves little).
    assert.ok(hw.some((a, j) => a !== sw[j]), `hardware ${hw} vs software ${sw}`);
    const batch = run.tests.map((d, j) => evaluate(run.net, d, { task: j, weights: hwWeights, bnMode: "batch" }).accuracy);
    assert.ok(batch.some((a, j) => a !== hw[j]), `batch ${batch} vs running ${hw}`);
    const task0 = run.tests.map((d) => evaluate(run.net, d, { task: 0, weights: hwWeights, bnMode: "running" }).accuracy);
    assert.ok(task0.some((a, j) => a !== hw[j]), `task-0 BatchNorm ${task0} vs own ${hw}`);
  });

  test(`${technology} mapContinualToHardware: traces are the first layer's devices, named by weight and side, with the circuit quantities`, () => {
    const run = continualRun();
    const m = mapContinualToHardware(CL, run, technology);
    const hw = mttHardware(technology);
    const c = hw.unit.circuit;
    // One trace per first-layer device, pulse 0 = initial state … pulse n = final state, n = the device's pulses.
    assert.is(m.traces.length, m.layer.devices.reduce((a, d) => a + d.pulses + 1, 0));
    let k = 0;
    for (const d of m.layer.devices) {
      const name = `w${d.weightIndex + 1} ${d.side === "positive" ? "+" : "−"}`;
      const pts = m.traces.slice(k, k + d.pulses + 1);
      k += d.pulses + 1;
      pts.forEach((p, i) => {
        assert.is(p.device, name);
        assert.is(p.technology, technology);
        assert.is(p.pulse, i);
        // Kirchhoff at the divider node: memory current = reference current; the read current is the gate at V_n, drain +V_d.
        const iMem = c.memoryRead.currentUA(p.conductanceUS, c.readBiasV - p.nodeVoltageV);
        assert.ok(Math.abs(iMem - referenceCurrentUA(c, p.nodeVoltageV)) <= 1e-9 * Math.max(1, iMem), `${name} pulse ${i}: ${iMem} vs ${referenceCurrentUA(c, p.nodeVoltageV)}`);
        assert.is(p.inferenceCurrentUA, inferenceCurrentUA(c, p.nodeVoltageV, 1));
      });
      assert.is(pts[0].conductanceUS, d.initialUS);
      assert.is(pts[pts.length - 1].conductanceUS, d.finalUS);
    }
    // Names cover the six first-layer weights on both sides, nothing of the second layer (w7…w9).
    assert.equal([...new Set(m.traces.map((p) => p.device))].sort(), ["w1 +", "w1 −", "w2 +", "w2 −", "w3 +", "w3 −", "w4 +", "w4 −", "w5 +", "w5 −", "w6 +", "w6 −"]);
    // The split fields name the same device: "w3 −" is weight w3, pair side G−.
    assert.ok(m.traces.every((p) => p.device === `${p.weight} ${p.pairSide === "G+" ? "+" : "−"}`), "weight and pairSide agree with device");
  });
}

test("mapContinualToHardware: deterministic per (restart, technology); another restart seed or technology programs differently", () => {
  const run = continualRun();
  const a = mapContinualToHardware(CL, run, "ECRAM-MTT");
  const b = mapContinualToHardware(CL, run, "ECRAM-MTT");
  assert.equal(b.layer.devices, a.layer.devices);
  assert.equal(b.pulsesPerDevice, a.pulsesPerDevice);
  assert.equal(b.hardwareAccuracy, a.hardwareAccuracy);
  const other = mapContinualToHardware(CL, { ...run, seed: run.seed + 100 }, "ECRAM-MTT");
  assert.ok(other.layer.devices.some((d, i) => d.initialUS !== a.layer.devices[i].initialUS), "random initial states depend on the restart seed");
  assert.equal(Array.from(other.layer.targetHidden), Array.from(a.layer.targetHidden), "same weights, same targets");
});

// ───────────────────────────── programFromFloor ─────────────────────────────

for (const technology of TECHS) {
  test(`${technology} programFromFloor: starts at the device floor, ends within the verify tolerance of G_e,min + |h|·(G_e,max − G_e,min); V_n and I_ts at each pulse`, () => {
    const hw = mttHardware(technology);
    const { gMinUS, gMaxUS } = hw.unit.window;
    const floor = hw.newDevice().gMinUS;
    const c = hw.unit.circuit;
    for (const h of [3 / 7, 5 / 7, 1]) {
      const tr = programFromFloor(technology, h);
      const target = gMinUS + h * (gMaxUS - gMinUS);
      assert.ok(tr.length > 1, `h ${h}: pulses applied`);
      assert.is(tr[0].conductanceUS, floor, `h ${h}: starts at the floor`);
      const end = tr[tr.length - 1].conductanceUS;
      // Verify reads carry the device's relative read noise ρ (0.2 % for the ECRAM, none for the TaOx model): the run
      // stops at the first read within tolerance, so the true state is within tolerance ± 5ρ·G (5σ) at the end, and
      // every earlier state outside tolerance − 5ρ·G.
      const readSlack = 5 * ((hw.newDevice() as { params?: { readNoiseRelative?: number } }).params?.readNoiseRelative ?? 0) * target;
      assert.ok(Math.abs(end - target) <= hw.scheme.toleranceUS + readSlack, `h ${h}: ends at ${end}, target ${target} ± ${hw.scheme.toleranceUS}`);
      tr.slice(0, -1).forEach((p) => assert.ok(Math.abs(p.conductanceUS - target) > hw.scheme.toleranceUS - readSlack, `h ${h}: pulse ${p.pulse} already at ${p.conductanceUS}`));
      tr.forEach((p, i) => {
        assert.is(p.pulse, i);
        assert.is(p.technology, technology);
        assert.is(p.device, `from floor to |W_h| = ${h.toFixed(3)}`);
        const iMem = c.memoryRead.currentUA(p.conductanceUS, c.readBiasV - p.nodeVoltageV);
        assert.ok(Math.abs(iMem - referenceCurrentUA(c, p.nodeVoltageV)) <= 1e-9 * Math.max(1, iMem), `h ${h} pulse ${i}: Kirchhoff`);
        assert.ok(p.nodeVoltageV > 0 && p.nodeVoltageV < c.readBiasV);
        assert.is(p.inferenceCurrentUA, inferenceCurrentUA(c, p.nodeVoltageV, 1));
      });
      // V_n and I_ts rise with G (divider): order the points by G and both sequences are non-decreasing.
      const byG = [...tr].sort((a, b) => a.conductanceUS - b.conductanceUS);
      for (let i = 1; i < byG.length; i++) {
        assert.ok(byG[i].nodeVoltageV >= byG[i - 1].nodeVoltageV && byG[i].inferenceCurrentUA >= byG[i - 1].inferenceCurrentUA, `h ${h}: monotone in G`);
      }
    }
  });

  test(`${technology} programFromFloor: a negative hidden weight programs |h|; same seed identical, another seed differs`, () => {
    const a = programFromFloor(technology, 3 / 7, 5);
    assert.equal(programFromFloor(technology, 3 / 7, 5), a);
    assert.equal(programFromFloor(technology, -3 / 7, 5), a);
    const b = programFromFloor(technology, 3 / 7, 6);
    assert.ok(b.length !== a.length || b.some((p, i) => p.conductanceUS !== a[i].conductanceUS), "the device noise follows the seed");
    assert.is(b[0].conductanceUS, a[0].conductanceUS, "same floor");
  });
}

test("programFromFloor: the larger the hidden weight, the higher the end conductance (targets 1/7 < 3/7 < 5/7 < 1 are ≥ 7 µS apart)", () => {
  // ECRAM window (≈0.11, 50) µS: level spacing (2/7)·49.9/2 ≈ 7.1 µS > 2 × tolerance 0.5 µS, so the ends are ordered.
  const ends = [1 / 7, 3 / 7, 5 / 7, 1].map((h) => programFromFloor("ECRAM-MTT", h).at(-1)!.conductanceUS);
  for (let i = 1; i < ends.length; i++) assert.ok(ends[i] > ends[i - 1], `${ends}`);
  // Beyond ±1 there is no conductance to aim at: the error names the hidden weight, not the write-verify target.
  for (const h of [1.5, -1.01, NaN]) assert.throws(() => programFromFloor("RRAM-MTT", h), /hidden \(\|W_h\|\)/, `h = ${h}`);
});

// ───────────────────────────── mapXorToHardware (yang.xor.hardware_accuracy) ─────────────────────────────

// A short run whose programmed weights change two test predictions and whose BatchNorm modes differ, so the checks below
// can tell hardware from software predictions (picked by scanning seeds 1–6 and 2–4 epochs for that property).
const XOR: XorConfig = {
  seeds: [2], trainCount: 200, testCount: 100, epochs: 3, batchSize: 20, lr: 0.005, meta: 10, hiddenBits: 3,
  transfer: ecramMttTransfer(), technology: "ECRAM-MTT", hardwareBnMode: "running",
};

test("mapXorToHardware: accuracy recounted from the returned predictions against the test labels; software = evaluate of the net", () => {
  const run = trainXorRun(XOR, 2);
  for (const bnMode of ["running", "batch"] as const) {
    const cfg = { ...XOR, hardwareBnMode: bnMode };
    const h = mapXorToHardware(cfg, run);
    assert.is(h.seed, 2);
    assert.is(h.predictions.length, run.test.count);
    let correct = 0;
    for (let i = 0; i < run.test.count; i++) if (h.predictions[i] === run.test.y[i]) correct++;
    assert.is(h.hardwareTestAccuracy, correct / run.test.count, `${bnMode}: recount`);
    // The predictions are the net's through the programmed weights of both layers, with the configured BatchNorm mode.
    const weights = h.layers.map((l) => l.inferenceWeights);
    assert.equal(Array.from(h.predictions), Array.from(evaluate(run.net, run.test, { task: 0, weights, bnMode }).predictions), `${bnMode}: predictions`);
    assert.is(h.softwareTestAccuracy, evaluate(run.net, run.test, { task: 0, bnMode }).accuracy, `${bnMode}: software`);
    // Two layers (2×3, 3×1) of 3-bit targets, two devices per weight.
    assert.equal(h.layers.map((l) => l.devices.length), [12, 6]);
    h.layers.forEach((l, k) => assert.equal(Array.from(l.targetHidden), Array.from(run.net.hidden[k], (v) => Math.fround(nearestLevel3(v))), `layer ${k} targets`));
  }
  // The fixture discriminates: hardware ≠ software predictions, and the two BatchNorm modes differ in software.
  const h = mapXorToHardware(XOR, run);
  const sw = evaluate(run.net, run.test, { task: 0, bnMode: "running" });
  assert.ok(h.predictions.some((p, i) => p !== sw.predictions[i]), "programmed weights change some prediction");
  assert.ok(h.hardwareTestAccuracy !== sw.accuracy, `${h.hardwareTestAccuracy} vs ${sw.accuracy}`);
  assert.ok(evaluate(run.net, run.test, { task: 0, bnMode: "batch" }).accuracy !== sw.accuracy, "batch ≠ running");
});

test("mapXorToHardware: totalPulses sums every device of both layers; deterministic; traces only add the trajectories; seeded by the restart", () => {
  const run = trainXorRun(XOR, 2);
  const a = mapXorToHardware(XOR, run);
  const manual = a.layers[0].devices.concat(a.layers[1].devices).reduce((s, d) => s + d.pulses, 0);
  assert.is(a.totalPulses, manual);
  assert.ok(a.layers[1].devices.some((d) => d.pulses > 0), "layer 2 pulses are part of the sum");
  const b = mapXorToHardware(XOR, run);
  assert.equal(b.layers, a.layers);
  assert.equal(Array.from(b.predictions), Array.from(a.predictions));
  const t = mapXorToHardware(XOR, run, { traces: true });
  assert.ok(t.layers.every((l) => l.devices.every((d) => d.trace !== undefined && d.trace.length === d.pulses + 1 && d.trace[0] === d.initialUS && d.trace[d.pulses] === d.finalUS)));
  assert.equal(t.layers.map((l) => l.devices.map((d) => [d.finalUS, d.pulses])), a.layers.map((l) => l.devices.map((d) => [d.finalUS, d.pulses])));
  assert.is(t.hardwareTestAccuracy, a.hardwareTestAccuracy);
  const other = mapXorToHardware(XOR, { ...run, seed: 1002 });
  assert.ok(other.layers[0].devices.some((d, i) => d.initialUS !== a.layers[0].devices[i].initialUS), "programming rng follows the restart seed");
  // RRAM-MTT programs the same targets with its own window: different conductances, same 3-bit targets.
  const r = mapXorToHardware({ ...XOR, technology: "RRAM-MTT" }, run);
  assert.equal(Array.from(r.layers[0].targetHidden), Array.from(a.layers[0].targetHidden));
  const rw = mttHardware("RRAM-MTT").unit.window;
  r.layers[0].devices.filter((d) => d.carriesWeight).forEach((d) => {
    const h = Math.abs(r.layers[0].targetHidden[d.weightIndex]);
    assert.ok(Math.abs(d.targetUS - (rw.gMinUS + h * (rw.gMaxUS - rw.gMinUS))) < 1e-9, `RRAM target ${d.targetUS}`);
  });
});

test.run();
