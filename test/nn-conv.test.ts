import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng, type Rng } from "../src/util/rng";
import { idealSign, type WeightTransferFunction } from "../src/mtt/transfer-function";
import { inferenceWeights, lossAndGrad } from "../src/nn/network";
import { train } from "../src/nn/train";
import { makeDataset, type Dataset } from "../src/nn/datasets/dataset";
import { conv2d, maxPool2, maxPool2Backward, nchwToNhwc, nhwcToNchw } from "../src/nn/conv-kernels";
import {
  blockWeightCount,
  convBackward,
  convForward,
  createConvNetwork,
  planConvNetwork,
  type ConvLayerSpec,
} from "../src/nn/conv-network";
import { ConvTrainer, evaluateConv } from "../src/nn/conv-trainer";
import { convArchitecturePresets, convArchitectureCost, COMPACT_CNN_28, SMALL_CNN_28, vgg7Architecture } from "../src/nn/conv-architectures";

/** W_b = W_h: the no-binarization control, used to check the backward pass against finite differences. */
const identity: WeightTransferFunction = Object.freeze({ name: "identity", kind: "identity" as const, apply: (w: number) => w });

const randomArray = (n: number, rng: Rng, lo = -1, hi = 1) => Float32Array.from({ length: n }, () => rng.uniformIn(lo, hi));

/**
 * Reference convolution written straight from the definition, on a channel-major (NCHW) input, in float64:
 * out[b][co][oh][ow] = Σ_{ci,kh,kw} x[b][ci][oh+kh−p][ow+kw−p]·W[((kh·k + kw)·Cin + ci)·Cout + co]
 * (weight layout as documented in conv-network.ts). Returns NCHW.
 */
function naiveConv(x: ArrayLike<number>, B: number, Cin: number, H: number, W: number, w: ArrayLike<number>, Cout: number, k: number, p: number): Float64Array {
  const Ho = H + 2 * p - k + 1;
  const Wo = W + 2 * p - k + 1;
  const out = new Float64Array(B * Cout * Ho * Wo);
  for (let b = 0; b < B; b++)
    for (let co = 0; co < Cout; co++)
      for (let oh = 0; oh < Ho; oh++)
        for (let ow = 0; ow < Wo; ow++) {
          let s = 0;
          for (let ci = 0; ci < Cin; ci++)
            for (let kh = 0; kh < k; kh++)
              for (let kw = 0; kw < k; kw++) {
                const ih = oh + kh - p;
                const iw = ow + kw - p;
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += x[((b * Cin + ci) * H + ih) * W + iw] * w[((kh * k + kw) * Cin + ci) * Cout + co];
              }
          out[((b * Cout + co) * Ho + oh) * Wo + ow] = s;
        }
  return out;
}

test("layout helpers: NCHW ↔ NHWC by hand and round trip", () => {
  // 1 sample, 2 channels, 1×3: channel 0 = [1, 2, 3], channel 1 = [4, 5, 6] → NHWC pixels (1,4), (2,5), (3,6).
  const nchw = Float32Array.from([1, 2, 3, 4, 5, 6]);
  assert.equal(Array.from(nchwToNhwc(nchw, 1, 2, 1, 3)), [1, 4, 2, 5, 3, 6]);
  const rng = createRng("layout");
  const x = randomArray(2 * 3 * 4 * 5, rng);
  assert.equal(Array.from(nhwcToNchw(nchwToNhwc(x, 2, 3, 4, 5), 2, 3, 4, 5)), Array.from(x));
});

test("im2col convolution equals the direct convolution (C_in 2, C_out 3; padding 0, 1; kernels 1, 3, 5; chunked and not)", () => {
  const rng = createRng("conv-vs-naive");
  const B = 2, Cin = 2, Cout = 3, H = 5, W = 6;
  for (const [k, p] of [[3, 0], [3, 1], [1, 0], [5, 2]]) {
    const xNchw = randomArray(B * Cin * H * W, rng);
    const w = randomArray(k * k * Cin * Cout, rng);
    // NHWC copy of the input built by hand (not with the module's helpers).
    const xNhwc = new Float32Array(xNchw.length);
    for (let b = 0; b < B; b++) for (let c = 0; c < Cin; c++) for (let h = 0; h < H; h++) for (let ww = 0; ww < W; ww++) xNhwc[((b * H + h) * W + ww) * Cin + c] = xNchw[((b * Cin + c) * H + h) * W + ww];
    const ref = naiveConv(xNchw, B, Cin, H, W, w, Cout, k, p);
    const Ho = H + 2 * p - k + 1;
    const Wo = W + 2 * p - k + 1;
    for (const patchBudget of [undefined, 1]) {
      const z = conv2d(xNhwc, { batch: B, inChannels: Cin, height: H, width: W, outChannels: Cout, kernel: k, padding: p }, w, { patchBudget });
      assert.is(z.length, ref.length);
      let maxErr = 0;
      for (let b = 0; b < B; b++) for (let co = 0; co < Cout; co++) for (let oh = 0; oh < Ho; oh++) for (let ow = 0; ow < Wo; ow++) {
        maxErr = Math.max(maxErr, Math.abs(z[((b * Ho + oh) * Wo + ow) * Cout + co] - ref[((b * Cout + co) * Ho + oh) * Wo + ow]));
      }
      // Float32 sums of ≤ 50 products of values in [−1, 1]: rounding ≲ 1e-6.
      assert.ok(maxErr < 1e-5, `k ${k}, padding ${p}, budget ${patchBudget}: max |im2col − direct| = ${maxErr}`);
    }
  }
});

test("2×2 max-pool picks the window maximum and routes the gradient to the argmax only", () => {
  // 1 sample, 4×4, 2 channels (NHWC). Channel 0 holds v(h, w) = a fixed permutation of 0…15; channel 1 holds −v.
  const v = [
    [3, 9, 0, 1],
    [7, 2, 14, 5],
    [4, 15, 8, 6],
    [11, 10, 13, 12],
  ];
  const x = new Float32Array(4 * 4 * 2);
  for (let h = 0; h < 4; h++) for (let w = 0; w < 4; w++) {
    x[(h * 4 + w) * 2] = v[h][w];
    x[(h * 4 + w) * 2 + 1] = -v[h][w];
  }
  const { out, argmax } = maxPool2(x, 1, 4, 4, 2);
  // Channel 0 maxima: {3,9,7,2} → 9 at (0,1); {0,1,14,5} → 14 at (1,2); {4,15,11,10} → 15 at (2,1); {8,6,13,12} → 13 at (3,2).
  // Channel 1 maxima (of −v): −2 at (1,1); −0 at (0,2); −4 at (2,0); −6 at (2,3).
  assert.equal(Array.from(out), [9, -2, 14, -0, 15, -4, 13, -6]);
  const dOut = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const dx = maxPool2Backward(dOut, argmax, x.length);
  const expected = new Float32Array(x.length);
  const put = (h: number, w: number, c: number, g: number) => (expected[(h * 4 + w) * 2 + c] = g);
  put(0, 1, 0, 1); put(1, 1, 1, 2); put(1, 2, 0, 3); put(0, 2, 1, 4); put(2, 1, 0, 5); put(2, 0, 1, 6); put(3, 2, 0, 7); put(2, 3, 1, 8);
  assert.equal(Array.from(dx), Array.from(expected));
  let nonzero = 0;
  for (const g of dx) if (g !== 0) nonzero++;
  assert.is(nonzero, dOut.length, "exactly one input per window receives gradient");
});

// ------------------------------------------------------------------------------------------------------------
// Exact backward pass vs finite differences of an independent float64 reference
// ------------------------------------------------------------------------------------------------------------

const TINY_LAYERS: ConvLayerSpec[] = [
  { kind: "conv", outChannels: 2, kernel: 3, padding: 1 },
  { kind: "maxpool", size: 2 },
  { kind: "conv", outChannels: 3, kernel: 3, padding: 1 },
  { kind: "linear", outFeatures: 4 },
];

interface RefParams {
  w0: Float64Array; // conv 1→2, 3×3
  w1: Float64Array; // conv 2→3, 3×3
  w2: Float64Array; // linear 27→4
  gamma: Float64Array[];
  beta: Float64Array[];
  x: Float64Array; // 3×1×6×6 NCHW
}

/** Per-channel BatchNorm over all (b, h, w) of an NCHW tensor, in place; batch statistics (biased variance). */
function refBatchNorm(t: Float64Array, B: number, C: number, HW: number, gamma: Float64Array, beta: Float64Array, eps: number): void {
  for (let c = 0; c < C; c++) {
    let s = 0;
    for (let b = 0; b < B; b++) for (let i = 0; i < HW; i++) s += t[(b * C + c) * HW + i];
    const mean = s / (B * HW);
    let v = 0;
    for (let b = 0; b < B; b++) for (let i = 0; i < HW; i++) v += (t[(b * C + c) * HW + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / (B * HW) + eps);
    for (let b = 0; b < B; b++) for (let i = 0; i < HW; i++) {
      const j = (b * C + c) * HW + i;
      t[j] = gamma[c] * (t[j] - mean) * inv + beta[c];
    }
  }
}

const hardtanh = (t: Float64Array) => t.forEach((v, i) => (t[i] = Math.max(-1, Math.min(1, v))));

/**
 * The tiny network in float64, written from its definition: conv(1→2) → maxpool → BN → hardtanh →
 * conv(2→3) → BN → hardtanh → flatten in (h, w, c) order → linear 27→4 → BN → softmax cross-entropy (mean).
 */
function refLoss(p: RefParams, labels: number[], eps: number): number {
  const B = 3;
  const z0 = naiveConv(p.x, B, 1, 6, 6, p.w0, 2, 3, 1); // B×2×6×6
  const a0 = new Float64Array(B * 2 * 9);
  for (let b = 0; b < B; b++) for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let m = -Infinity;
    for (let di = 0; di < 2; di++) for (let dj = 0; dj < 2; dj++) m = Math.max(m, z0[((b * 2 + c) * 6 + 2 * i + di) * 6 + 2 * j + dj]);
    a0[((b * 2 + c) * 3 + i) * 3 + j] = m;
  }
  refBatchNorm(a0, B, 2, 9, p.gamma[0], p.beta[0], eps);
  hardtanh(a0);
  const a1 = naiveConv(a0, B, 2, 3, 3, p.w1, 3, 3, 1); // B×3×3×3
  refBatchNorm(a1, B, 3, 9, p.gamma[1], p.beta[1], eps);
  hardtanh(a1);
  const z2 = new Float64Array(B * 4);
  for (let b = 0; b < B; b++) for (let o = 0; o < 4; o++) {
    let s = 0;
    for (let h = 0; h < 3; h++) for (let w = 0; w < 3; w++) for (let c = 0; c < 3; c++) s += a1[((b * 3 + c) * 3 + h) * 3 + w] * p.w2[((h * 3 + w) * 3 + c) * 4 + o];
    z2[b * 4 + o] = s;
  }
  // Linear BatchNorm: per feature over the batch (HW = 1 with the feature as "channel").
  refBatchNorm(z2, B, 4, 1, p.gamma[2], p.beta[2], eps);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const row = Array.from(z2.subarray(b * 4, b * 4 + 4));
    const mx = Math.max(...row);
    const lse = mx + Math.log(row.reduce((s, v) => s + Math.exp(v - mx), 0));
    loss += lse - row[labels[b]];
  }
  return loss / B;
}

test("backward is exact (hardtanh forward, identity transfer): conv, linear, BN γ/β and input gradients vs float64 finite differences", () => {
  const rng = createRng("conv-gradcheck");
  const net = createConvNetwork({ inputChannels: 1, inputHeight: 6, inputWidth: 6, layers: TINY_LAYERS, transfer: identity, initScale: 0.5 }, rng);
  net.bn[0].forEach((bn) => {
    bn.gamma.forEach((_, i) => (bn.gamma[i] = rng.uniformIn(0.5, 1.5)));
    bn.beta.forEach((_, i) => (bn.beta[i] = rng.uniformIn(-0.5, 0.5)));
  });
  const B = 3;
  const x = randomArray(B * 36, rng, 0, 1);
  const labels = [2, 0, 3];
  const eps = net.config.bnEps;
  const weights = inferenceWeights(net);
  weights.forEach((w, l) => assert.equal(Array.from(w), Array.from(net.hidden[l]), "identity transfer: W_b = W_h"));
  const fwd = convForward(net, weights, x, B, 0, { training: true, activation: "hardtanh" });
  const { loss, grad } = lossAndGrad(fwd.logits, labels, B, 4);
  const g = convBackward(net, weights, fwd, grad, B, 0, { inputGradient: true });

  const params: RefParams = {
    w0: Float64Array.from(weights[0]),
    w1: Float64Array.from(weights[1]),
    w2: Float64Array.from(weights[2]),
    gamma: net.bn[0].map((b) => Float64Array.from(b.gamma)),
    beta: net.bn[0].map((b) => Float64Array.from(b.beta)),
    x: Float64Array.from(x),
  };
  const ref0 = refLoss(params, labels, eps);
  assert.ok(Math.abs(loss - ref0) < 1e-5, `forward loss ${loss} vs float64 reference ${ref0}`);

  const h = 1e-6;
  const fd = (t: Float64Array): Float64Array =>
    t.map((v, i) => {
      t[i] = v + h;
      const up = refLoss(params, labels, eps);
      t[i] = v - h;
      const down = refLoss(params, labels, eps);
      t[i] = v;
      return (up - down) / (2 * h);
    });
  const check = (name: string, analytic: Float32Array, numeric: Float64Array) => {
    assert.is(analytic.length, numeric.length, `${name} length`);
    let scale = 0;
    let err = 0;
    for (let i = 0; i < numeric.length; i++) {
      scale = Math.max(scale, Math.abs(numeric[i]));
      err = Math.max(err, Math.abs(analytic[i] - numeric[i]));
    }
    assert.ok(scale > 1e-3, `${name}: gradient is not trivially zero (max |FD| = ${scale})`);
    // Float32 forward/backward against a float64 reference: relative error ~1e-6; FD truncation ~h² ≈ 1e-12.
    if (process.env.CONV_GRADCHECK_VERBOSE) console.log(`${name}: max err ${err.toExponential(2)}, scale ${scale.toExponential(2)}`);
    assert.ok(err <= 1e-4 * scale + 1e-7, `${name}: max |analytic − FD| = ${err.toExponential(2)} for max |FD| = ${scale.toExponential(2)}`);
  };
  check("conv 0 dW", g.weights[0], fd(params.w0));
  check("conv 1 dW", g.weights[1], fd(params.w1));
  check("linear dW", g.weights[2], fd(params.w2));
  for (let l = 0; l < 3; l++) {
    check(`BN ${l} dγ`, g.gamma[l], fd(params.gamma[l]));
    check(`BN ${l} dβ`, g.beta[l], fd(params.beta[l]));
  }
  check("input dx", g.input as Float32Array, fd(params.x));

  // The chunked products (one sample per patch matrix) give the same gradients.
  const gc = convBackward(net, weights, convForward(net, weights, x, B, 0, { training: true, activation: "hardtanh", patchBudget: 1 }), grad, B, 0, { inputGradient: true, patchBudget: 1 });
  // Only the summation order over samples differs: agreement to Float32 rounding (relative 1e-5 of the largest entry).
  for (let l = 0; l < 3; l++) {
    const scale = Math.max(...Array.from(g.weights[l], Math.abs));
    gc.weights[l].forEach((v, i) => assert.ok(Math.abs(v - g.weights[l][i]) <= 1e-5 * scale, `chunked dW${l}[${i}]: ${v} vs ${g.weights[l][i]}`));
  }
  assert.ok(Array.from(gc.input as Float32Array).every((v, i) => Math.abs(v - (g.input as Float32Array)[i]) <= 1e-6), "chunked input gradient");
});

test("sign forward: hidden activations are ±1 and the straight-through gradient is cut where |y| > 1", () => {
  const rng = createRng("conv-ste");
  const net = createConvNetwork({ inputChannels: 1, inputHeight: 6, inputWidth: 6, layers: TINY_LAYERS, transfer: idealSign }, rng);
  // Channel 0 of block 0: β = 20 puts every y far above 1 (|x̂| ≤ √27 over 27 rows); channel 1 stays centred.
  net.bn[0][0].beta[0] = 20;
  const weights = inferenceWeights(net);
  weights.forEach((w) => w.forEach((v) => assert.ok(v === 1 || v === -1)));
  const x = randomArray(3 * 36, rng, 0, 1);
  const fwd = convForward(net, weights, x, 3, 0, { training: true });
  fwd.caches[1].input.forEach((v, i) => assert.is(v, fwd.caches[0].y[i] >= 0 ? 1 : -1));
  fwd.caches[0].y.forEach((v, i) => i % 2 === 0 && assert.ok(v > 1));
  const { grad } = lossAndGrad(fwd.logits, [0, 1, 2], 3, 4);
  const g = convBackward(net, weights, fwd, grad, 3, 0);
  // Conv-0 weights (9×2, column = output channel): channel 0's column and BN γ, β get exactly nothing.
  for (let r = 0; r < 9; r++) assert.is(g.weights[0][r * 2], 0, `dW0[${r}, channel 0]`);
  assert.is(g.gamma[0][0], 0);
  assert.is(g.beta[0][0], 0);
  assert.ok(g.weights[0].some((v, i) => i % 2 === 1 && v !== 0), "the unsaturated channel still learns");
  assert.ok(g.beta[0][1] !== 0 || g.gamma[0][1] !== 0);
});

// ------------------------------------------------------------------------------------------------------------
// Training
// ------------------------------------------------------------------------------------------------------------

/** 1×8×8 images: class 0 has a bright top half, class 1 a bright bottom half; uniform noise in [0, 0.4). */
function halvesDataset(n: number, rng: Rng): Dataset {
  const x = new Float32Array(n * 64);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = rng.int(2);
    y[i] = cls;
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) {
      const bright = (r < 4) === (cls === 0);
      x[i * 64 + r * 8 + c] = (bright ? 0.6 : 0) + 0.4 * rng.uniform();
    }
  }
  return makeDataset("halves-8x8", x, y, 64, 2);
}

const SMALL_LAYERS: ConvLayerSpec[] = [
  { kind: "conv", outChannels: 8, kernel: 3, padding: 1 },
  { kind: "maxpool", size: 2 },
  { kind: "conv", outChannels: 8, kernel: 3, padding: 1 },
  { kind: "maxpool", size: 2 },
  { kind: "linear", outFeatures: 16 },
  { kind: "linear", outFeatures: 2 },
];

const smallNet = (seed: string, extra: object = {}) => createConvNetwork({ inputChannels: 1, inputHeight: 8, inputWidth: 8, layers: SMALL_LAYERS, transfer: idealSign, hiddenBits: 3, ...extra }, createRng(seed));

test("every-epoch programming error: the convolutional trainer rewrites every hidden weight at the end of an epoch", () => {
  const data = halvesDataset(60, createRng("epoch-data"));
  const run = (extra: object) => {
    const net = smallNet("epoch-writes", extra);
    let afterLastStep: Float32Array[] = [];
    const onStep = () => {
      afterLastStep = net.hidden.map((h) => h.slice());
    };
    train(new ConvTrainer(net, { lr: 0.005, meta: 1.5 }), data, { epochs: 1, batchSize: 20, task: 0, rng: createRng("epoch-writes/train"), onStep });
    return { final: net.hidden, afterLastStep };
  };
  const clean = run({});
  const noisyRun = run({ programmingNoiseRel: 0.3, programmingErrorWrites: "every-epoch" });
  // The steps draw no error: up to the last step of the epoch both runs hold bit-identical hidden weights (a
  // trainer that wrote with error after every step would already differ here) ...
  clean.afterLastStep.forEach((h, l) => assert.equal(Array.from(noisyRun.afterLastStep[l]), Array.from(h), `layer ${l} before the end-of-epoch write`));
  // ... and the end-of-epoch rewrite then moves every weight.
  const noisy = noisyRun.final;
  clean.final.forEach((h, l) => {
    const moved = h.filter((v, i) => v !== noisy[l][i]).length;
    assert.ok(moved > 0.99 * h.length, `layer ${l}: ${moved} of ${h.length} weights rewritten`);
  });
});

test("same seed → bit-identical hidden weights and BatchNorm after training steps; another seed differs", () => {
  const data = halvesDataset(60, createRng("det-data"));
  const run = (seed: string) => {
    const net = smallNet(seed, { programmingNoiseRel: 0.05 });
    const tr = new ConvTrainer(net, { lr: 0.005, meta: 1.5 });
    train(tr, data, { epochs: 1, batchSize: 20, task: 0, rng: createRng(`${seed}/train`) });
    assert.is(tr.steps, 3);
    return net;
  };
  const a = run("det");
  const b = run("det");
  const c = run("det-other");
  a.hidden.forEach((h, l) => assert.equal(new Uint8Array(h.buffer), new Uint8Array(b.hidden[l].buffer), `layer ${l} hidden weights`));
  a.bn[0].forEach((bn, l) => {
    assert.equal(Array.from(bn.gamma), Array.from(b.bn[0][l].gamma));
    assert.equal(Array.from(bn.runningVar), Array.from(b.bn[0][l].runningVar));
  });
  assert.ok(a.hidden[0].some((v, i) => v !== c.hidden[0][i]), "a different seed gives different weights");
});

test("a tiny binary CNN (ideal sign, 3-bit hidden weights) learns bright-top vs bright-bottom above 90 %", () => {
  const rng = createRng("halves");
  const trainSet = halvesDataset(400, rng.fork("train"));
  const testSet = halvesDataset(200, rng.fork("test"));
  const net = smallNet("halves-net");
  const before = evaluateConv(net, testSet, { task: 0 }).accuracy;
  const tr = new ConvTrainer(net, { lr: 0.005, meta: 0 });
  const reports = train(tr, trainSet, { epochs: 4, batchSize: 20, task: 0, rng: rng.fork("loop"), evalSets: [{ name: "test", data: testSet, task: 0 }] });
  const after = reports[reports.length - 1].evals.test;
  assert.ok(after > 0.9, `test accuracy ${after} (before training ${before})`);
  assert.ok(before < 0.9, `the untrained network should not already solve it (${before})`);
  const ev = evaluateConv(net, testSet, { task: 0, batchSize: 50 });
  assert.is(ev.accuracy, after);
  assert.is(ev.predictions.length, 200);
});

test("metaplastic path is used: with meta > 0 large |W_h| shrink far less than with meta = 0 (same data and seed)", () => {
  const data = halvesDataset(200, createRng("meta-data"));
  const shrink = (meta: number) => {
    const net = smallNet("meta-net", { hiddenBits: null });
    const init = createRng("meta-signs");
    for (const h of net.hidden) for (let i = 0; i < h.length; i++) h[i] = init.bernoulli(0.5) ? 0.6 : -0.6;
    const start = net.hidden.map((h) => h.slice());
    const tr = new ConvTrainer(net, { lr: 0.01, meta });
    train(tr, data, { epochs: 2, batchSize: 20, task: 0, rng: createRng("meta-loop") });
    let s = 0;
    net.hidden.forEach((h, l) => h.forEach((v, i) => (s += Math.max(0, Math.abs(start[l][i]) - Math.abs(v)))));
    return s;
  };
  const plain = shrink(0);
  const meta = shrink(3); // f_meta(0.6) = 1 − tanh²(1.8) ≈ 0.10
  assert.ok(plain > 0, "plain Adam moves some weights toward zero");
  assert.ok(meta < 0.5 * plain, `total shrinkage toward zero: meta 3 → ${meta.toFixed(3)}, meta 0 → ${plain.toFixed(3)}`);
});

test("per-task BatchNorm and snapshot/restore: task 1 leaves task 0's γ alone; a restored run continues bit-identically", () => {
  const data = halvesDataset(40, createRng("task-data"));
  const net = smallNet("tasks", { tasks: 2 });
  const tr = new ConvTrainer(net, { lr: 0.005, meta: 1 });
  train(tr, data, { epochs: 1, batchSize: 20, task: 0, rng: createRng("t0") });
  const gamma0 = net.bn[0].map((b) => b.gamma.slice());
  const snap = tr.snapshot();
  train(tr, data, { epochs: 2, batchSize: 20, task: 0, rng: createRng("t0"), startEpoch: 1 });
  const afterA = net.hidden.map((h) => h.slice());
  tr.restore(snap);
  train(tr, data, { epochs: 2, batchSize: 20, task: 0, rng: createRng("t0"), startEpoch: 1 });
  net.hidden.forEach((h, l) => assert.equal(Array.from(h), Array.from(afterA[l]), `layer ${l} after restore`));
  const gammaT0 = net.bn[0].map((b) => b.gamma.slice());
  train(tr, data, { epochs: 1, batchSize: 20, task: 1, rng: createRng("t1") });
  assert.is(tr.currentTask, 1);
  net.bn[0].forEach((b, l) => assert.equal(Array.from(b.gamma), Array.from(gammaT0[l]), `task 0 γ of layer ${l} untouched`));
  assert.ok(net.bn[1][0].gamma.some((v) => v !== 1), "task 1 γ trained");
  assert.ok(gamma0[0].some((v) => v !== 1));
});

// ------------------------------------------------------------------------------------------------------------
// Presets and bad input
// ------------------------------------------------------------------------------------------------------------

test("presets: VGG-7 resolves to the paper's shapes; the small CNN builds and runs a forward pass", () => {
  const presets = convArchitecturePresets();
  assert.ok(Object.keys(presets).length >= 2);
  for (const [name, p] of Object.entries(presets)) {
    const blocks = planConvNetwork(p, p.layers);
    const last = blocks[blocks.length - 1];
    assert.ok(last.kind === "linear" && last.outFeatures === 10, `${name}: 10 classes`);
    assert.ok(Object.keys(p.provenance).length > 0, `${name}: provenance`);
  }
  const vgg = planConvNetwork(vgg7Architecture(), vgg7Architecture().layers);
  // Paper §4.8: six 3×3 convs 128-128-256-256-512-512 on 3×32×32, pools after each pair → 512×4×4 = 8192 → 1024 → 10.
  const expectedWeights = 9 * (3 * 128 + 128 * 128 + 128 * 256 + 256 * 256 + 256 * 512 + 512 * 512) + 8192 * 1024 + 1024 * 10;
  assert.is(vgg.reduce((s, b) => s + blockWeightCount(b), 0), expectedWeights);
  assert.is(vgg.filter((b) => b.kind === "conv" && b.pool).length, 3);
  const fc = vgg[6];
  assert.ok(fc.kind === "linear" && fc.inFeatures === 8192);
  // The cost table of the paper's VGG-7 by hand: a conv layer's MACs are its weights × its output map (32, 32, 16,
  // 16, 8, 8 pixels square: each pool follows a pair), a linear layer's its weights.
  const tally = (rows: { weights: number; macs: number }[]) => rows.reduce((a, r) => [a[0] + r.weights, a[1] + r.macs], [0, 0]);
  const vggMacs = 9 * (3 * 128 * 32 ** 2 + 128 * 128 * 32 ** 2 + 128 * 256 * 16 ** 2 + 256 * 256 * 16 ** 2 + 256 * 512 * 8 ** 2 + 512 * 512 * 8 ** 2) + 8192 * 1024 + 1024 * 10;
  assert.equal(tally(convArchitectureCost(vgg7Architecture())), [expectedWeights, vggMacs]);
  // Compact CNN by hand: 16·9 + 16·32·9 + 1568·128 + 128·10 weights; MACs 144·784 + 4608·196 + 200704 + 1280.
  assert.equal(tally(convArchitectureCost(COMPACT_CNN_28)), [144 + 4608 + 200704 + 1280, 144 * 784 + 4608 * 196 + 200704 + 1280]);
  const small = planConvNetwork(SMALL_CNN_28, SMALL_CNN_28.layers);
  const smallFc = small[4];
  assert.ok(smallFc.kind === "linear" && smallFc.inFeatures === 64 * 7 * 7 && smallFc.outFeatures === 256);
  const net = createConvNetwork({ ...SMALL_CNN_28, transfer: idealSign, hiddenBits: 3 }, createRng("small-cnn"));
  const x = randomArray(2 * 784, createRng("small-x"), 0, 1);
  const fwd = convForward(net, inferenceWeights(net), x, 2, 0, { training: false });
  assert.is(fwd.logits.length, 20);
  assert.ok(fwd.logits.every(Number.isFinite));
});

test("bad input: RangeErrors name the field and both shapes", () => {
  const base = { inputChannels: 1, inputHeight: 6, inputWidth: 6, transfer: idealSign };
  const make = (layers: ConvLayerSpec[], extra: object = {}) => () => createConvNetwork({ ...base, layers, ...extra }, createRng(1));
  assert.throws(make([{ kind: "conv", outChannels: 0, kernel: 3, padding: 1 }, { kind: "linear", outFeatures: 2 }]), (e: Error) => e instanceof RangeError && /layers\[0\]\.outChannels/.test(e.message));
  assert.throws(make([{ kind: "conv", outChannels: 2, kernel: 2, padding: 1 }, { kind: "linear", outFeatures: 2 }]), (e: Error) => e instanceof RangeError && /layers\[0\]\.kernel must be odd/.test(e.message));
  assert.throws(make([{ kind: "linear", outFeatures: 2 }], { inputChannels: 0 }), (e: Error) => e instanceof RangeError && /inputChannels/.test(e.message));
  assert.throws(make([{ kind: "linear", outFeatures: -1 }]), (e: Error) => e instanceof RangeError && /layers\[0\]\.outFeatures/.test(e.message));
  // Pool on an odd side: 1×7×7 → conv (pad 1) → 4×7×7 → pool.
  assert.throws(make([{ kind: "conv", outChannels: 4, kernel: 3, padding: 1 }, { kind: "maxpool" }, { kind: "linear", outFeatures: 2 }], { inputHeight: 7, inputWidth: 7 }), (e: Error) => e instanceof RangeError && /layers\[1\]/.test(e.message) && /4×7×7/.test(e.message));
  assert.throws(make([{ kind: "maxpool" }, { kind: "linear", outFeatures: 2 }]), (e: Error) => e instanceof RangeError && /layers\[0\]: a maxpool must directly follow a conv/.test(e.message));
  assert.throws(make([{ kind: "linear", outFeatures: 4 }, { kind: "conv", outChannels: 2, kernel: 3, padding: 1 }, { kind: "linear", outFeatures: 2 }]), (e: Error) => e instanceof RangeError && /layers\[1\]/.test(e.message));
  assert.throws(make([{ kind: "conv", outChannels: 2, kernel: 3, padding: 1 }]), (e: Error) => e instanceof RangeError && /layers\[0\] must be a linear layer/.test(e.message));
  // The paper's VGG-7 layer list (declared 3×32×32 input) on a 1×28×28 input.
  const vgg = vgg7Architecture();
  assert.throws(
    () => createConvNetwork({ inputChannels: 1, inputHeight: 28, inputWidth: 28, layers: vgg.layers, transfer: idealSign }, createRng(1)),
    (e: Error) => e instanceof RangeError && /layers\[0\]\.inChannels/.test(e.message) && /3×32×32/.test(e.message) && /1×28×28/.test(e.message),
  );
  const decl: ConvLayerSpec[] = [{ kind: "conv", outChannels: 2, kernel: 3, padding: 0 }, { kind: "linear", inFeatures: 72, outFeatures: 2 }];
  assert.throws(make(decl), (e: Error) => e instanceof RangeError && /layers\[1\]\.inFeatures is 72/.test(e.message) && /2×4×4/.test(e.message));
  // Forward with a wrong input size, and a dataset of the wrong shape.
  const net = createConvNetwork({ ...base, layers: TINY_LAYERS }, createRng(2));
  assert.throws(() => convForward(net, inferenceWeights(net), new Float32Array(3 * 49), 3, 0, { training: true }), (e: Error) => e instanceof RangeError && /1×6×6/.test(e.message) && /3×49/.test(e.message));
  const wrong = makeDataset("wrong", new Float32Array(4 * 49), new Int32Array(4), 49, 2);
  assert.throws(() => new ConvTrainer(net, { lr: 0.01, meta: 0 }).trainEpoch(wrong, 2, 0, createRng(3)), (e: Error) => e instanceof RangeError && /\[49\]/.test(e.message) && /1×6×6/.test(e.message));
  assert.throws(() => new ConvTrainer(net, { lr: 0, meta: 0 }), (e: Error) => e instanceof RangeError && /lr/.test(e.message));
});

test.run();
