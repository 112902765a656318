/**
 * The experiment layer of notebook 09 and the Choi training runs: the device-statistics tables
 * (src/experiments/cmo-device-stats.ts; notebook 09 records falcone.prog_noise from programmingNoiseTable) and the
 * MNIST split (src/experiments/choi-mnist.ts). The device model itself is tested in test/cmo.test.ts; here the
 * tables are checked against the public formulas written out by hand from the preset's fields, and the split
 * against the raw digit files of the `mnist` package read independently.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { CMO_HFOX, type CmoHfoxParams } from "../src/devices/cmo-hfox";
import { programmingNoiseTable, relaxationTable } from "../src/experiments/cmo-device-stats";
import { MNIST_PIXELS, mnistSplit } from "../src/experiments/choi-mnist";
import { relaxationOffsetRms, uniformMvmOutputRms } from "../src/experiments/cmo-mvm";
import { floatMvm } from "../src/array/analog-mvm";
import { createRng } from "../src/util/rng";

const isRangeError = (field: RegExp) => (e: unknown) => e instanceof RangeError && field.test((e as Error).message);

// ---------------------------------------------------------------------------------------------------
// Programming noise

test("programming-noise table: rows acceptance-major, labels in %, σ formula = a·G + b from the preset's public fit", () => {
  const targets = [CMO_HFOX.gMinUS, 40, CMO_HFOX.gMaxUS];
  const rows = programmingNoiseTable(targets, [0.002, 0.02], 100);
  assert.equal(rows.map((r) => [r.acceptance, r.gTargetUS]), [
    ["0.2 %", targets[0]], ["0.2 %", 40], ["0.2 %", targets[2]],
    ["2 %", targets[0]], ["2 %", 40], ["2 %", targets[2]],
  ]);
  for (const r of rows) {
    const fit = CMO_HFOX.programmingNoise[r.acceptance === "0.2 %" ? "0.002" : "0.02"];
    assert.ok(Math.abs(r.sigmaFormulaUS - (fit.slope * r.gTargetUS + fit.interceptUS)) < 1e-15, `${r.acceptance} ${r.gTargetUS}: ${r.sigmaFormulaUS}`);
  }
  // The row notebook 09 records as falcone.prog_noise (G_min, 0.2 %): 0.00106879·9 + 0.00081107 = 0.01043018 µS.
  assert.ok(Math.abs(rows[0].sigmaFormulaUS - 0.01043018) < 1e-12, `${rows[0].sigmaFormulaUS}`);
});

test("programming-noise table: every sampled σ agrees with a·G + b within 5 standard errors", () => {
  const n = 20000;
  const rows = programmingNoiseTable([CMO_HFOX.gMinUS, 20, 60, CMO_HFOX.gMaxUS], [0.002, 0.02], n);
  for (const r of rows) {
    const fit = CMO_HFOX.programmingNoise[r.acceptance === "0.2 %" ? "0.002" : "0.02"];
    const sigma = fit.slope * r.gTargetUS + fit.interceptUS;
    // 5 standard errors of a sample std of n normal draws: 5·σ/√(2(n−1)) (≈ 2.5 % of σ at n = 20000).
    assert.ok(Math.abs(r.sigmaSampledUS - sigma) < (5 * sigma) / Math.sqrt(2 * (n - 1)), `${r.acceptance} at ${r.gTargetUS} µS: sampled ${r.sigmaSampledUS} vs ${sigma}`);
  }
});

test("programming-noise table: uses the parameters passed in (formula and sampling), seeded, each row independent of the others", () => {
  // A made-up device with only a 5 % fit, σ = 0.1·G + 0.5: 2.5 µS at 20 µS.
  const p: CmoHfoxParams = { ...CMO_HFOX, programmingNoise: { "0.05": { slope: 0.1, interceptUS: 0.5 } } };
  const n = 5000;
  const [row] = programmingNoiseTable([20], [0.05], n, p);
  assert.is(row.acceptance, "5 %");
  assert.ok(Math.abs(row.sigmaFormulaUS - 2.5) < 1e-12, `${row.sigmaFormulaUS}`);
  // 5 standard errors of a sample std: 5·σ/√(2(n−1)) ≈ 0.125 µS at n = 5000.
  assert.ok(Math.abs(row.sigmaSampledUS - 2.5) < (5 * 2.5) / Math.sqrt(2 * (n - 1)), `sampled ${row.sigmaSampledUS}`);

  const a = programmingNoiseTable([20, 60], [0.002], 50, CMO_HFOX, "s1");
  assert.equal(programmingNoiseTable([20, 60], [0.002], 50, CMO_HFOX, "s1"), a, "same seed, same table");
  assert.not.equal(programmingNoiseTable([20, 60], [0.002], 50, CMO_HFOX, "s2")[0].sigmaSampledUS, a[0].sigmaSampledUS, "another seed, other samples");
  // The 60 µS row does not depend on whether 20 µS was sampled before it.
  assert.is(programmingNoiseTable([60], [0.002], 50, CMO_HFOX, "s1")[0].sigmaSampledUS, a[1].sigmaSampledUS);
  // Two targets in one table are sampled from different streams, not the same normals rescaled:
  // equal streams would give σ̂(60)/σ̂(20) = σ(60)/σ(20) to rounding.
  const ratio = a[1].sigmaSampledUS / a[0].sigmaSampledUS / (a[1].sigmaFormulaUS / a[0].sigmaFormulaUS);
  assert.ok(Math.abs(ratio - 1) > 1e-9, `ratio ${ratio}`);
});

test("programming-noise table: bad n, unknown acceptance and targets outside the window throw naming the field", () => {
  assert.throws(() => programmingNoiseTable([20], [0.002], 1), isRangeError(/\bn\b/));
  assert.throws(() => programmingNoiseTable([20], [0.002], 10.5), isRangeError(/\bn\b/));
  assert.throws(() => programmingNoiseTable([20], [0.05], 10), isRangeError(/acceptanceRange 0.05/));
  assert.throws(() => programmingNoiseTable([CMO_HFOX.gMaxUS + 1], [0.002], 10), isRangeError(/targetsUS/));
});

// ---------------------------------------------------------------------------------------------------
// Relaxation

test("relaxation table: formulas by hand (μ·ln t, c·ln t + d, K·log10 G·√ln((t + t_r)/2t_r)); t = 0 has no shift and no spread", () => {
  const g = 48.595;
  const times = [0, 1, 3600, 3.15e8];
  const rows = relaxationTable(times, g, 50);
  assert.equal(rows.map((r) => r.timeS), times);
  const p = CMO_HFOX;
  for (const r of rows) {
    const lnT = r.timeS <= 1 ? 0 : Math.log(r.timeS); // the fit starts at 1 s
    const arg = Math.log((r.timeS + p.readTimeS) / (2 * p.readTimeS));
    assert.ok(Math.abs(r.meanShiftUS - p.relaxMeanPerLnTUS * lnT) < 1e-12, `t = ${r.timeS} shift ${r.meanShiftUS}`);
    assert.ok(Math.abs(r.sigmaRelaxUS - (r.timeS === 0 ? 0 : p.relaxStdPerLnTUS * lnT + p.relaxStdAt1sUS)) < 1e-12, `t = ${r.timeS} σ_r ${r.sigmaRelaxUS}`);
    assert.ok(Math.abs(r.sigmaReadUS - (arg <= 0 ? 0 : p.readNoiseK * Math.log10(g) * Math.sqrt(arg))) < 1e-12, `t = ${r.timeS} σ_read ${r.sigmaReadUS}`);
  }
  // t = 0: only programming noise would apply, and the devices are programmed exactly, so nothing moves (up to the
  // rounding of summing 50 copies of g in the mean, ~1e-14 µS).
  assert.ok(Math.abs(rows[0].sampledShiftUS) < 1e-12, `t = 0 shift ${rows[0].sampledShiftUS}`);
  assert.ok(rows[0].sampledSigmaUS < 1e-12, `t = 0 σ ${rows[0].sampledSigmaUS}`);
  assert.is(rows[0].sigmaReadUS, 0); // ln(t_r / 2t_r) < 0
});

test("relaxation table: sampled shift and σ agree with the formulas within 5 standard errors, read noise excluded", () => {
  const n = 40000;
  const g = 48.595; // mid-window: the 10-year mean (≈ 46.8 µS) stays > 30 σ_r from either bound, so the clamp plays no part
  const rows = relaxationTable([1, 3600, 3.15e8], g, n);
  for (const r of rows) {
    const p = CMO_HFOX;
    const lnT = r.timeS <= 1 ? 0 : Math.log(r.timeS);
    const mu = p.relaxMeanPerLnTUS * lnT;
    const sigma = p.relaxStdPerLnTUS * lnT + p.relaxStdAt1sUS;
    // 5 standard errors of a sample mean: 5·σ/√n.
    assert.ok(Math.abs(r.sampledShiftUS - mu) < (5 * sigma) / Math.sqrt(n), `t = ${r.timeS}: shift ${r.sampledShiftUS} vs ${mu}`);
    // 5 standard errors of a sample std: 5·σ/√(2(n−1)) ≈ 1.8 % of σ; with read noise added σ would grow by
    // √(1 + (σ_read/σ_r)²) − 1 ≈ 2.3–4 % at 1 h and 10 y, outside the bound.
    assert.ok(Math.abs(r.sampledSigmaUS - sigma) < (5 * sigma) / Math.sqrt(2 * (n - 1)), `t = ${r.timeS}: σ ${r.sampledSigmaUS} vs ${sigma}`);
  }
});

test("relaxation table: uses the parameters passed in, seeded; bad n and negative time throw", () => {
  // Made-up relaxation: μ = −1 µS per ln t, σ = 0.1·ln t + 0.2; at t = e² s the shift is −2 µS and σ = 0.4 µS.
  const p: CmoHfoxParams = { ...CMO_HFOX, relaxMeanPerLnTUS: -1, relaxStdPerLnTUS: 0.1, relaxStdAt1sUS: 0.2 };
  const n = 5000;
  const t = Math.exp(2);
  const [r] = relaxationTable([t], 50, n, p);
  assert.ok(Math.abs(r.meanShiftUS + 2) < 1e-12 && Math.abs(r.sigmaRelaxUS - 0.4) < 1e-12, `${r.meanShiftUS}, ${r.sigmaRelaxUS}`);
  // 5 standard errors of the mean (5·0.4/√n ≈ 0.028 µS) and of the std (5·0.4/√(2(n−1)) ≈ 0.02 µS).
  assert.ok(Math.abs(r.sampledShiftUS + 2) < (5 * 0.4) / Math.sqrt(n), `sampled shift ${r.sampledShiftUS}`);
  assert.ok(Math.abs(r.sampledSigmaUS - 0.4) < (5 * 0.4) / Math.sqrt(2 * (n - 1)), `sampled σ ${r.sampledSigmaUS}`);

  const a = relaxationTable([3600], 50, 50, CMO_HFOX, "r1");
  assert.equal(relaxationTable([3600], 50, 50, CMO_HFOX, "r1"), a);
  assert.not.equal(relaxationTable([3600], 50, 50, CMO_HFOX, "r2")[0].sampledSigmaUS, a[0].sampledSigmaUS);
  assert.throws(() => relaxationTable([3600], 50, 1), isRangeError(/\bn\b/));
  assert.throws(() => relaxationTable([-1], 50, 10), isRangeError(/tS/));
});

// ---------------------------------------------------------------------------------------------------
// MNIST split

/** The package's digit files read here independently: image text → [digit, index within the digit]. */
function rawIndex(): { where: Map<string, [number, number]>; counts: number[] } {
  const dir = path.join(path.dirname(require.resolve("mnist/package.json")), "src", "digits");
  const where = new Map<string, [number, number]>();
  const counts: number[] = [];
  for (let d = 0; d < 10; d++) {
    const data = JSON.parse(fs.readFileSync(path.join(dir, `${d}.json`), "utf8")).data as number[];
    const n = Math.floor(data.length / MNIST_PIXELS);
    counts.push(n);
    for (let i = 0; i < n; i++) where.set(data.slice(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).map((v) => Math.fround(v)).join(","), [d, i]);
  }
  return { where, counts };
}
const RAW = rawIndex();
const imageKey = (images: Float32Array, k: number): string => Array.from(images.subarray(k * MNIST_PIXELS, (k + 1) * MNIST_PIXELS)).join(",");

test("MNIST split: exactly trainPerDigit / testPerDigit of each digit, each image a real sample of its label, train and test disjoint", () => {
  // (The package's 10,000 images are pairwise distinct, so an image identifies its sample.)
  assert.is(RAW.where.size, RAW.counts.reduce((s, v) => s + v, 0));
  const [tr, te] = [7, 4];
  const { train, test: testSet } = mnistSplit(tr, te, "split-test");
  assert.is(train.count, 10 * tr);
  assert.is(testSet.count, 10 * te);
  assert.is(train.images.length, train.count * MNIST_PIXELS);
  assert.is(testSet.labels.length, testSet.count);
  const used = new Set<string>();
  for (const [set, per, name] of [[train, tr, "train"], [testSet, te, "test"]] as const) {
    const perDigit = new Array(10).fill(0);
    for (let k = 0; k < set.count; k++) {
      const key = imageKey(set.images, k);
      const src = RAW.where.get(key);
      assert.ok(src, `${name} sample ${k} is not an image of the package`);
      assert.is(src![0], set.labels[k], `${name} sample ${k}: label ${set.labels[k]}, image of digit ${src![0]}`);
      assert.not.ok(used.has(key), `${name} sample ${k} (digit ${src![0]} #${src![1]}) used twice`);
      used.add(key);
      perDigit[set.labels[k]]++;
    }
    assert.equal(perDigit, new Array(10).fill(per), `${name} per digit`);
    for (const v of set.images) assert.ok(v >= 0 && v <= 1, `${name} pixel ${v}`);
  }
  // The training set is interleaved, not in digit blocks (a sorted order has probability ~1e-50 here).
  const sorted = Array.from(train.labels).every((v, i, a) => i === 0 || a[i - 1] <= v);
  assert.not.ok(sorted, `training labels in digit order: ${Array.from(train.labels).join("")}`);
});

test("MNIST split: same seed, identical split; another seed, another split", () => {
  const a = mnistSplit(5, 2, 7);
  const b = mnistSplit(5, 2, 7);
  assert.equal(Array.from(a.train.labels), Array.from(b.train.labels));
  assert.ok(a.train.images.every((v, i) => v === b.train.images[i]) && a.test.images.every((v, i) => v === b.test.images[i]));
  const c = mnistSplit(5, 2, 8);
  const trainKeys = (s: ReturnType<typeof mnistSplit>) => new Set(Array.from({ length: s.train.count }, (_, k) => imageKey(s.train.images, k)));
  const ka = trainKeys(a);
  const shared = [...trainKeys(c)].filter((k) => ka.has(k)).length;
  // Choosing 5 of ~1000 per digit, two independent seeds share ≈ 50·5/1000 = 0.25 images on average; ≥ 25 would mean the seed is ignored.
  assert.ok(shared < 25, `${shared} of 50 training images shared between seeds 7 and 8`);
  assert.not.equal(Array.from(c.test.images.subarray(0, 2 * MNIST_PIXELS)), Array.from(a.test.images.subarray(0, 2 * MNIST_PIXELS)));
});

test("MNIST split: the smallest digit can be used up exactly; one more sample, or non-integer / zero sizes, throw naming the field", () => {
  const minN = Math.min(...RAW.counts); // digit 5 of the package
  const smallest = RAW.counts.indexOf(minN);
  const { train, test: testSet } = mnistSplit(minN - 1, 1, "edge");
  // Every sample of the smallest digit appears exactly once across train and test.
  const keys = new Set<string>();
  for (const set of [train, testSet]) for (let k = 0; k < set.count; k++) if (set.labels[k] === smallest) keys.add(imageKey(set.images, k));
  assert.is(keys.size, minN);
  assert.throws(() => mnistSplit(minN, 1), isRangeError(/exceeds/));
  assert.throws(() => mnistSplit(0, 1), isRangeError(/trainPerDigit/));
  assert.throws(() => mnistSplit(2.5, 1), isRangeError(/trainPerDigit/));
  assert.throws(() => mnistSplit(2, 0), isRangeError(/testPerDigit/));
});

// ---------------------------------------------------------------------------------------------------
// Scales of the 64×64 MVM RMSE (notebook 09, section 3)

test("typical MVM output: RMS of W·x with W, x from U(−1, 1) is √(n/9) (64 inputs: 8/3), and a sampled RMS agrees", () => {
  assert.ok(Math.abs(uniformMvmOutputRms(64) - 8 / 3) < 1e-15, `${uniformMvmOutputRms(64)}`);
  assert.ok(Math.abs(uniformMvmOutputRms(9) - 1) < 1e-15, `${uniformMvmOutputRms(9)}`);
  assert.ok(Math.abs(uniformMvmOutputRms(1) - 1 / 3) < 1e-15, `${uniformMvmOutputRms(1)}`);
  // Sampled: 400 draws of a 64×64 W and one x, every output squared (E(Wx)² = 64/9 ≈ 7.11). One draw's mean square
  // scatters by ≈ 21 % (Σx² by 11 %, 64 outputs given x by √(2/64) = 18 %), so the RMS over 400 draws by ≈ 0.5 %: 3 % is 6 of those.
  const rng = createRng("typical-mvm-output");
  const n = 64;
  let sq = 0;
  let count = 0;
  for (let d = 0; d < 400; d++) {
    const w = Float64Array.from({ length: n * n }, () => rng.uniformIn(-1, 1));
    const x = Float64Array.from({ length: n }, () => rng.uniformIn(-1, 1));
    for (const y of floatMvm(w, n, n, x)) { sq += y * y; count++; }
  }
  const sampled = Math.sqrt(sq / count);
  assert.ok(Math.abs(sampled / (8 / 3) - 1) < 0.03, `sampled RMS ${sampled} vs 8/3`);
  assert.throws(() => uniformMvmOutputRms(0), isRangeError(/n \(inputs per output\)/));
  assert.throws(() => uniformMvmOutputRms(2.5), isRangeError(/n \(inputs per output\)/));
});

test("relaxation offset: |μ_r ln t| / ((G_max − G_min)/2) · √(n/3), by hand; 0 at t ≤ 1 s; sign of μ_r does not matter", () => {
  // Made-up device: μ_r = −0.1 µS, window 10–110 µS (s = 50 µS per unit weight); t = e³ s, n = 48:
  // shift 0.3 µS → Δw = 0.3/50 = 0.006, times √(48/3) = 4: 0.024.
  const p: CmoHfoxParams = { ...CMO_HFOX, gMinUS: 10, gMaxUS: 110, relaxMeanPerLnTUS: -0.1 };
  assert.ok(Math.abs(relaxationOffsetRms(Math.exp(3), 48, p) - 0.024) < 1e-12, `${relaxationOffsetRms(Math.exp(3), 48, p)}`);
  assert.ok(Math.abs(relaxationOffsetRms(Math.exp(3), 48, { ...p, relaxMeanPerLnTUS: 0.1 }) - 0.024) < 1e-12, "a rising mean gives the same offset size");
  assert.is(relaxationOffsetRms(1, 48, p), 0);
  assert.is(relaxationOffsetRms(0, 48, p), 0);
  // The default device is the CMO/HfOx preset (notebook 09's line calls it without one).
  const tenYears = 10 * 365 * 24 * 3600;
  assert.is(relaxationOffsetRms(tenYears, 64), relaxationOffsetRms(tenYears, 64, CMO_HFOX));
  assert.throws(() => relaxationOffsetRms(tenYears, 0), isRangeError(/n \(inputs per output\)/));
  assert.throws(() => relaxationOffsetRms(-1, 64), isRangeError(/tS/));
});

test.run();
