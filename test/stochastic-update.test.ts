import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { countCoincidences, pulseTrain } from "../src/array/stochastic-update";
import { expectedUpdate, pulseProbabilities, validateProbabilities } from "../src/array/outer-product-update";

const x = [0.8, -0.4, 0.2, 1.0];
const d = [0.5, -1.0, 0.25, 0.75];
const cfg = { learningRate: 0.05, bl: 31, dwMin: 0.02 };

test("mean stochastic update equals η·x·δᵀ within sampling error (5σ per device)", () => {
  // Each trial's count on device (i, j) is Binomial(BL, p_i q_j); over T trials the mean is normal to a
  // very good approximation (T·BL·pq ≥ 100). |z| > 5 has probability 5.7e-7 per device, so with 16
  // devices the test fails falsely with probability < 1e-5 for a random seed.
  const p = pulseProbabilities(x, d, cfg);
  assert.is(p.clipped, 0);
  const rng = createRng("outer-product");
  const trials = 4000;
  const sum = new Float64Array(16);
  for (let t = 0; t < trials; t++) {
    const c = countCoincidences(p.rowProb, p.rowSign, p.colProb, p.colSign, cfg.bl, rng);
    for (let k = 0; k < 16; k++) sum[k] += c.coincidences[k];
  }
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      const k = i * 4 + j;
      const target = cfg.learningRate * x[i] * d[j];
      const pq = p.rowProb[i] * p.colProb[j];
      const sd = (Math.sqrt(cfg.bl * pq * (1 - pq)) * cfg.dwMin) / Math.sqrt(trials);
      const meanDw = (sum[k] / trials) * cfg.dwMin;
      const z = (meanDw - target) / sd;
      assert.ok(Math.abs(z) < 5, `device (${i},${j}): mean ${meanDw} vs η·x·δ ${target}, z = ${z}`);
    }
  }
});

test("expected update BL·p·q·Δw_min equals η·x·δ exactly when nothing clips, managed or not", () => {
  for (const managed of [true, false]) {
    const p = pulseProbabilities(x, d, { ...cfg, managed });
    const e = expectedUpdate(p, cfg.bl, cfg.dwMin);
    x.forEach((xi, i) => d.forEach((dj, j) => assert.ok(Math.abs(e[i * 4 + j] - cfg.learningRate * xi * dj) < 1e-12)));
  }
});

test("update management balances the two trains: max p = max q", () => {
  const p = pulseProbabilities([0.1, 0.05], [2, -1], cfg);
  assert.ok(Math.abs(Math.max(...p.rowProb) - Math.max(...p.colProb)) < 1e-12);
  // Hand value: C = √(η/(BL·Δw)) = √(0.05/0.62); both maxima = C·√(0.1·2).
  assert.ok(Math.abs(p.rowProb[0] - Math.sqrt(0.05 / 0.62) * Math.sqrt(0.2)) < 1e-12);
});

test("clipping at p = 1 is reported and shrinks the expected update below the target", () => {
  // C = √(η/(BL·Δw)) = √50 ≈ 7.07 and a = 1, so both trains ask for p = q = 7.07: both clip to 1, and the expected
  // update falls from the target η·x·δ = 5 to BL·1·1·Δw = 0.1.
  const p = pulseProbabilities([1], [1], { learningRate: 5, bl: 10, dwMin: 0.01 });
  assert.is(p.clipped, 2);
  assert.is(p.rowProb[0], 1);
  assert.is(p.colProb[0], 1);
  assert.ok(Math.abs(expectedUpdate(p, 10, 0.01)[0] - 0.1) < 1e-12);
});

test("half-selects: a firing row over an idle column gives BL half-selects and no coincidence", () => {
  const c = countCoincidences([1], [1], [0], [1], 8, createRng(3));
  assert.is(c.coincidences[0], 0);
  assert.is(c.halfSelected[0], 8);
  const both = countCoincidences([1], [1], [1], [-1], 8, createRng(3));
  assert.is(both.coincidences[0], -8);
  assert.is(both.halfSelected[0], 0);
});

test("bad input: BL ≤ 0, probabilities outside [0, 1], non-positive learning rate", () => {
  assert.throws(() => pulseProbabilities(x, d, { ...cfg, bl: 0 }), /BL/);
  assert.throws(() => pulseProbabilities(x, d, { ...cfg, bl: -3 }), /BL/);
  assert.throws(() => pulseTrain(1.2, 10, createRng(1)), /\[0, 1\]/);
  assert.throws(() => pulseTrain(-0.1, 10, createRng(1)), /\[0, 1\]/);
  assert.throws(() => validateProbabilities("rowProb", [0.2, 1.5]), /rowProb\[1\]/);
  assert.throws(() => pulseProbabilities(x, d, { ...cfg, learningRate: 0 }), /learningRate/);
  assert.throws(() => pulseProbabilities([NaN], d, cfg), /x\[0\]/);
});

test.run();
