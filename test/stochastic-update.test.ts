import { test } from "uvu";
import * as assert from "uvu/assert";
import { createRng } from "../src/util/rng";
import { countCoincidences, countPhasedPulses, expectedHalfSelectDriftSteps, expectedPhasedLinePulses, pulseTrain, signPhases } from "../src/array/stochastic-update";
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
    const c = countCoincidences(p, cfg.bl, rng);
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
  const c = countCoincidences({ rowProb: [1], rowSign: [1], colProb: [0], colSign: [1] }, 8, createRng(3));
  assert.is(c.coincidences[0], 0);
  assert.is(c.halfSelected[0], 8);
  const both = countCoincidences({ rowProb: [1], rowSign: [1], colProb: [1], colSign: [-1] }, 8, createRng(3));
  assert.is(both.coincidences[0], -8);
  assert.is(both.halfSelected[0], 0);
});

test("sign phases: which run and which lines fire in each, by hand; bad signs throw", () => {
  // Rows: p = (0.5, 0, 0.3), signs (+, −, −): row 1 never fires (p = 0). Columns: q = (0.2, 0.4, 0), signs (−, −, +):
  // no positive column fires (q_2 = 0). So (+,+) and (−,+) are skipped; (+,−) fires row 0 on columns 0, 1 (σ = −1) and
  // (−,−) fires row 2 on columns 0, 1 (σ = +1).
  const ph = signPhases({ rowProb: [0.5, 0, 0.3], rowSign: [1, -1, -1], colProb: [0.2, 0.4, 0], colSign: [-1, -1, 1] });
  assert.equal(ph, [
    { rowSign: 1, colSign: -1, direction: -1, rows: [0], cols: [0, 1] },
    { rowSign: -1, colSign: -1, direction: 1, rows: [2], cols: [0, 1] },
  ]);
  assert.equal(signPhases({ rowProb: [0, 0], rowSign: [1, -1], colProb: [0.5], colSign: [1] }), [], "no firing row: nothing runs");
  assert.throws(() => signPhases({ rowProb: [0.5, 0.5], rowSign: [1, 0], colProb: [0.5], colSign: [1] }), /rowSign\[1\]/);
  assert.throws(() => signPhases({ rowProb: [0.5], rowSign: [1, 1], colProb: [0.5], colSign: [1] }), /rowSign must have one entry per line/);
  assert.throws(() => signPhases({ rowProb: [0.5], rowSign: [1], colProb: [1.5], colSign: [1] }), /colProb\[0\]/);
});

test("phased counts: per-phase full and half-selects add up to the totals; half + 2·full = R_i + C_j in every phase", () => {
  const rowProb = [0.7, 0.4, 0, 0.9];
  const rowSign = [1, -1, -1, 1];
  const colProb = [0.5, 0.8, 0, 0.3, 0.6];
  const colSign = [1, -1, 1, -1, 1];
  const c = countPhasedPulses({ rowProb, rowSign, colProb, colSign }, 12, createRng("phased"));
  assert.equal(c.phases.map((p) => [p.rowSign, p.colSign]), [[1, 1], [1, -1], [-1, 1], [-1, -1]]);
  const [rows, cols] = [4, 5];
  const full = new Int32Array(20);
  const half = new Int32Array(20);
  const net = new Int32Array(20);
  const rowFired = new Int32Array(rows);
  const colFired = new Int32Array(cols);
  for (const p of c.phases) {
    for (let i = 0; i < rows; i++) {
      const fires = p.rows.includes(i);
      assert.ok(fires || p.rowCount[i] === 0, `row ${i} idle in phase (${p.rowSign},${p.colSign}) but fired`);
      assert.is(fires, rowSign[i] === p.rowSign && rowProb[i] > 0);
      rowFired[i] += p.rowCount[i];
    }
    for (let j = 0; j < cols; j++) {
      assert.ok(p.cols.includes(j) || p.colCount[j] === 0);
      colFired[j] += p.colCount[j];
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        if (!(p.rows.includes(i) && p.cols.includes(j))) assert.is(p.full[k], 0, "a coincidence needs both lines firing in the phase");
        assert.ok(p.full[k] <= Math.min(p.rowCount[i], p.colCount[j]));
        assert.is(p.half[k] + 2 * p.full[k], p.rowCount[i] + p.colCount[j]);
        full[k] += p.direction * p.full[k];
        half[k] += p.half[k];
        net[k] += p.direction * p.half[k];
      }
    }
  }
  assert.equal(Array.from(c.coincidences), Array.from(full));
  assert.equal(Array.from(c.halfSelected), Array.from(half));
  assert.equal(Array.from(c.halfSelectedNet), Array.from(net));
  assert.equal(Array.from(c.rowFired), Array.from(rowFired));
  assert.equal(Array.from(c.colFired), Array.from(colFired));
  // Signs of the net coincidences follow rowSign·colSign.
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.ok(c.coincidences[i * cols + j] * rowSign[i] * colSign[j] >= 0);
});

test("phased counts, Monte Carlo: mean coincidences = sign·BL·p·q and mean net half-selects = expectedHalfSelectDriftSteps/k, within 5 s.e.", () => {
  // Each trial is independent; the mean of T trials has s.e. s/√T (s the sample std); with T = 3000 the CLT holds and
  // |z| > 5 has probability < 6e-7 per check (40 checks).
  const rowProb = [0.7, 0.4, 0, 0.9];
  const rowSign = [1, -1, -1, 1];
  const colProb = [0.5, 0.8, 0, 0.3, 0.6];
  const colSign = [1, -1, 1, -1, 1];
  const bl = 12;
  const T = 3000;
  const rng = createRng("phased-mc");
  const s1 = new Float64Array(20);
  const s2 = new Float64Array(20);
  const h1 = new Float64Array(20);
  const h2 = new Float64Array(20);
  for (let t = 0; t < T; t++) {
    const c = countPhasedPulses({ rowProb, rowSign, colProb, colSign }, bl, rng);
    for (let k = 0; k < 20; k++) {
      s1[k] += c.coincidences[k];
      s2[k] += c.coincidences[k] ** 2;
      h1[k] += c.halfSelectedNet[k];
      h2[k] += c.halfSelectedNet[k] ** 2;
    }
  }
  const drift = expectedHalfSelectDriftSteps(1, bl, { rowProb, rowSign, colProb, colSign });
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 5; j++) {
      const k = i * 5 + j;
      const check = (sum: number, sumSq: number, want: number, what: string) => {
        const m = sum / T;
        const se = Math.sqrt(Math.max(0, sumSq / T - m * m) / (T - 1));
        assert.ok(Math.abs(m - want) <= 5 * se + 1e-12, `(${i},${j}) ${what}: ${m} vs ${want} ± ${se}`);
      };
      check(s1[k], s2[k], rowSign[i] * colSign[j] * bl * rowProb[i] * colProb[j], "coincidences");
      check(h1[k], h2[k], drift[k], "net half-selects");
    }
  }
});

test("expected half-select drift: the closed forms of its derivation", () => {
  const k = 0.02;
  const bl = 10;
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);
  // All four phases run (rows and columns of both signs): drift = −2k·BL·p·q·d for every device.
  {
    const [p, rs, q, cs] = [[0.3, 0.6], [1, -1], [0.5, 0.2], [-1, 1]];
    const e = expectedHalfSelectDriftSteps(k, bl, { rowProb: p, rowSign: rs, colProb: q, colSign: cs });
    p.forEach((pi, i) => q.forEach((qj, j) => close(e[i * 2 + j], -2 * k * bl * pi * qj * rs[i] * cs[j], `four phases (${i},${j})`)));
  }
  // Only one phase runs (all signs +): drift = +k·BL·(p + q − 2pq), along the update.
  {
    const [p, q] = [[0.3, 0.6], [0.5, 0.2]];
    const e = expectedHalfSelectDriftSteps(k, bl, { rowProb: p, rowSign: [1, 1], colProb: q, colSign: [1, 1] });
    p.forEach((pi, i) => q.forEach((qj, j) => close(e[i * 2 + j], k * bl * (pi + qj - 2 * pi * qj), `own phase only (${i},${j})`)));
  }
  // Idle column (q = 0): 0 when columns of both signs fire, ±k·BL·p_i when only one sign does.
  {
    const e = expectedHalfSelectDriftSteps(k, bl, { rowProb: [0.4], rowSign: [-1], colProb: [0.5, 0.3, 0], colSign: [1, -1, 1] });
    close(e[2], 0, "idle column, both column signs fire");
    const f = expectedHalfSelectDriftSteps(k, bl, { rowProb: [0.4], rowSign: [-1], colProb: [0.5, 0], colSign: [-1, 1] });
    close(f[1], k * bl * 0.4, "idle column, only negative columns fire: phase (−,−), σ = +1");
    const g = expectedHalfSelectDriftSteps(k, bl, { rowProb: [0.4, 0], rowSign: [-1, 1], colProb: [0.5], colSign: [-1] });
    close(g[1], k * bl * 0.5, "idle row under a column firing only in phase (−,−)");
  }
  assert.throws(() => expectedHalfSelectDriftSteps(1.5, bl, { rowProb: [0.5], rowSign: [1], colProb: [0.5], colSign: [1] }), /half-select fraction k/);
  assert.throws(() => expectedHalfSelectDriftSteps(0.1, 0, { rowProb: [0.5], rowSign: [1], colProb: [0.5], colSign: [1] }), /BL/);
});

test("expected line pulses: a line counts once per phase it fires in, by hand", () => {
  // Rows p = (0.5, 0.25), signs (+, −); columns q = (0.4, 0.2, 0), all +. Phases (+,+) and (−,+) run: each row fires
  // once (0.75), each firing column twice (2·0.6 = 1.2): BL·1.95 = 19.5 at BL = 10 (not BL·(Σp + Σq) = 13.5).
  assert.ok(Math.abs(expectedPhasedLinePulses({ rowProb: [0.5, 0.25], rowSign: [1, -1], colProb: [0.4, 0.2, 0], colSign: [1, 1, 1] }, 10) - 19.5) < 1e-12);
  // Both column signs too: every line fires twice, 2·BL·(Σp + Σq).
  assert.ok(Math.abs(expectedPhasedLinePulses({ rowProb: [0.5, 0.25], rowSign: [1, -1], colProb: [0.4, 0.2], colSign: [1, -1] }, 10) - 27) < 1e-12);
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
