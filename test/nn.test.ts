import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { idealSign, type WeightTransferFunction } from "../src/mtt/transfer-function";
import { ADAM_DEFAULTS, adamStep, fMeta, frozenBeyond, initAdam, type ParamSlot } from "../src/nn/metaplastic-adam";
import { hiddenLevels, makeBinarizer, quantizeHidden } from "../src/nn/quantizers";
import { ecramMttTransfer } from "../src/mtt/network-transfer";
import { backward, createNetwork, forward, inferenceWeights, lossAndGrad, Workspace } from "../src/nn/network";
import { jsMatMul, transpose } from "../src/nn/matmul";
import { Trainer, batchesPerEpoch, evaluate, gatherBatch, shuffledIndices, train } from "../src/nn/train";
import { makeDataset } from "../src/nn/datasets/dataset";
import { toyDataset } from "../src/nn/datasets/toy2d";

const close = (a: number, b: number, tol: number, msg?: string) => assert.ok(Math.abs(a - b) <= tol, `${msg ?? ""} expected ${b}, got ${a}`);

function slot(values: number[], grads: number[], metaplastic = true): ParamSlot {
  return { name: "w", value: Float32Array.from(values), grad: Float32Array.from(grads), metaplastic, clip: 1 };
}

test("f_meta = 1 − tanh²(m|W|): 1 at W = 0, even, decreasing in |W|, ≡ 1 for m = 0", () => {
  close(fMeta(10, 0), 1, 1e-15);
  close(fMeta(3, 0.2), fMeta(3, -0.2), 1e-15);
  assert.ok(fMeta(3, 0.1) > fMeta(3, 0.2) && fMeta(3, 0.2) > fMeta(3, 0.4));
  close(fMeta(0, 0.7), 1, 1e-15);
  // hand value: tanh(1) = 0.7615941559557649
  close(fMeta(2, 0.5), 1 - 0.7615941559557649 ** 2, 1e-12);
});

test("metaplastic Adam, first step by hand: shrinking branch damped by f_meta, growing branch plain", () => {
  // Step 1, β1 = 0.9, β2 = 0.999: m = 0.1·g, v = 0.001·g², m̂ = g, √v̂ = |g| → step = lr·sign(g) (ε negligible).
  const w = slot([0.5, -0.5], [0.1, 0.1]);
  const st = initAdam([w]);
  adamStep([w], st, { lr: 0.01, meta: 2, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  // W = +0.5, m > 0: the step −lr points toward 0 → damped by f_meta(0.5) = 1 − tanh²(1) = 0.41997...
  close(w.value[0], 0.5 - 0.01 * (1 - 0.7615941559557649 ** 2), 1e-6, "shrinking branch");
  // W = −0.5, m > 0: step −lr moves away from 0 → undamped.
  close(w.value[1], -0.51, 1e-6, "growing branch");
  assert.equal(st.step, 1);
  close(st.m[0][0], 0.01, 1e-9);
  close(st.v[0][0], 1e-5, 1e-11);
});

test("Adam defaults are Kingma & Ba's published values (β1 0.9, β2 0.999, ε 1e-8), also Laborieux et al.'s, and a Trainer uses them", () => {
  // Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1: "Good default settings for the
  // tested machine learning problems are α = 0.001, β1 = 0.9, β2 = 0.999 and ε = 10⁻⁸"; Laborieux et al. (2021) keep them.
  assert.is(ADAM_DEFAULTS.beta1, 0.9);
  assert.is(ADAM_DEFAULTS.beta2, 0.999);
  assert.is(ADAM_DEFAULTS.eps, 1e-8);
  const tr = new Trainer(createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3, tasks: 1 }, createRng("adam-defaults")), { lr: 0.005, meta: 10 });
  assert.equal({ ...tr.adamConfig }, { lr: 0.005, meta: 10, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
});

test("metaplastic Adam: m = 0 and non-metaplastic slots give plain Adam; clip at the bound only for hidden weights", () => {
  const a = slot([0.5], [0.1]);
  adamStep([a], initAdam([a]), { lr: 0.01, meta: 0, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  close(a.value[0], 0.49, 1e-6);
  const bn = slot([0.5], [0.1], false);
  adamStep([bn], initAdam([bn]), { lr: 0.01, meta: 5, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  close(bn.value[0], 0.49, 1e-6);
  const edge = slot([0.995], [-1]);
  adamStep([edge], initAdam([edge]), { lr: 0.01, meta: 5, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  assert.is(edge.value[0], 1);
  const gamma = slot([1.995], [-1], false);
  adamStep([gamma], initAdam([gamma]), { lr: 0.01, meta: 5, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  close(gamma.value[0], 2.005, 1e-6);
});

test("metaplastic ratchet: with uninformative gradients m = 12 drives hidden weights to the bound, m = 0 only diffuses", () => {
  // Zero-mean N(0, 1) gradients for 4,000 steps at lr 0.005. Plain Adam: the steps sum like lr·Σg/√v̂, a random
  // walk of rms ≈ lr·√N ≈ 0.32 (mean |W| ≈ 0.25), so hardly any weight reaches ±1 (≈ 3 σ). Metaplastic: outward
  // steps are taken in full and inward ones damped (f_meta ≤ 0.5 beyond |W| ≈ 0.07), so each weight drifts
  // outward at about half the mean step, lr·E|m̂|/2 ≈ 0.0005 per step, i.e. ≈ 1.8 over the run: most end at the bound.
  const n = 2000;
  const run = (meta: number) => {
    const rng = createRng("ratchet");
    const w = slot(Array.from({ length: n }, () => rng.uniformIn(-0.05, 0.05)), new Array(n).fill(0));
    const st = initAdam([w]);
    for (let s = 0; s < 4000; s++) {
      for (let i = 0; i < n; i++) w.grad[i] = rng.normal();
      adamStep([w], st, { lr: 0.005, meta, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    }
    const abs = Array.from(w.value, Math.abs);
    return { meanAbs: abs.reduce((a, x) => a + x, 0) / n, atBound: abs.filter((x) => x >= 0.99).length / n };
  };
  const plain = run(0);
  const meta = run(12);
  assert.ok(plain.meanAbs < 0.4 && plain.atBound < 0.01, `m = 0: mean |W| ${plain.meanAbs}, at bound ${plain.atBound}`);
  assert.ok(meta.meanAbs > 3 * plain.meanAbs && meta.atBound > 0.5, `m = 12: mean |W| ${meta.meanAbs}, at bound ${meta.atBound}`);
});

test("3-bit hidden quantizer: 8 levels ±1, ±5/7, ±3/7, ±1/7; nearest level; saturation", () => {
  const lv = hiddenLevels(3);
  assert.is(lv.length, 8);
  [-1, -5 / 7, -3 / 7, -1 / 7, 1 / 7, 3 / 7, 5 / 7, 1].forEach((v, i) => close(lv[i], v, 1e-12));
  close(quantizeHidden(0.3, 3), 3 / 7, 1e-12);
  close(quantizeHidden(-0.01, 3), -1 / 7, 1e-12);
  close(quantizeHidden(0.01, 3), 1 / 7, 1e-12);
  close(quantizeHidden(2, 3), 1, 1e-12);
  close(quantizeHidden(-7, 3), -1, 1e-12);
  close(quantizeHidden(0.2, 1), 1, 1e-12);
});

test("binarizer applies the transfer function to the quantized hidden weight (tabulated) and to raw W_h otherwise", () => {
  const ternary: WeightTransferFunction = { name: "test ternary", kind: "ternary", apply: (w) => (Math.abs(w) < 0.2 ? 0 : Math.sign(w)) };
  const hidden = Float32Array.from([-0.9, -0.1, 0.05, 0.25, 0.5]);
  const out = new Float32Array(5);
  makeBinarizer({ transfer: ternary, hiddenBits: 3, hiddenBound: 1, programmingNoiseRel: 0 })(hidden, out);
  // Q3: −1, −1/7, +1/7, +1/7 (0.25 is nearer 1/7 than 3/7), +3/7 → |·| < 0.2 → 0 for ±1/7
  assert.equal(Array.from(out), [-1, 0, 0, 0, 1]);
  makeBinarizer({ transfer: ternary, hiddenBits: null, hiddenBound: 1, programmingNoiseRel: 0 })(hidden, out);
  assert.equal(Array.from(out), [-1, 0, 0, 1, 1]);
  makeBinarizer({ transfer: idealSign, hiddenBits: null, hiddenBound: 1, programmingNoiseRel: 0 })(Float32Array.from([0, -0.001, 3]), out);
  assert.equal(Array.from(out.slice(0, 3)), [1, -1, 1]);
});

test("tabulated binarizer picks the NEAREST n-bit level (not the one below) on both sides of every midpoint, for bound 1 and bound ≠ 1", () => {
  // The table path (any transfer other than the ideal sign) must give W_b = f(−1 + 2k/(2^n − 1)) with k the index of
  // the level nearest to clip(W_h) on the grid −bound + k·2·bound/(2^n − 1). Expected k from that formula, by
  // brute-force nearest level, never from the code. A strictly increasing test transfer (f(w) = w) tells every level
  // apart; the ECRAM-MTT function is the one the networks train through.
  const injective: WeightTransferFunction = { name: "test identity-like binary", kind: "binary", apply: (w) => w };
  for (const transfer of [injective, ecramMttTransfer()]) {
    for (const [bits, bound] of [[3, 1], [3, 0.5], [2, 1.5]]) {
      const n = 2 ** bits;
      const step = (2 * bound) / (n - 1);
      const xs: number[] = [];
      // Points 1e-4·bound either side of each midpoint −bound + (2k + 1)·step/2 between neighbouring levels …
      for (let k = 0; k < n - 1; k++) {
        const mid = -bound + (2 * k + 1) * (step / 2);
        xs.push(mid - 1e-4 * bound, mid + 1e-4 * bound);
      }
      // … a fine grid across ±1.2·bound (saturation beyond the bound) …
      for (let i = 0; i <= 600; i++) xs.push(bound * (-1.2 + (2.4 * i) / 600));
      const hidden = Float32Array.from(xs);
      const out = new Float32Array(hidden.length);
      makeBinarizer({ transfer, hiddenBits: bits, hiddenBound: bound, programmingNoiseRel: 0 })(hidden, out);
      for (let i = 0; i < hidden.length; i++) {
        const x = Math.min(bound, Math.max(-bound, hidden[i]));
        const dist = Array.from({ length: n }, (_, k) => Math.abs(x - (-bound + k * step)));
        const sorted = [...dist].sort((a, b) => a - b);
        if (sorted[1] - sorted[0] < 1e-9) continue; // a float32 grid point on a midpoint: nearest is ambiguous
        const k = dist.indexOf(sorted[0]);
        const want = Math.fround(transfer.apply(-1 + (2 * k) / (n - 1)));
        assert.is(out[i], want, `${transfer.name}, ${bits} bits, bound ${bound}: W_h = ${hidden[i]} → level ${k}`);
      }
    }
  }
});

test("matmul and transpose agree with a hand-computed product", () => {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 2×3
  const b = Float32Array.from([1, 0, 0, 1, 1, 1]); // 3×2
  assert.equal(Array.from(jsMatMul.matmul(a, b, 2, 3, 2)), [4, 5, 10, 11]);
  assert.equal(Array.from(transpose(a, 2, 3)), [1, 4, 2, 5, 3, 6]);
});

/** A 3-4-2 network with given hidden BatchNorm γ, β, on a fixed batch of 6. */
function tinySetup(hiddenGamma: number, hiddenBeta: number) {
  const rng = createRng("tiny");
  const net = createNetwork({ layerSizes: [3, 4, 2], transfer: idealSign }, rng);
  net.bn[0][0].gamma.fill(hiddenGamma);
  net.bn[0][0].beta.fill(hiddenBeta);
  const x = Float32Array.from({ length: 18 }, () => rng.uniformIn(-1, 1));
  const labels = Int32Array.from([0, 1, 1, 0, 1, 0]);
  const weights = [Float32Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? -1 : 1)), Float32Array.from([1, -1, -1, 1, 1, 1, -1, 1])];
  return { net, x, labels, weights };
}

test("straight-through sign: hidden gradient passes where |y| ≤ 1 and is zero where |y| > 1", () => {
  // γ = 0.1, β = 0: |y| ≤ 0.1·√5 < 1 for every sample → the mask passes everything.
  let s = tinySetup(0.1, 0);
  let f = forward(s.net, s.weights, s.x, 6, 0, { training: true });
  assert.ok(Array.from(f.caches[0].y).every((v) => Math.abs(v) <= 1));
  let g = backward(s.net, s.weights, f, lossAndGrad(f.logits, s.labels, 6, 2).grad, 6, 0);
  assert.ok(g.weights[0].some((v) => Math.abs(v) > 1e-6), "gradient flows through the unsaturated sign");
  // β = 3: y ≈ 3 ± 0.23 > 1 everywhere → all blocked.
  s = tinySetup(0.1, 3);
  f = forward(s.net, s.weights, s.x, 6, 0, { training: true });
  assert.ok(Array.from(f.caches[0].y).every((v) => v > 1));
  g = backward(s.net, s.weights, f, lossAndGrad(f.logits, s.labels, 6, 2).grad, 6, 0);
  assert.ok(g.weights[0].every((v) => v === 0), "gradient blocked where |y| > 1");
  // (The last layer then sees a constant input, which its BatchNorm removes: its gradient is zero too.)
});

test("straight-through sign, negative side: all hidden pre-activations < −1 block every layer-0 gradient", () => {
  // Mirror of the β = +3 case: β = −3, γ = 0.1 → y ≈ −3 ± 0.23 < −1 everywhere, so the mask [|y| ≤ 1] is 0 for
  // every entry and dW0 = xᵀ·dz0 is exactly zero. A one-sided mask (only y > 1 blocked) lets it through.
  const s = tinySetup(0.1, -3);
  const f = forward(s.net, s.weights, s.x, 6, 0, { training: true });
  assert.ok(Array.from(f.caches[0].y).every((v) => v < -1));
  const g = backward(s.net, s.weights, f, lossAndGrad(f.logits, s.labels, 6, 2).grad, 6, 0);
  assert.ok(g.weights[0].every((v) => v === 0), `gradient blocked where y < −1: ${Array.from(g.weights[0])}`);
});

test("straight-through sign, mixed: a hidden unit's layer-0 weight column is zero iff its |y| > 1 (both signs)", () => {
  // Per-feature β = (−3, 0, +3, 0), γ = 0.1: units 0 and 2 saturate (|y| ≈ 3 > 1, negative and positive), units 1
  // and 3 stay inside (|y| ≤ 0.1·√5 < 1). dW0[i][j] = Σ_b x[b][i]·dz0[b][j] and dz0[·][j] depends only on the masked
  // dy of unit j, so columns 0 and 2 are exactly zero and columns 1, 3 are not.
  const s = tinySetup(0.1, 0);
  s.net.bn[0][0].beta.set([-3, 0, 3, 0]);
  const f = forward(s.net, s.weights, s.x, 6, 0, { training: true });
  const y = f.caches[0].y;
  for (let b = 0; b < 6; b++) {
    assert.ok(y[b * 4] < -1 && y[b * 4 + 2] > 1, `sample ${b}: saturated units`);
    assert.ok(Math.abs(y[b * 4 + 1]) <= 1 && Math.abs(y[b * 4 + 3]) <= 1, `sample ${b}: unsaturated units`);
  }
  const g = backward(s.net, s.weights, f, lossAndGrad(f.logits, s.labels, 6, 2).grad, 6, 0);
  for (const j of [0, 2]) for (let i = 0; i < 3; i++) assert.is(g.weights[0][i * 4 + j], 0, `dW0[${i}][${j}] (|y| > 1)`);
  for (const j of [1, 3]) assert.ok([0, 1, 2].some((i) => Math.abs(g.weights[0][i * 4 + j]) > 1e-6), `column ${j} (|y| < 1) carries gradient`);
});

test("initial hidden weights are U(−s, s) with the documented default s = initScale = 0.05: mean, variance, both signs", () => {
  // network.ts: "Hidden weights start as U(−initScale, initScale). Laborieux et al.: 0.05". For U(−s, s):
  // mean 0, variance s²/3; with n draws the mean's SE is s/√(3n) and the sample variance's SE is
  // √(E[X⁴] − E[X²]²)/√n = √(s⁴/5 − s⁴/9)/√n = (2/√45)·s²/√n. Bounds: 4 SE for the mean, 5 SE for the variance.
  // U(0, s) would give mean s/2 (≈ 1000 SE off) and no negative weight.
  const s = 0.05;
  const net = createNetwork({ layerSizes: [400, 500], transfer: idealSign }, createRng("init-stats"));
  const w = net.hidden[0];
  const n = w.length;
  let sum = 0;
  let sum2 = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of w) {
    sum += v;
    sum2 += v * v;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const mean = sum / n;
  const variance = (sum2 - n * mean * mean) / (n - 1);
  assert.ok(Math.abs(mean) < (4 * s) / Math.sqrt(3 * n), `mean ${mean}`);
  const seVar = ((2 / Math.sqrt(45)) * s * s) / Math.sqrt(n);
  assert.ok(Math.abs(variance - (s * s) / 3) < 5 * seVar, `variance ${variance} vs ${(s * s) / 3} (SE ${seVar})`);
  assert.ok(lo < 0 && 0 < hi && lo >= -s && hi <= s, `range [${lo}, ${hi}]`);
});

test("last-layer weight and BatchNorm gradients match finite differences", () => {
  const s = tinySetup(1, 0.2);
  s.net.bn[0][1].gamma.set([1.3, 0.7]);
  s.net.bn[0][1].beta.set([0.1, -0.2]);
  const lossOf = () => lossAndGrad(forward(s.net, s.weights, s.x, 6, 0, { training: false, bnMode: "batch" }).logits, s.labels, 6, 2).loss;
  const f = forward(s.net, s.weights, s.x, 6, 0, { training: false, bnMode: "batch" });
  const g = backward(s.net, s.weights, f, lossAndGrad(f.logits, s.labels, 6, 2).grad, 6, 0);
  // Central differences with h = 1e-3 on a float32 forward pass: the truncation error is O(h²) ≈ 1e-6, and the
  // float32 rounding of the logits (relative 2⁻²⁴ ≈ 6e-8, logits of order 1) perturbs the loss by ≲ 1e-7, which the
  // division by 2h turns into ≲ 1e-4. So 2e-4 absolute: a gradient term dropped or mis-scaled by more than a few per
  // cent fails even for the smallest entries here (|dγ| ≈ 0.005).
  const h = 1e-3;
  const check = (arr: Float32Array, i: number, analytic: number, what: string) => {
    const old = arr[i];
    arr[i] = old + h;
    const up = lossOf();
    arr[i] = old - h;
    const down = lossOf();
    arr[i] = old;
    close(analytic, (up - down) / (2 * h), 2e-4, what);
  };
  for (let i = 0; i < 8; i++) check(s.weights[1], i, g.weights[1][i], `dW1[${i}]`);
  for (let j = 0; j < 2; j++) {
    check(s.net.bn[0][1].gamma, j, g.gamma[1][j], `dγ[${j}]`);
    check(s.net.bn[0][1].beta, j, g.beta[1][j], `dβ[${j}]`);
  }
});

test("single-output loss: sigmoid cross-entropy by hand", () => {
  const r = lossAndGrad(Float32Array.from([0, 2]), Int32Array.from([1, 0]), 2, 1);
  close(r.loss, (Math.log(2) + Math.log(1 + Math.exp(2))) / 2, 1e-6);
  close(r.grad[0], (0.5 - 1) / 2, 1e-7);
  assert.is(r.correct, 1);
});

test("training learns a linearly separable toy task and is bit-identical for the same seed", () => {
  const run = () => {
    const rng = createRng("sep");
    const data = toyDataset("Data-B", 400, rng.fork("data"));
    const net = createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3 }, rng);
    const tr = new Trainer(net, { lr: 0.005, meta: 10 });
    const rep = train(tr, data, { epochs: 15, batchSize: 20, task: 0, rng });
    return { net, rep, data };
  };
  const a = run();
  const b = run();
  assert.equal(Array.from(a.net.hidden[0]), Array.from(b.net.hidden[0]));
  // Data-B's blobs at ±(0.8, −0.8) lie 1.6/√2 ≈ 1.13 = 4.5σ (σ = 0.25) from the boundary x1 = x2 (Bayes error
  // Φ(−4.5) ≈ 3e-6): a working engine separates them (≥ 95 %).
  assert.ok(evaluate(a.net, a.data, { task: 0 }).accuracy >= 0.95, `accuracy ${evaluate(a.net, a.data, { task: 0 }).accuracy}`);
});

test("programming noise draws ε from its own fork of the epoch stream, independent of the shuffle fork", () => {
  // programming-error.ts: each written weight becomes W·(1 + σε), ε drawn "in weight order" from the stream it is
  // given; train.ts: the epoch's randomness comes from forks of the epoch stream, one for the shuffle and one for the
  // noise (rng.ts: a fork depends only on the parent's seed and its name). Two networks identical but for σ, one
  // full batch: the σ = 0 run gives W after the Adam step, so ε_i = (W_noisy/W_clean − 1)/σ recovers the draws.
  const sigma = 0.2;
  const rng = createRng("pn-data");
  const x = Float32Array.from({ length: 2 * 16 }, () => rng.uniformIn(-1, 1));
  const data = makeDataset("pn", x, Int32Array.from({ length: 16 }, (_, i) => i % 2), 2);
  const run = (noise: number) => {
    const net = createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, programmingNoiseRel: noise }, createRng("pn-w"));
    new Trainer(net, { lr: 0.01, meta: 0 }).trainEpoch(data, 16, 0, createRng("pn-epoch"));
    return net.hidden.flatMap((h) => Array.from(h));
  };
  const clean = run(0);
  const noisy = run(sigma);
  const eps = clean.map((c, i) => (noisy[i] / c - 1) / sigma);
  // float32 storage: each ratio is off by ≲ 2·6e-8 relative, i.e. ε by ≲ 1e-6.
  const tol = 1e-5;
  const normals = (r: ReturnType<typeof createRng>) => eps.map(() => r.normal());
  const fromNoise = normals(createRng("pn-epoch").fork("programming-noise"));
  const fromShuffle = normals(createRng("pn-epoch").fork("shuffle"));
  eps.forEach((e, i) => close(e, fromNoise[i], tol, `ε[${i}] from the programming-noise fork`));
  assert.ok(eps.some((e, i) => Math.abs(e - fromShuffle[i]) > 1e-3), "noise stream must not replay the shuffle stream");
});

test("dropLast defaults to true: 2·batch + 1 samples give ⌊count/batch⌋ = 2 optimizer steps per epoch", () => {
  // TrainOptions.dropLast: "Drop the last incomplete batch (default true …)"; batchesPerEpoch: ⌊count / batch⌋ when
  // dropped, ⌈count / batch⌉ = 3 otherwise.
  const batch = 4;
  const count = 2 * batch + 1;
  const rng = createRng("drop");
  const data = makeDataset("drop", Float32Array.from({ length: 2 * count }, () => rng.uniformIn(-1, 1)), Int32Array.from({ length: count }, (_, i) => i % 2), 2);
  const mk = () => new Trainer(createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign }, createRng("drop-w")), { lr: 0.01, meta: 0 });
  const stepsOf = (opts: { dropLast?: boolean }) => {
    const tr = mk();
    const batches: number[] = [];
    train(tr, data, { epochs: 2, batchSize: batch, task: 0, rng: createRng("drop-e"), onStep: (i) => batches.push(i.batch), ...opts });
    return { steps: tr.steps, batches };
  };
  assert.equal(stepsOf({}), { steps: 4, batches: [0, 1, 0, 1] });
  assert.equal(stepsOf({ dropLast: false }), { steps: 6, batches: [0, 1, 2, 0, 1, 2] });
  // The epoch method's own default is the same.
  const tr = mk();
  tr.trainEpoch(data, batch, 0, createRng("drop-e"));
  assert.is(tr.steps, 2);
  assert.is(batchesPerEpoch(count, batch), 2);
  assert.is(batchesPerEpoch(count, batch, false), 3);
});

test("snapshot/restore resumes bit-identically; per-task BatchNorm and Adam reset on a new task", () => {
  const rng = createRng("snap");
  const data = toyDataset("XOR", 200, rng.fork("data"));
  const mk = () => new Trainer(createNetwork({ layerSizes: [2, 3, 1], transfer: idealSign, hiddenBits: 3, tasks: 2 }, createRng("w")), { lr: 0.005, meta: 10 });
  const full = mk();
  train(full, data, { epochs: 4, batchSize: 20, task: 1, rng });
  const half = mk();
  train(half, data, { epochs: 2, batchSize: 20, task: 1, rng });
  const snap = half.snapshot();
  const resumed = mk();
  resumed.restore(snap);
  train(resumed, data, { epochs: 4, batchSize: 20, task: 1, rng, startEpoch: 2 });
  assert.equal(Array.from(resumed.net.hidden[1]), Array.from(full.net.hidden[1]));
  assert.equal(Array.from(resumed.net.bn[1][0].gamma), Array.from(full.net.bn[1][0].gamma));
  // Task 0's BatchNorm was never touched.
  assert.ok(Array.from(full.net.bn[0][0].gamma).every((v) => v === 1));

  // New task: Adam restarts (step 0, zero moments) and task 0's BatchNorm set is the one trained.
  const lr = 0.005;
  const meta = 10;
  const eps = 1e-8;
  assert.ok(full.steps > 0);
  const bn1Before = full.snapshot().bn[1];
  full.startTask(0);
  assert.is(full.currentTask, 0);
  assert.is(full.steps, 0);
  const reset = full.snapshot().adam;
  assert.is(reset.step, 0);
  assert.ok(reset.m.every((a) => a.every((v) => v === 0)) && reset.v.every((a) => a.every((v) => v === 0)), "moments not zeroed");
  // One full-batch step. The gradient is computed here from the same batch (same shuffle stream the epoch uses).
  const n = data.count;
  const epochRng = createRng("switch");
  const { x, labels } = gatherBatch(data, shuffledIndices(n, epochRng.fork("shuffle")), 0, n);
  const weights = inferenceWeights(full.net);
  const fwd = forward(full.net, weights, x, n, 0, { training: true });
  const g = backward(full.net, weights, fwd, lossAndGrad(fwd.logits, labels, n, 1).grad, n, 0);
  const copy = (a: Float32Array[]) => a.map((v) => Float32Array.from(v));
  const [gW, gGamma, gBeta] = [copy(g.weights), copy(g.gamma), copy(g.beta)];
  const wBefore = copy(full.net.hidden);
  const gammaBefore = copy(full.net.bn[0].map((b) => b.gamma));
  const betaBefore = copy(full.net.bn[0].map((b) => b.beta));
  full.trainEpoch(data, n, 0, epochRng);
  assert.is(full.steps, 1);
  // First Adam step from zero moments: m̂ = g, √v̂ = |g|, so the step is lr·g/(|g| + ε) ≈ lr·sign(g); hidden weights
  // moving toward 0 (sign(W)·g > 0, sign(0) = +1) are damped by f_meta(W) = 1 − tanh²(meta·|W|); clip at ±1.
  const first = (gi: number) => (lr * gi) / (Math.abs(gi) + eps);
  wBefore.forEach((w0, l) =>
    w0.forEach((w, i) => {
      const gi = gW[l][i];
      const shrinks = (w >= 0 ? gi : -gi) > 0;
      const expected = Math.max(-1, Math.min(1, w - first(gi) * (shrinks ? 1 - Math.tanh(meta * Math.abs(w)) ** 2 : 1)));
      close(full.net.hidden[l][i], expected, 1e-6, `W${l}[${i}]`);
    }),
  );
  assert.ok(gW.some((a) => a.some((v) => v !== 0)), "the step had no gradient to test");
  full.net.bn[0].forEach((b, l) => {
    b.gamma.forEach((v, i) => close(v, gammaBefore[l][i] - first(gGamma[l][i]), 1e-6, `gamma${l}[${i}]`));
    b.beta.forEach((v, i) => close(v, betaBefore[l][i] - first(gBeta[l][i]), 1e-6, `beta${l}[${i}]`));
  });
  // Task 1's BatchNorm set is untouched by training task 0.
  full.net.bn[1].forEach((b, l) => {
    assert.equal(Array.from(b.gamma), Array.from(bn1Before[l].gamma));
    assert.equal(Array.from(b.beta), Array.from(bn1Before[l].beta));
    assert.equal(Array.from(b.runningMean), Array.from(bn1Before[l].runningMean));
  });
});

test("bad input: shape mismatch names both shapes; NaN stops with epoch and layer", () => {
  const net = createNetwork({ layerSizes: [3, 2, 1], transfer: idealSign }, createRng(1));
  const tr = new Trainer(net, { lr: 0.01, meta: 0 });
  const d2 = makeDataset("two-d", new Float32Array(20), new Int32Array(10), 2);
  assert.throws(() => train(tr, d2, { epochs: 1, batchSize: 5, task: 0, rng: createRng(2) }), /shape \[2\].*shape \[3\]/);
  const x = new Float32Array(30).fill(0.5);
  x[4] = NaN;
  const bad = makeDataset("nan", x, Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]), 3);
  assert.throws(() => train(tr, bad, { epochs: 1, batchSize: 10, task: 0, rng: createRng(2) }), /layer 0.*epoch 0/);
  assert.throws(() => createNetwork({ layerSizes: [3, 0, 1], transfer: idealSign }, createRng(1)), /layerSizes\[1\]/);
  assert.throws(() => new Trainer(net, { lr: -1, meta: 0 }), /lr/);
});

test("a reused Workspace gives exactly the passes of fresh arrays, batch after batch (no stale sums or activations)", () => {
  const net = createNetwork({ layerSizes: [6, 5, 4, 3], transfer: idealSign, hiddenBits: 3 }, createRng("ws"));
  const weights = net.hidden.map((h) => {
    const w = new Float32Array(h.length);
    makeBinarizer(net.config)(h, w);
    return w;
  });
  const rng = createRng("ws-data");
  const ws = new Workspace();
  for (let step = 0; step < 3; step++) {
    const x = Float32Array.from({ length: 8 * 6 }, () => rng.normal());
    const labels = Int32Array.from({ length: 8 }, () => rng.int(3));
    const reused = forward(net, weights, x, 8, 0, { training: false, workspace: ws });
    const gReused = backward(net, weights, reused, lossAndGrad(reused.logits, labels, 8, 3).grad, 8, 0, jsMatMul, undefined, ws);
    const fresh = forward(net, weights, x, 8, 0, { training: false });
    const gFresh = backward(net, weights, fresh, lossAndGrad(fresh.logits, labels, 8, 3).grad, 8, 0);
    assert.equal(Array.from(reused.logits), Array.from(fresh.logits), `logits, step ${step}`);
    for (let l = 0; l < 3; l++) {
      assert.equal(Array.from(gReused.weights[l]), Array.from(gFresh.weights[l]), `dW${l}, step ${step}`);
      assert.equal(Array.from(gReused.gamma[l]), Array.from(gFresh.gamma[l]), `dγ${l}, step ${step}`);
    }
  }
});

test("frozenBeyond: the |W_h| where f_meta falls to the damping, by hand, and through the model's f_meta", () => {
  // atanh(√0.99) = ½·ln(1.994987/0.005013) = ½·ln 398.0 = 2.99322; m = 10 → 0.29932, m = 3 → 0.99774.
  assert.ok(Math.abs(frozenBeyond(10) - 0.29932) < 1e-4, `${frozenBeyond(10)}`);
  assert.ok(Math.abs(frozenBeyond(3) - 0.99774) < 1e-4, `${frozenBeyond(3)}`);
  // atanh(√0.5) = ½·ln((1 + 0.707107)/(1 − 0.707107)) = ½·ln 5.828427 = 0.881374: half damping at 0.0881 for m = 10.
  assert.ok(Math.abs(frozenBeyond(10, 0.5) - 0.0881374) < 1e-6, `${frozenBeyond(10, 0.5)}`);
  assert.ok(Math.abs(fMeta(10, frozenBeyond(10)) - 0.01) < 1e-9, "the model's own damping is 10⁻² there");
  assert.is(frozenBeyond(0), Infinity);
  assert.throws(() => frozenBeyond(10, 0), /damping/);
  assert.throws(() => frozenBeyond(10, 1), /damping/);
  assert.throws(() => frozenBeyond(-1), /meta/);
});

test.run();
