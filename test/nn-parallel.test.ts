import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { createParallelPool } from "../src/nn/parallel";
import { wasmMatMul } from "../src/nn/wasm-backend";
import { jsMatMul } from "../src/nn/matmul";
import { adamStep, initAdam, type ParamSlot } from "../src/nn/metaplastic-adam";

test("two-thread pool: row-split products match the single-thread product; split Adam equals serial Adam exactly", async () => {
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
    const len = 100_000;
    const mk = (shared: boolean): ParamSlot => {
      const v = shared ? new Float32Array(new SharedArrayBuffer(4 * len)) : new Float32Array(len);
      const r = createRng("w");
      for (let i = 0; i < len; i++) v[i] = r.uniformIn(-0.3, 0.3);
      const g = new Float32Array(len);
      const rg = createRng("g");
      for (let i = 0; i < len; i++) g[i] = rg.normal();
      return { name: "W0", value: v, grad: g, metaplastic: true, clip: 1 };
    };
    const cfg = { lr: 0.01, meta: 5, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    const serial = mk(false);
    const sState = initAdam([serial]);
    const par = mk(true);
    const pState = pool.optimizer.init([par]);
    for (let t = 0; t < 3; t++) {
      adamStep([serial], sState, cfg);
      pool.optimizer.step([par], pState, cfg);
    }
    assert.equal(Array.from(par.value.subarray(len - 5)), Array.from(serial.value.subarray(len - 5)));
    let same = true;
    for (let i = 0; i < len; i++) if (par.value[i] !== serial.value[i]) same = false;
    assert.ok(same, "every element identical");
  } finally {
    await pool.close();
  }
});

test.run();
