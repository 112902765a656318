import { test } from "uvu";
import * as assert from "uvu/assert";
import { copyBatchNorm, failureBreakdown, metaplasticityPreventsForgetting, firstLayerGradientGeometry, floorProgrammingTarget, fromFirstTraining, handSetJointNetwork, lastTaskFlipTotals, runContinualSmall, type ContinualSmallConfig, lastTaskFlips, lowestFinalTasks, maxProgrammingGapPp, programmingErrorBreakdown, type ContinualPoint, readoutLossAttribution, roundToLevelsStochastic, summarizeRestarts, restartSummaryColumns, writeVerifySummary, type HardwareMapping, unitProjections, type ContinualRun } from "../src/experiments/continual-small";
import { ecramMttTransfer } from "../src/mtt/network-transfer";
import { hiddenLevels } from "../src/nn/quantizers";
import { createNetwork } from "../src/nn/network";
import { evaluate } from "../src/nn/train";
import { toyDataset } from "../src/nn/datasets/toy2d";
import { makeDataset } from "../src/nn/datasets/dataset";
import { idealSign } from "../src/mtt/transfer-function";
import { createRng } from "../src/util/rng";
import { adamStep, fMeta, initAdam, type ParamSlot } from "../src/nn/metaplastic-adam";
import { TAOX_RRAM } from "../src/devices/taox-rram";
import { ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import { ecramMttHardware, mttHardware, type MttTechnology } from "../src/nn/hardware-mapping";
import { RRAM_WRITE_VERIFY } from "../src/mtt/rram-programming";
import { ECRAM_MTT_OPERATING_POINT, RRAM_MTT_OPERATING_POINT } from "../src/mtt/presets";

test("one restart's curve and hidden-weight trace: global epochs 1 … tasks × epochsPerTask, every task evaluated after each", () => {
  const cfg: ContinualSmallConfig = {
    seeds: [1], tasks: ["Data-A", "Data-B"], trainCount: 40, testCount: 20, epochsPerTask: 2, batchSize: 10,
    lr: 0.005, meta: 10, hiddenBits: 3, transfer: idealSign,
  };
  const run = runContinualSmall(cfg, 1, cfg.meta);
  // Epoch 1 and 2 train Data-A, 3 and 4 Data-B; after each, both tasks are evaluated.
  assert.equal(run.curve.map((p) => `${p.epoch}:${p.trainingTask}>${p.evalTask}`), ["1:Data-A>Data-A", "1:Data-A>Data-B", "2:Data-A>Data-A", "2:Data-A>Data-B", "3:Data-B>Data-A", "3:Data-B>Data-B", "4:Data-B>Data-A", "4:Data-B>Data-B"]);
  // One trace entry per layer (2×3×1: two layers) per epoch, the mean |W_h| of that layer.
  assert.equal(run.hiddenTrace.map((t) => `${t.epoch}/${t.layer}`), ["1/0", "1/1", "2/0", "2/1", "3/0", "3/1", "4/0", "4/1"]);
  const last = run.hiddenTrace.filter((t) => t.epoch === 4);
  run.net.hidden.forEach((h, layer) => assert.ok(Math.abs(last[layer].meanAbsHidden - h.reduce((a, w) => a + Math.abs(w), 0) / h.length) < 1e-6, `layer ${layer}`));
});

test("unitProjections: hand-computed signs and guard magnitudes (2×3, row-major in×out)", () => {
  // unit 0: (+0.5, +0.2) → x1+x2, guard 0.2; unit 1: (−0.7, +0.1) → x1−x2, guard 0.1; unit 2: (0, −0.3) → sign(0) = +1 → x1−x2, guard 0
  const p = unitProjections([0.5, -0.7, 0, 0.2, 0.1, -0.3], 3);
  assert.equal(p.map((u) => u.projection), ["x1+x2", "x1−x2", "x1−x2"]);
  assert.ok(Math.abs(p[0].guardMagnitude - 0.2) < 1e-12 && Math.abs(p[1].guardMagnitude - 0.1) < 1e-12 && p[2].guardMagnitude === 0);
  assert.throws(() => unitProjections([1, 2, 3], 3), /firstLayer must hold 2×3/);
});

test("per-task BatchNorm with batch statistics makes a task's decisions invariant to translating its data", () => {
  // z = x·W_b; BN subtracts the batch mean, so x → x + c changes nothing (up to float rounding).
  const net = createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3 }, createRng("inv"));
  const d = toyDataset("Data-B", 300, createRng("inv-data"));
  const shifted = Float32Array.from(d.x, (v, i) => v + (i % 2 === 0 ? 0.75 : -1.25));
  const a = evaluate(net, d, { task: 0 }).predictions;
  const b = evaluate(net, makeDataset("shifted", shifted, d.y, 2, 2), { task: 0 }).predictions;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  // A sample can only change class if it sits within float rounding of a BatchNorm threshold: allow 1 of 300.
  assert.ok(same >= a.length - 1, `${same}/${a.length}`);
});

test("metaplastic ratchet: under zero-mean random gradients m = 10 drives |W_h| outward, m = 0 does not", () => {
  // 2000 weights from U(−0.05, 0.05), 1500 Adam steps (lr 0.005) with i.i.d. ±1 gradients (no information).
  // m = 0: an unbiased random walk. With g² = 1 the bias-corrected second moment is exactly 1, so step t moves W by
  // −lr·m̂_t, m̂_t = (1 − β₁)·Σ_{s≤t} β₁^(t−s)·g_s / (1 − β₁^t). Gradient s therefore moves W by −lr·c_s·g_s in total,
  // c_s = Σ_{t=s..T} (1 − β₁)·β₁^(t−s)/(1 − β₁^t) (above 1 for the first steps, below 1 for the last), and
  // W_T ~ N(0, σ²) with σ² = lr²·Σ c_s² + 0.05²/3. Then E|W| = σ·√(2/π) and the mean over n weights has standard
  // error σ·√(1 − 2/π)/√n; the test allows 5 of them.
  // m = 10: steps toward zero are damped by f_meta, steps away are not, so the walk drifts outward.
  // The separation is many standard errors (mean of 2000 weights), false-failure rate ≪ 1e-6.
  const meanAbsAfter = (meta: number): number => {
    const rng = createRng("ratchet");
    const n = 2000;
    const w = Float32Array.from({ length: n }, () => rng.uniformIn(-0.05, 0.05));
    const slot: ParamSlot = { name: "W0", value: w, grad: new Float32Array(n), metaplastic: true, clip: 1 };
    const state = initAdam([slot]);
    const g = rng.fork("grad");
    for (let t = 0; t < 1500; t++) {
      for (let i = 0; i < n; i++) slot.grad[i] = g.uniform() < 0.5 ? -1 : 1;
      adamStep([slot], state, { lr: 0.005, meta, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    }
    return w.reduce((a, v) => a + Math.abs(v), 0) / n;
  };
  const plain = meanAbsAfter(0);
  const meta = meanAbsAfter(10);
  const b1 = 0.9;
  const steps = 1500;
  let sumC2 = 0;
  for (let s = 1; s <= steps; s++) {
    let c = 0;
    for (let t = s; t <= steps; t++) c += ((1 - b1) * b1 ** (t - s)) / (1 - b1 ** t);
    sumC2 += c * c;
  }
  const sigma = Math.sqrt(0.005 ** 2 * sumC2 + 0.05 ** 2 / 3);
  const expected = sigma * Math.sqrt(2 / Math.PI);
  const se = (sigma * Math.sqrt(1 - 2 / Math.PI)) / Math.sqrt(2000);
  assert.ok(Math.abs(plain - expected) < 5 * se, `m = 0: mean |W| ${plain}, expected ${expected} ± ${5 * se}`);
  assert.ok(meta > 2 * plain, `m = 10: mean |W| ${meta} vs m = 0: ${plain}`);
});

test("last-task flips: counted by the weight's |W_h| before the task, a weight that stays on its side is no flip", () => {
  const before = Float32Array.from([0.05, -0.5, 0.3, -0.02, 0]);
  const after = Float32Array.from([-0.01, -0.4, -0.2, -0.03, -0.001]);
  const run = { hiddenAfterTask: [[Float32Array.from([1, 1, 1, 1, 1])], [before], [after]] } as unknown as ContinualRun;
  // 0.05 → −0.01 and 0 → −0.001 cross below the guard, 0.3 → −0.2 above it; −0.5 and −0.02 stay negative.
  assert.equal(lastTaskFlips(run), { unprotected: 2, protected: 1 });
  assert.equal(lastTaskFlips(run, 0.01), { unprotected: 1, protected: 2 });
  assert.throws(() => lastTaskFlips({ hiddenAfterTask: [[before]] } as unknown as ContinualRun), /at least two tasks/);
});

test("summarizeRestarts: medians, the lowest-task measure, the 90 % counts and forgetting, by hand", () => {
  const run = (seed: number, justLearned: number[], finalAccuracy: number[]) => ({ seed, justLearned, finalAccuracy }) as unknown as ContinualRun;
  const runs = [
    run(1, [0.95, 0.92, 0.99], [0.94, 0.91, 0.99]), // min 91, forgetting max(1, 1, 0) = 1
    run(2, [0.99, 0.6, 0.97], [0.5, 0.7, 0.97]),    // min 50, forgetting 49 (A); B improved (−10)
    run(3, [0.9, 0.95, 0.93], [0.9, 0.95, 0.93]),   // min 90 (the bar counts as kept), forgetting 0
    run(4, [0.8, 0.99, 0.99], [0.85, 0.99, 0.92]),  // min 85, forgetting 7 (C); A improved (−5)
  ];
  const s = summarizeRestarts(runs);
  assert.is(s.restarts, 4);
  // Final A: 50, 85, 90, 94 → 87.5; B: 70, 91, 95, 99 → 93; C: 92, 93, 97, 99 → 95.
  [87.5, 93, 95].forEach((v, j) => assert.ok(Math.abs(s.medianFinalPct[j] - v) < 1e-9, `task ${j}: ${s.medianFinalPct[j]}`));
  assert.ok(Math.abs(s.medianMinFinalPct - 87.5) < 1e-9, `${s.medianMinFinalPct}`); // mins 50, 85, 90, 91
  assert.is(s.keptAll, 2);
  assert.is(s.learnedEach, 2); // runs 1 and 3; run 2 learned B at 60, run 4 learned A at 80
  assert.ok(Math.abs(s.medianForgettingPp - 4) < 1e-9, `${s.medianForgettingPp}`); // 0, 1, 7, 49
  assert.is(summarizeRestarts(runs, 91).keptAll, 1);
  // The table columns carry the bar the summary was made with (learned ≥ 91 % when presented: run 1 only, run 3 learned A at 90).
  assert.equal(restartSummaryColumns(summarizeRestarts(runs, 91)), {
    "median min over tasks (%)": s.medianMinFinalPct, "restarts keeping all ≥ 91 %": "1/4",
    "median forgetting (points)": s.medianForgettingPp, "restarts learning every task ≥ 91 % when presented": "1/4",
  });
  assert.throws(() => summarizeRestarts([]), /no restarts/);
  assert.throws(() => summarizeRestarts([runs[0], run(5, [1, 1], [1, 1])]), /seed 5/);
});

test("writeVerifySummary: pulses over every device, error over the weight-carrying ones only, per technology", () => {
  const dev = (carriesWeight: boolean, targetUS: number, finalUS: number, pulses: number) => ({ carriesWeight, targetUS, finalUS, pulses });
  const map = (technology: MttTechnology, devices: ReturnType<typeof dev>[]) => ({ technology, hardware: mttHardware(technology), layer: { devices } }) as unknown as HardwareMapping;
  const rows = writeVerifySummary([
    map("ECRAM-MTT", [dev(true, 10, 10.25, 12), dev(false, 0.5, 0.1, 3)]),
    map("RRAM-MTT", [dev(true, 20, 19, 40), dev(false, 0.5, 0.4, 10)]),
    map("ECRAM-MTT", [dev(true, 30, 29.75, 21), dev(false, 0.5, 0.2, 0)]),
  ]);
  assert.equal(rows.map((r) => r.technology), ["ECRAM-MTT", "RRAM-MTT"]);
  assert.equal([rows[0].devices, rows[0].meanPulses, rows[0].maxPulses, rows[0].meanAbsErrorUS], [4, 9, 21, 0.25]); // idle errors (0.4, 0.3) left out
  assert.equal([rows[1].devices, rows[1].meanPulses, rows[1].maxPulses, rows[1].meanAbsErrorUS], [2, 25, 40, 1]);
});

test("one hand-set 2×3×1 network classifies Data-A, B and C at once (fresh draws, not the sets β was set from)", () => {
  // Geometry (toy2d.ts): every decision line sits ≥ 1.2 from the nearest blob centre along its projection, whose
  // noise std is σ√2 = 0.35, i.e. ≥ 3.4 std: at most ~0.1 % of points per task fall on the wrong side; allow 1 %.
  const rng = createRng("hand-set-test");
  const names = ["Data-A", "Data-B", "Data-C"] as const;
  const fit = names.map((t) => toyDataset(t, 300, rng.fork(`fit/${t}`)));
  const net = handSetJointNetwork(ecramMttTransfer(), fit);
  const fresh = names.map((t) => toyDataset(t, 300, rng.fork(`fresh/${t}`)));
  fresh.forEach((d, j) => {
    const acc = evaluate(net, d, { task: j }).accuracy;
    assert.ok(acc >= 0.99, `${names[j]}: ${acc}`);
  });
  // The three tasks share the first layer: two units on x1 + x2, one on x1 − x2.
  assert.equal(unitProjections(net.hidden[0], 3).map((u) => u.projection), ["x1+x2", "x1+x2", "x1−x2"]);
});

test("a 2-input unit behind BatchNorm: the gradient is orthogonal to its binary weights, so one weight is pushed out, the other in", () => {
  // Scaling z = x·W_b[:, j] leaves BatchNorm's output unchanged, so Σ_i W_b[i, j]·∂L/∂W_b[i, j] = 0 up to ε = 1e-5
  // against var(z) ≈ 0.1–3 here; with two weights the two products have opposite signs whenever g ≠ 0.
  const net = createNetwork({ layerSizes: [2, 3, 1], transfer: ecramMttTransfer(), hiddenBits: 3 }, createRng("geom"));
  const d = toyDataset("Data-A", 600, createRng("geom-data"));
  const g = firstLayerGradientGeometry(net, d, 0, 10, createRng("geom-order"));
  assert.ok(g.pairs > 100, `pairs ${g.pairs}`);
  assert.ok(g.relativeDot < 1e-3, `relative dot ${g.relativeDot}`);
  assert.is(g.opposite, g.pairs);
});

test("stochastic rounding onto the 3-bit levels: only neighbouring levels, saturation, and an unbiased mean", () => {
  const levels = hiddenLevels(3); // ±1, ±5/7, ±3/7, ±1/7
  const v = new Float32Array(20000).fill(0.2); // between 1/7 and 3/7: P(3/7) = (0.2 − 1/7)/(2/7) = 0.2
  roundToLevelsStochastic(v, levels, createRng("sr"));
  let up = 0;
  for (const x of v) {
    assert.ok(Math.abs(x - 1 / 7) < 1e-6 || Math.abs(x - 3 / 7) < 1e-6, `${x}`);
    if (x > 0.3) up++;
  }
  // Binomial(20000, 0.2): std 56.6; ±5 std.
  assert.ok(Math.abs(up - 4000) < 283, `up ${up}`);
  const edge = Float32Array.from([1.7, -3, 1, -1]);
  roundToLevelsStochastic(edge, levels, createRng("sr2"));
  assert.equal(Array.from(edge), [1, -1, 1, -1]);
});

test("copyBatchNorm copies γ, β and running statistics of every layer from one task to another", () => {
  const net = createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3, tasks: 2 }, createRng("bn-copy"));
  net.bn[0][0].gamma.set([0.5, -2, 3]);
  net.bn[0][1].beta.set([0.25]);
  net.bn[0][0].runningVar.set([4, 5, 6]);
  copyBatchNorm(net, 0, 1);
  assert.equal(Array.from(net.bn[1][0].gamma), [0.5, -2, 3]);
  assert.equal(Array.from(net.bn[1][1].beta), [0.25]);
  assert.equal(Array.from(net.bn[1][0].runningVar), [4, 5, 6]);
  net.bn[0][0].gamma[0] = 9; // a copy, not a shared array
  assert.is(net.bn[1][0].gamma[0], 0.5);
});

test("lowestFinalTasks: each restart's lowest final task accuracy in %, the first task on a tie", () => {
  const run = (seed: number, finalAccuracy: number[]) => ({ seed, meta: 10, finalAccuracy }) as unknown as ContinualRun;
  assert.equal(lowestFinalTasks([run(1, [0.9, 0.6, 0.6]), run(2, [0.5, 1, 0.75])], ["A", "B", "C"]), [
    { seed: 1, meta: 10, lowestPct: 60, task: "B" },
    { seed: 2, meta: 10, lowestPct: 50, task: "A" },
  ]);
  assert.throws(() => lowestFinalTasks([run(1, [0.9, 0.6])], ["A", "B", "C"]), /seed 1/);
});

test("readoutLossAttribution: the task whose readouts differ most, its loss split into statistics and programming, by hand", () => {
  // Task B's readouts spread most (97 → 53 → 54: 44 points); 44 from the statistics, −1 from programming: statistics.
  const a = readoutLossAttribution([1, 0.97, 0.98], [0.99, 0.53, 0.97], [0.985, 0.54, 0.975]);
  assert.is(a.task, 1);
  assert.ok(Math.abs(a.fromStatisticsPp - 44) < 1e-9 && Math.abs(a.fromProgrammingPp + 1) < 1e-9, JSON.stringify(a));
  assert.is(a.cause, "statistics");
  // Programming dominates: 90 → 89 → 70.
  assert.is(readoutLossAttribution([0.9], [0.89], [0.7]).cause, "programming");
  // Neither twice the other: 90 → 80 → 70.
  assert.is(readoutLossAttribution([0.9], [0.8], [0.7]).cause, "both");
  // Every task within a point.
  assert.is(readoutLossAttribution([0.9, 0.8], [0.905, 0.8], [0.9, 0.795]).cause, "agree");
  assert.throws(() => readoutLossAttribution([0.9], [0.9, 0.8], [0.9]), /expected equal/);
});

test("fromFirstTraining: each task from the first epoch it is trained on, per seed and m, order kept", () => {
  // Two tasks, two epochs each: A trained at epochs 1–2, B at 3–4; both evaluated every epoch. Seed 2 (m = 0) trains B first.
  const pt = (seed: number, meta: number, epoch: number, trainingTask: string, evalTask: string): ContinualPoint => ({ seed, meta, epoch, trainingTask, evalTask, accuracy: epoch / 10 });
  const curve = [1, 2, 3, 4].flatMap((e) => ["A", "B"].map((t) => pt(1, 10, e, e <= 2 ? "A" : "B", t)))
    .concat([1, 2].flatMap((e) => ["A", "B"].map((t) => pt(2, 0, e, "B", t))));
  const kept = fromFirstTraining(curve).map((p) => `${p.seed}:${p.evalTask}${p.epoch}`);
  assert.equal(kept, ["1:A1", "1:A2", "1:A3", "1:B3", "1:A4", "1:B4", "2:B1", "2:B2"], "B of seed 1 from epoch 3; A of seed 2 never trained, so never drawn");
  assert.equal(fromFirstTraining([]), []);
});

test("failureBreakdown: tasks below the bar at the end, split into never learned and learned-then-lost, by hand", () => {
  const run = (seed: number, justLearned: number[], finalAccuracy: number[]) => ({ seed, justLearned, finalAccuracy }) as unknown as ContinualRun;
  const runs = [
    run(1, [0.95, 0.92, 0.99], [0.94, 0.91, 0.99]), // kept
    run(2, [0.99, 0.6, 0.97], [0.5, 0.7, 0.97]),    // A learned (99) and lost (50); B never learned (60, ends 70)
    run(3, [0.9, 0.95, 0.93], [0.9, 0.95, 0.93]),   // 90 is the bar: kept
    run(4, [0.8, 0.99, 0.99], [0.85, 0.99, 0.92]),  // A never learned (80, ends 85)
  ];
  assert.equal(failureBreakdown(runs), { restarts: 4, failing: 2, neverLearned: [1, 1, 0], lostLater: [1, 0, 0] });
  // At a bar of 95: run 1 ends B (91) and A (94) below it, both learned ≥ 95? A at 95 yes (lost), B at 92 no (never).
  assert.equal(failureBreakdown([runs[0]], 95), { restarts: 1, failing: 1, neverLearned: [0, 1, 0], lostLater: [1, 0, 0] });
  assert.throws(() => failureBreakdown([]), /no restarts/);
  assert.throws(() => failureBreakdown([runs[0], run(5, [1, 1], [1, 1])]), /seed 5/);
});

test("programmingErrorBreakdown: the band from the scheme, inner/outer half, outside, exact hits at the device's top", () => {
  // RRAM-MTT: band ± t (RRAM_WRITE_VERIFY); the unit's window ends at the TaOx model's upper bound.
  const t = RRAM_WRITE_VERIFY.toleranceUS;
  const top = TAOX_RRAM.gMaxUS;
  const dev = (carriesWeight: boolean, targetUS: number, finalUS: number) => ({ carriesWeight, targetUS, finalUS, pulses: 1 });
  const map = (technology: MttTechnology, devices: ReturnType<typeof dev>[]) => ({ technology, hardware: mttHardware(technology), layer: { devices } }) as unknown as HardwareMapping;
  const [r] = programmingErrorBreakdown([map("RRAM-MTT", [
    dev(true, top, top),                // exact, at the device's top (|W_h| = 1)
    dev(true, 65, 65),                  // exact, inside the range
    dev(true, 65, 65 + 0.3 * t),        // inner half
    dev(true, 65, 65 - 0.8 * t),        // outer half
    dev(true, 65, 65 + 1.3 * t),        // outside
    dev(false, TAOX_RRAM.gMinUS, 40),   // idle device: not counted
  ])]);
  assert.equal(r, { technology: "RRAM-MTT", carrying: 5, toleranceUS: t, innerHalf: 3, outerHalf: 1, outside: 1, exact: 2, exactAtDeviceTop: 1, windowTopUS: top, deviceTopUS: top });
  // ECRAM-MTT: the network window (G_max of the operating point) ends below the ECRAM's own bound.
  const [e] = programmingErrorBreakdown([map("ECRAM-MTT", [dev(true, 10, 10)])]);
  assert.is(e.windowTopUS, ECRAM_MTT_OPERATING_POINT.networkGMaxUS);
  assert.ok(e.deviceTopUS > e.windowTopUS, `${e.deviceTopUS}`);
  assert.equal([e.exact, e.exactAtDeviceTop], [1, 0]);
  // The band is that of the hardware the mapping was programmed with, not of the technology's shipped scheme.
  const wide = ecramMttHardware(undefined, undefined, { ...ECRAM_WRITE_VERIFY, toleranceUS: 4 * ECRAM_WRITE_VERIFY.toleranceUS });
  const [w] = programmingErrorBreakdown([{ ...map("ECRAM-MTT", [dev(true, 10, 10 + 3 * ECRAM_WRITE_VERIFY.toleranceUS)]), hardware: wide }]);
  assert.equal([w.toleranceUS, w.innerHalf, w.outerHalf, w.outside], [4 * ECRAM_WRITE_VERIFY.toleranceUS, 0, 1, 0]);
});

test("metaplasticityPreventsForgetting: kept within 10 points with m, at least 20 points forgotten without; bounds inclusive", () => {
  const f = (pp: number) => ({ medianForgettingPp: pp });
  assert.ok(metaplasticityPreventsForgetting(f(0), f(48.5)));
  assert.ok(metaplasticityPreventsForgetting(f(10), f(20)), "both bounds inclusive");
  assert.not.ok(metaplasticityPreventsForgetting(f(10.5), f(48.5)), "forgets with metaplasticity");
  assert.not.ok(metaplasticityPreventsForgetting(f(0), f(19.5)), "the sequence does not make the m = 0 network forget: nothing to prevent");
  assert.ok(metaplasticityPreventsForgetting(f(-3), f(25)), "a task that improves later counts as negative forgetting");
  assert.not.ok(metaplasticityPreventsForgetting(f(4), f(25), 3, 30), "custom thresholds");
  assert.throws(() => metaplasticityPreventsForgetting(f(Number.NaN), f(40)), /metaplastic median forgetting/);
  assert.throws(() => metaplasticityPreventsForgetting(f(0), f(40), 20, 20), /keptPp 20 must be below catastrophicPp 20/);
});

test("maxProgrammingGapPp and lastTaskFlipTotals, by hand", () => {
  // |52.7 − 53.7| = 1, 0, |100 − 98| = 2 points.
  assert.ok(Math.abs(maxProgrammingGapPp({ softwareAccuracy: [0.527, 1, 1], hardwareAccuracy: [0.537, 1, 0.98] }) - 2) < 1e-9);
  assert.throws(() => maxProgrammingGapPp({ softwareAccuracy: [1], hardwareAccuracy: [] }), /equal/);
  const before = Float32Array.from([0.05, -0.5, 0.3]);
  const after = Float32Array.from([-0.01, -0.4, -0.2]); // one flip below the guard, one above
  const run = { hiddenAfterTask: [[before], [after]] } as unknown as ContinualRun;
  assert.equal(lastTaskFlipTotals([run, run, run]), { unprotected: 3, protected: 3 });
  assert.equal(lastTaskFlipTotals([]), { unprotected: 0, protected: 0 });
});

test("floorProgrammingTarget: the target in the window and the full-scale current of each unit, by hand", () => {
  // RRAM-MTT window = the TaOx range: 2 + (3/7)·148 = 65.428571 µS.
  const r = floorProgrammingTarget("RRAM-MTT", 3 / 7);
  assert.ok(Math.abs(r.targetUS - (TAOX_RRAM.gMinUS + (3 / 7) * (TAOX_RRAM.gMaxUS - TAOX_RRAM.gMinUS))) < 1e-9 && Math.abs(r.targetUS - 65.428571) < 1e-5, `${r.targetUS}`);
  // I_ts,max = β(V_ov·V_d − V_d²/2) + β·m·T'²·(1 − e^(−V_d/T')), T' = 0.025852 V, V_d = 0.01 V (1 − e^(−0.38682) = 0.32079):
  // ECRAM-MTT (β 1000, V_T 0.7, m 1.5, gate at 1.4 V): 6.95 + 1.00251·0.32079 = 7.2716 µA;
  // RRAM-MTT (β 200, V_T 0.4, m 1.4, gate at 0.8 V): 0.79 + 0.187135·0.32079 = 0.85003 µA.
  const e = floorProgrammingTarget("ECRAM-MTT", -3 / 7);
  assert.ok(Math.abs(e.fullScaleCurrentUA - 7.2716) < 1e-3, `${e.fullScaleCurrentUA}`);
  assert.ok(Math.abs(r.fullScaleCurrentUA - 0.85003) < 1e-3, `${r.fullScaleCurrentUA}`);
  assert.equal([e.readBiasV, r.readBiasV], [ECRAM_MTT_OPERATING_POINT.readBiasV, RRAM_MTT_OPERATING_POINT.readBiasV]);
  assert.is(e.hidden, 3 / 7);
  // The node and the current at the target sit below their ceilings (V_n < V_read_H, I_ts < I_ts,max).
  for (const x of [e, r]) assert.ok(x.nodeVoltageV < x.readBiasV && x.inferenceCurrentUA < x.fullScaleCurrentUA && x.inferenceCurrentUA > 0, JSON.stringify(x));
  assert.throws(() => floorProgrammingTarget("ECRAM-MTT", 1.5), /hidden/);
});

test.run();
