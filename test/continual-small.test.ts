import { test } from "uvu";
import * as assert from "uvu/assert";
import { unitProjections } from "../src/experiments/continual-small";
import { createNetwork } from "../src/nn/network";
import { evaluate } from "../src/nn/train";
import { toyDataset } from "../src/nn/datasets/toy2d";
import { makeDataset } from "../src/nn/datasets/dataset";
import { idealSign } from "../src/mtt/transfer-function";
import { createRng } from "../src/util/rng";

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

test.run();
