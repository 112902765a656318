import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { createParallelPool } from "../src/nn/parallel";
import { wasmMatMul } from "../src/nn/wasm-backend";
import { jsMatMul, transpose } from "../src/nn/matmul";
import { adamCoefficients, adamStep, initAdam, type ParamSlot } from "../src/nn/metaplastic-adam";
import { createSimdArena } from "../src/nn/simd-adam";
import { makeBinarizer } from "../src/nn/quantizers";
import { idealSign } from "../src/mtt/transfer-function";
import { createNetwork } from "../src/nn/network";
import { Trainer } from "../src/nn/train";
import { loadFashionMnist } from "../src/nn/datasets/idx";

test("SIMD kernel, first step by hand: both branches of the metaplastic condition, and the clip", () => {
  const arena = createSimdArena(1 << 16);
  const [w, g, m, v] = [arena.alloc(4), arena.alloc(4), arena.alloc(4), arena.alloc(4)];
  w.set([0.5, -0.5, 0.995, 0]);
  g.set([0.1, 0.1, -1, 0.2]);
  arena.adam(w, g, m, v, 0, 4, adamCoefficients({ lr: 0.01, meta: 2, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 1), true, 1);
  const tanh1 = 0.7615941559557649;
  const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 2e-6, `${msg}: expected ${b}, got ${a}`);
  close(w[0], 0.5 - 0.01 * (1 - tanh1 * tanh1), "shrinking branch damped by f_meta(0.5)");
  close(w[1], -0.51, "growing branch undamped");
  close(w[2], 1, "clipped at the bound");
  close(w[3], -0.01, "W = 0 counts as positive: a positive gradient shrinks it with f_meta(0) = 1");
  close(m[0], 0.01, "first moment");
});

test("two-thread pool: row-split products match the single-thread product; split SIMD Adam matches serial Adam", async () => {
  const pool = await createParallelPool();
  try {
    const rng = createRng("par");
    const m = 64, k = 300, n = 200;
    const a = Float32Array.from({ length: m * k }, () => rng.uniformIn(-1, 1));
    const b = Float32Array.from({ length: k * n }, () => (rng.uniform() < 0.5 ? -1 : 1));
    const ref = jsMatMul.matmul(a, b, m, k, n);
    for (const c of [pool.matmul.matmul(a, b, m, k, n), (await wasmMatMul()).matmul(a, b, m, k, n)]) {
      let worst = 0;
      for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(c[i] - ref[i]));
      // float32 sums of 300 terms of size ≤ 1: rounding error far below 1e-3
      assert.ok(worst < 1e-3, `max |Δ| = ${worst}`);
    }
    const len = 100_003; // not a multiple of 4: the tail goes through the JS kernel
    const mk = (shared: boolean): ParamSlot => {
      const v = shared ? pool.allocate(len) : new Float32Array(len);
      const r = createRng("w");
      for (let i = 0; i < len; i++) v[i] = r.uniformIn(-0.3, 0.3);
      const g = new Float32Array(len);
      const rg = createRng("g");
      for (let i = 0; i < len; i++) g[i] = rg.normal();
      return { name: "W0", value: v, grad: g, metaplastic: true, clip: 1 };
    };
    // binarization as a SIMD staircase equals the JS table look-up (3-bit hidden weights, a smooth transfer)
    const smooth = { name: "tanh(8w)", kind: "binary" as const, apply: (x: number) => Math.tanh(8 * x) };
    for (const wp of [{ transfer: smooth, hiddenBits: 3, hiddenBound: 1, programmingNoiseRel: 0 }, { transfer: idealSign, hiddenBits: null, hiddenBound: 1, programmingNoiseRel: 0 }]) {
      const hid = pool.allocate(70_001);
      const r = createRng("bin");
      for (let i = 0; i < hid.length; i++) hid[i] = r.uniformIn(-1.2, 1.2);
      hid[0] = 0;
      hid[1] = 1 / 7 - 1e-3;
      // The float32s next to every 3-bit midpoint (±(2k)/7), where a float32 threshold at the rounded midpoint picked
      // the other level for −2/7, −4/7 and −6/7, and the float32s just below 0, which the table look-up sends up.
      const f32 = new Float32Array(1);
      const u32 = new Uint32Array(f32.buffer);
      let at = 2;
      for (const mid of [-6, -4, -2, 2, 4, 6].map((j) => j / 7)) {
        f32[0] = mid;
        const base = u32[0];
        for (let d = -4; d <= 4; d++) {
          u32[0] = base + d;
          hid[at++] = f32[0];
        }
      }
      for (const tiny of [-1e-30, -1e-20, -5e-17, -6e-17, -1e-16, 1e-30]) hid[at++] = tiny;
      const outSimd = pool.allocate(hid.length);
      const outJs = new Float32Array(hid.length);
      pool.binarizer(wp)(hid, outSimd);
      makeBinarizer(wp)(hid, outJs);
      let worstBin = 0;
      for (let i = 0; i < hid.length; i++) worstBin = Math.max(worstBin, Math.abs(outSimd[i] - outJs[i]));
      assert.ok(worstBin < 1e-6, `binarizer max |Δ| = ${worstBin}`);
    }
    const cfg = { lr: 0.01, meta: 5, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const serial = mk(false);
    const sState = initAdam([serial]);
    const par = mk(true);
    const pState = pool.optimizer.init([par]);
    for (let t = 0; t < 3; t++) {
      adamStep([serial], sState, cfg);
      pool.optimizer.step([par], pState, cfg);
    }
    // float32 SIMD vs float64 JS arithmetic: three steps of size ≤ lr = 0.01 agree to float32 rounding
    let worst = 0;
    for (let i = 0; i < len; i++) worst = Math.max(worst, Math.abs(par.value[i] - serial.value[i]));
    assert.ok(worst < 1e-6, `max |Δw| = ${worst}`);
  } finally {
    await pool.close();
  }
});

test("products with transposed operands (Aᵀ·B, A·Bᵀ): the two-thread column split equals the single-thread product bit for bit and the JS product within rounding", async () => {
  const pool = await createParallelPool();
  try {
    const wasm = await wasmMatMul();
    const rng = createRng("trans");
    // m < n takes the (Bᵀ·Aᵀ)ᵀ path inside wasm, m > n the plain one; 203 columns split unevenly.
    for (const [m, k, n] of [[40, 150, 203], [300, 40, 120]]) {
      const a = Float32Array.from({ length: m * k }, () => rng.uniformIn(-1, 1));
      const b = Float32Array.from({ length: k * n }, () => (rng.uniform() < 0.5 ? -1 : 1));
      const aT = transpose(a, m, k);
      const bT = transpose(b, k, n);
      const ref = jsMatMul.matmul(a, b, m, k, n);
      const single = wasm.matmul(a, b, m, k, n);
      const cases: [string, Float32Array, Float32Array][] = [
        ["A·B", pool.matmul.matmul(a, b, m, k, n), single],
        ["Aᵀ·B", pool.matmul.matmulTransA!(aT, b, m, k, n), wasm.matmulTransA(aT, b, m, k, n)],
        ["A·Bᵀ", pool.matmul.matmulTransB!(a, bT, m, k, n), wasm.matmulTransB(a, bT, m, k, n)],
      ];
      for (const [name, two, one] of cases) {
        let same = 0;
        let worst = 0;
        for (let i = 0; i < ref.length; i++) {
          if (two[i] === one[i]) same++;
          worst = Math.max(worst, Math.abs(one[i] - ref[i]));
        }
        assert.is(same, ref.length, `${name} ${m}×${k}×${n}: two threads vs one differ in ${ref.length - same} elements`);
        assert.ok(worst < 1e-3, `${name} ${m}×${k}×${n}: max |Δ| vs JS = ${worst}`);
      }
    }
  } finally {
    await pool.close();
  }
});

test("an accelerated Trainer step agrees with the plain JS Trainer step; task switches reuse the arena", async () => {
  const pool = await createParallelPool({ arenaBytes: 8 * 2 ** 20 });
  try {
    const sizes = [784, 120, 10];
    const data = loadFashionMnist("test", 200);
    const runOne = (accelerated: boolean) => {
      const net = createNetwork({ layerSizes: sizes, transfer: idealSign, hiddenBits: 3 }, createRng("same-init"), accelerated ? { allocate: pool.allocate } : {});
      const tr = new Trainer(net, accelerated ? { lr: 0.005, meta: 12, accelerator: pool } : { lr: 0.005, meta: 12 });
      tr.startTask(0);
      tr.trainEpoch(data, 100, 0, createRng("epoch"));
      return net.hidden[0];
    };
    const init = createNetwork({ layerSizes: sizes, transfer: idealSign, hiddenBits: 3 }, createRng("same-init")).hidden[0];
    const a = runOne(true);
    const b = runOne(false);
    // The comparison below means something only if the epoch changed the weights.
    assert.ok(a.some((v, i) => v !== init[i]) && b.some((v, i) => v !== init[i]), "weights moved");
    let off = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-5) off++;
    // Two Adam steps of ±lr: float32 vs float64 rounding can flip the sign of a near-zero gradient, which
    // moves that weight by 2·lr; such weights must stay rare (< 1 %).
    assert.ok(off / a.length < 0.01, `${off} of ${a.length} weights differ`);

    // Task switches: every switch zeroes the moments and reuses the arena arrays of the first one. 60 switches
    // of a 94k-weight layer would need 45 MB of fresh moments; instead the arena must not grow at all.
    const net = createNetwork({ layerSizes: sizes, transfer: idealSign, hiddenBits: 3, tasks: 2 }, createRng(3), { allocate: pool.allocate });
    const tr = new Trainer(net, { lr: 0.005, meta: 12, accelerator: pool });
    tr.startTask(0);
    tr.trainEpoch(data, 100, 0, createRng("switch-epoch"));
    const trained = tr.snapshot().adam;
    assert.is(trained.step, 2);
    assert.ok(trained.m[0].some((v) => v !== 0) && trained.v[0].some((v) => v !== 0), "an epoch leaves non-zero moments");
    // The bump allocator's next free offset, probed by a 4-float (16-byte) allocation before and after.
    const probe0 = pool.allocate(4).byteOffset;
    for (let t = 1; t <= 60; t++) tr.startTask(t % 2);
    const probe1 = pool.allocate(4).byteOffset;
    assert.is(probe1 - probe0, 16, "arena grew during task switches");
    const reset = tr.snapshot().adam;
    assert.is(tr.currentTask, 0);
    assert.is(reset.step, 0);
    reset.m.forEach((m, s) => assert.ok(m.every((v) => v === 0) && reset.v[s].every((v) => v === 0), `slot ${s}: moments not zeroed`));
  } finally {
    await pool.close();
  }
});

test.run();
