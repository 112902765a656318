import { test } from "uvu";
import * as assert from "uvu/assert";
import { lastTaskFlips, unitProjections, type ContinualRun } from "../src/experiments/continual-small";
import { createNetwork } from "../src/nn/network";
import { evaluate } from "../src/nn/train";
import { toyDataset } from "../src/nn/datasets/toy2d";
import { makeDataset } from "../src/nn/datasets/dataset";
import { idealSign } from "../src/mtt/transfer-function";
import { createRng } from "../src/util/rng";
import { adamStep, initAdam, type ParamSlot } from "../src/nn/metaplastic-adam";

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
  // m = 0: an unbiased random walk; Adam's first-moment weights sum to 1, so each gradient sample moves W by lr in
  // total (|v̂| ≈ 1): std ≈ √(lr²·T + 0.05²/3) = 0.196, E|W| = std·√(2/π) ≈ 0.156 (hand computation; SE of the mean
  // over 2000 weights ≈ 0.003, the ±0.02 band allows for Adam's early bias-correction steps).
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
  assert.ok(Math.abs(plain - 0.156) < 0.02, `m = 0: mean |W| ${plain}`);
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

test.run();
