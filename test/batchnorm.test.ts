import { test } from "uvu";
import * as assert from "uvu/assert";
import { batchNormBackward, batchNormForward, freshBatchNorm } from "../src/nn/batchnorm";

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("forward by hand: batch statistics, running-statistics update (unbiased variance), sign output, running-statistics mode", () => {
  // One feature, four rows z = 1, 2, 3, 4: μ = 2.5, biased σ² = 1.25, unbiased 5/3.
  const z = Float32Array.from([1, 2, 3, 4]);
  const bn = freshBatchNorm(1);
  bn.gamma[0] = 2;
  bn.beta[0] = -1;
  const out = { xhat: new Float32Array(4), y: new Float32Array(4), invStd: new Float32Array(1), sign: new Float32Array(4) };
  const eps = 1e-5;
  assert.ok(batchNormForward(z, 4, 1, bn, { training: true, useBatchStats: true, eps, momentum: 0.1 }, out));
  const inv = 1 / Math.sqrt(1.25 + eps);
  close(out.invStd[0], inv, 1e-6, "invStd");
  [1, 2, 3, 4].forEach((v, i) => {
    close(out.xhat[i], (v - 2.5) * inv, 1e-6, `xhat[${i}]`);
    close(out.y[i], 2 * (v - 2.5) * inv - 1, 1e-6, `y[${i}]`);
  });
  assert.equal(Array.from(out.sign), [-1, -1, -1, 1]); // y ≈ −3.68, −1.89, −0.11, +1.68
  close(bn.runningMean[0], 0.1 * 2.5, 1e-7, "running mean");
  close(bn.runningVar[0], 0.9 * 1 + 0.1 * (5 / 3), 1e-6, "running variance");
  // Evaluation with running statistics leaves them alone and uses them.
  const evalOut = { xhat: new Float32Array(4), y: new Float32Array(4), invStd: new Float32Array(1) };
  const before = [bn.runningMean[0], bn.runningVar[0]];
  batchNormForward(z, 4, 1, bn, { training: false, useBatchStats: false, eps, momentum: 0.1 }, evalOut);
  assert.equal([bn.runningMean[0], bn.runningVar[0]], before);
  close(evalOut.xhat[3], (4 - before[0]) / Math.sqrt(before[1] + eps), 1e-6, "xhat with running statistics");
});

test("forward reports a non-finite batch mean", () => {
  const bn = freshBatchNorm(2);
  const out = { xhat: new Float32Array(4), y: new Float32Array(4), invStd: new Float32Array(2) };
  assert.is(batchNormForward(Float32Array.from([1, NaN, 2, 3]), 2, 2, bn, { training: true, useBatchStats: true, eps: 1e-5, momentum: 0.1 }, out), false);
});

test("backward matches float64 finite differences of L = Σ c·y in z, γ and β (3 rows × 2 features)", () => {
  const rows = 3;
  const feats = 2;
  const z0 = [0.3, -1.2, 1.7, 0.4, -0.5, 2.2];
  const gamma0 = [1.3, -0.7];
  const beta0 = [0.2, 0.5];
  const c = [0.9, -0.4, 0.1, 1.1, -0.8, 0.3];
  const eps = 1e-5;
  // Reference loss in float64, written out independently of the module.
  const loss = (z: number[], g: number[], b: number[]): number => {
    let l = 0;
    for (let j = 0; j < feats; j++) {
      const col = [0, 1, 2].map((r) => z[r * feats + j]);
      const mu = col.reduce((a, v) => a + v, 0) / rows;
      const v = col.reduce((a, x) => a + (x - mu) ** 2, 0) / rows;
      col.forEach((x, r) => (l += c[r * feats + j] * (g[j] * (x - mu) / Math.sqrt(v + eps) + b[j])));
    }
    return l;
  };
  const bn = freshBatchNorm(feats);
  bn.gamma.set(gamma0);
  bn.beta.set(beta0);
  const fwd = { xhat: new Float32Array(6), y: new Float32Array(6), invStd: new Float32Array(2) };
  batchNormForward(Float32Array.from(z0), rows, feats, bn, { training: true, useBatchStats: true, eps, momentum: 0.1 }, fwd);
  const grads = { dz: new Float32Array(6), dGamma: new Float32Array(2), dBeta: new Float32Array(2) };
  batchNormBackward(Float32Array.from(c), fwd.xhat, fwd.invStd, bn.gamma, rows, feats, grads);
  const h = 1e-6;
  const fd = (f: (d: number) => number) => (f(h) - f(-h)) / (2 * h);
  z0.forEach((_, i) => close(grads.dz[i], fd((d) => loss(z0.map((v, k) => (k === i ? v + d : v)), gamma0, beta0)), 1e-4, `dz[${i}]`));
  gamma0.forEach((_, j) => close(grads.dGamma[j], fd((d) => loss(z0, gamma0.map((v, k) => (k === j ? v + d : v)), beta0)), 1e-4, `dγ[${j}]`));
  beta0.forEach((_, j) => close(grads.dBeta[j], fd((d) => loss(z0, gamma0, beta0.map((v, k) => (k === j ? v + d : v)))), 1e-4, `dβ[${j}]`));
});

test.run();
