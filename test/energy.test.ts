import { test } from "uvu";
import * as assert from "uvu/assert";
import { blockAlignedBytes, digitalPassEnergy, YANG_DIGITAL_PLATFORM, type DigitalPlatform } from "../src/energy/digital-platform";
import { expectedPhaseSteps, meanBinaryReadCurrentsA, mttPassEnergy, rowSteps, scalePulseCounts, validatePeriphery, type WriteVerifyStats } from "../src/energy/mtt-platform";
import {
  BINARY_READ_HIDDEN_GRID,
  CALIBRATED_DIGITAL_PLATFORM,
  ECRAM_MTT_BINARY_READ,
  ECRAM_MTT_PERIPHERY,
  MTT_PERIPHERY_PRESETS,
  RRAM_MTT_BINARY_READ,
  RRAM_MTT_PERIPHERY,
} from "../src/energy/presets";
import { compareAt, FOUR_MEGABIT_WEIGHTS, sensitivity, solveMonotone } from "../src/energy/quantization-energy";
import { measureWriteVerify } from "../src/energy/write-verify-stats";
import { DEFAULT_FIG7K_CONFIG, RRAM_PROTOCOL_WINDOW, rramPulseWidthScan } from "../src/experiments/energy-fig7k";
import { EcramDevice, WOX_LIPON_ECRAM } from "../src/devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import { createRng } from "../src/util/rng";
import { TAOX_RRAM, TaoxRramDevice } from "../src/devices/taox-rram";
import { RRAM_WRITE_VERIFY } from "../src/mtt/rram-programming";
import { inferenceCurrentUA, nodeVoltageV, unitReadCurrentsUA, type MttUnit } from "../src/mtt/circuit";
import { subthresholdPrefactorUA, thermalVoltageV } from "../src/devices/mosfet";
import { ecramMttHardware, rramMttHardware } from "../src/nn/hardware-mapping";

const close = (a: number, b: number, rel = 1e-9) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

/** A round-number platform whose pass energy is easy to do by hand. */
const TOY: DigitalPlatform = {
  gpu: { name: "toy gpu", powerW: 100, fp32FlopsPerS: 1e12, memoryBandwidthBytesPerS: 1e12, source: "test" },
  ssd: { name: "toy ssd", readPowerW: 2, writePowerW: 4, readBandwidthBytesPerS: 1e9, writeBandwidthBytesPerS: 1e9, blockBytes: 1, randomIops: 1e12, source: "test" },
  workload: { analogBits: 32, binaryBits: 8, flopsPerWeight: 10, hbmBytesPerWeight: 5, binaryReadbacks: 1, weightsPerAccess: 1e9, fixedOverheadJ: 0, source: "test" },
};

test("digital pass energy matches a hand computation (bandwidth-bound SSD, compute-bound GPU)", () => {
  const n = 1000;
  const e = digitalPassEnergy(TOY, n);
  // read: 4000 B analog + 1000 B binary at 1 GB/s and 2 W → 5 µs · 2 W = 10 µJ
  assert.ok(close(e.ssdReadJ, 10e-6), `ssdReadJ ${e.ssdReadJ}`);
  // write: 5000 B at 1 GB/s and 4 W → 20 µJ
  assert.ok(close(e.ssdWriteJ, 20e-6), `ssdWriteJ ${e.ssdWriteJ}`);
  // GPU: max(1e4 FLOP / 1e12, 5e3 B / 1e12) = 1e-8 s at 100 W → 1 µJ
  assert.ok(close(e.gpuJ, 1e-6), `gpuJ ${e.gpuJ}`);
  assert.ok(close(e.totalJ, 31e-6));
});

test("small storage accesses make the SSD command-rate bound: energy = P / IOPS per command", () => {
  const p: DigitalPlatform = { ...TOY, ssd: { ...TOY.ssd, randomIops: 1e5 }, workload: { ...TOY.workload, weightsPerAccess: 10 } };
  const e = digitalPassEnergy(p, 1000);
  // 100 accesses, two read streams → 200 commands at 1e5/s and 2 W = 4 mJ; writes 200 commands at 4 W = 8 mJ
  assert.ok(close(e.ssdReadJ, 4e-3), `${e.ssdReadJ}`);
  assert.ok(close(e.ssdWriteJ, 8e-3), `${e.ssdWriteJ}`);
});

test("the last, partial access carries only the remaining weights: one more weight costs one more small access, not a full one", () => {
  // Bandwidth-bound toy SSD (1-byte blocks), k = 1000 weights per access, 32 + 8 bits per weight.
  const p: DigitalPlatform = { ...TOY, workload: { ...TOY.workload, weightsPerAccess: 1000 } };
  // N = 1001: 1000 + 1 weights → the reads move 4004 B of analog and 1001 B of binary weights (one read-back) at
  // 1 GB/s and 2 W: 5.005 µs · 2 W = 10.01 µJ. Billing the last access as a full one would read 8000 + 2000 B: 20 µJ.
  const e = digitalPassEnergy(p, 1001);
  assert.ok(close(e.ssdReadJ, 10.01e-6), `ssdReadJ ${e.ssdReadJ}`);
  // A multiple of k is unchanged: N = 2000 is two full accesses, twice N = 1000.
  assert.ok(close(digitalPassEnergy(p, 2000).ssdReadJ, 2 * digitalPassEnergy(p, 1000).ssdReadJ));
  // Command-bound: the partial access is still one command (N = 1001 → 2 commands per stream).
  const slow: DigitalPlatform = { ...p, ssd: { ...p.ssd, randomIops: 1 } };
  assert.ok(close(digitalPassEnergy(slow, 1001).ssdReadJ, 2 * 2 * 2), "2 read streams × 2 commands at 1/s × 2 W");
});

test("block alignment rounds up to whole blocks", () => {
  assert.is(blockAlignedBytes(1024, 1, 512), 512);
  assert.is(blockAlignedBytes(4096, 1, 512), 512);
  assert.is(blockAlignedBytes(4097, 1, 512), 1024);
  assert.is(blockAlignedBytes(128, 32, 512), 512);
});

test("the digital platform's energy is linear in N away from block rounding", () => {
  const a = digitalPassEnergy(YANG_DIGITAL_PLATFORM, 2 ** 20).totalJ;
  const b = digitalPassEnergy(YANG_DIGITAL_PLATFORM, 2 ** 21).totalJ;
  assert.ok(close(b / a, 2, 1e-6), `ratio ${b / a}`);
});

test("expected phase length with every cell taking part is the expected maximum of C draws: hand cases", () => {
  const maxOf = (s: number[], k: number) => expectedPhaseSteps(s, k, 1);
  assert.ok(close(maxOf([1, 2], 1), 1.5));
  assert.ok(close(maxOf([1, 2], 2), 1 * 0.25 + 2 * 0.75));
  assert.ok(close(maxOf([3, 3, 3], 50), 3));
  assert.is(maxOf([], 5), 0);
  // grows with k and never exceeds the sample maximum
  const s = [1, 4, 2, 8, 5, 7];
  let prev = 0;
  for (const k of [1, 2, 4, 16, 256]) {
    const m = maxOf(s, k);
    assert.ok(m >= prev && m <= 8);
    prev = m;
  }
});

test("expected phase length when each cell takes part with probability p: hand cases", () => {
  // One cell: it needs the phase with probability p, then a mean draw: p · mean.
  assert.ok(close(expectedPhaseSteps([2, 4], 1, 0.25), 0.25 * 3));
  // Two cells, sample {2, 4}, p = 1/2: each cell needs 0, 2 or 4 pulses with probability 1/2, 1/4, 1/4; the
  // maximum is 4 unless neither needs 4 (prob (3/4)² = 9/16), then 2 unless both need 0 (prob 1/4):
  // E = 4·(7/16) + 2·(9/16 − 4/16) = 28/16 + 10/16 = 2.375.
  assert.ok(close(expectedPhaseSteps([2, 4], 2, 0.5), 2.375));
  assert.is(expectedPhaseSteps([2, 4], 3, 0), 0);
  assert.throws(() => expectedPhaseSteps([2, -1], 3, 0.5), /pulse counts must be ≥ 0, got -1/);
  assert.throws(() => expectedPhaseSteps([2, 4], 3, 1.5), /share must be in \[0, 1\], got 1.5/);
});

const STATS: WriteVerifyStats = {
  device: "toy",
  meanPulses: 10,
  meanReads: 11,
  meanDeviceEnergyJ: 10 * 1e-12,
  meanReadConductanceUS: 10,
  pulseWidthS: 1e-6,
  pulsesUp: [10, 10],
  pulsesDown: [10, 10],
  source: "test",
};

test("a one-cell row needs the mean pulse count; a long row the sum of the two phases' maxima", () => {
  const stats = { ...STATS, pulsesUp: [4, 8, 12], pulsesDown: [2, 6] };
  // One cell: up with probability 3/5 (mean 8), down with 2/5 (mean 4): 3/5·8 + 2/5·4 = 6.4, the mean of all five.
  assert.ok(close(rowSteps(stats, 1), (4 + 8 + 12 + 2 + 6) / 5), `one cell: ${rowSteps(stats, 1)}`);
  // 10⁴ cells: both phases all but surely contain their slowest cell: 12 + 6.
  assert.ok(close(rowSteps(stats, 1e4), 18), `long row: ${rowSteps(stats, 1e4)}`);
});

test("MTT pass energy: per-weight terms by hand, row term shared by √N cells", () => {
  const per = { ...ECRAM_MTT_PERIPHERY, stepPeripheryEnergyJ: 2e-12, verifyReadVoltageV: 0.1, readTimeS: 1e-6, rowDriverPowerW: 1e-3, hiddenBiasV: 1, dividerCurrentA: 1e-6, inferenceDrainV: 0, inferenceCurrentA: 0 };
  const n = 10000; // 100 × 100
  const e = mttPassEnergy(STATS, per, n);
  assert.ok(close(e.devicePulsesJ, n * 10e-12));
  assert.ok(close(e.stepPeripheryJ, n * 10 * 2e-12));
  // verify read: 11 reads · 10 µS · (0.1 V)² · 1 µs = 1.1e-15 J per weight
  assert.ok(close(e.verifyReadsJ, n * 11 * 10e-6 * 0.01 * 1e-6));
  assert.ok(close(e.binaryReadsJ, n * 1 * 1e-6 * 1e-6));
  // every cell needs 10 pulses in each phase → 20 row steps; 100 rows · 20 · 1 mW · 1 µs
  assert.ok(close(rowSteps(STATS, 100), 20));
  assert.ok(close(e.rowDriversJ, 100 * 20 * 1e-3 * 1e-6));
  // per-weight row energy falls as 1/√N when the row maximum is fixed
  const big = mttPassEnergy(STATS, per, 4 * n);
  assert.ok(close(big.rowDriversJ / (4 * n), e.rowDriversJ / n / 2));
});

/**
 * r2/r1 when every pulse count doubles: the digital side is unchanged, so r2/r1 = M₁/M₂ with M₂ from M₁'s terms:
 * device pulses, step periphery and row drivers (a row step count is a maximum of pulse counts, linear in them)
 * double; n̄_r verify reads become 2n̄_r − 1 (one read per pulse plus the first); the binary read does not change.
 * Hence 1/2 < r2/r1 < 1, and exactly 1/2 only without reads.
 */
function doubledPulseRatio(stats: WriteVerifyStats, periphery: typeof ECRAM_MTT_PERIPHERY): number {
  const m1 = mttPassEnergy(stats, periphery, FOUR_MEGABIT_WEIGHTS);
  const m2 = 2 * (m1.devicePulsesJ + m1.stepPeripheryJ + m1.rowDriversJ) + (m1.verifyReadsJ * (2 * stats.meanReads - 1)) / stats.meanReads + m1.binaryReadsJ;
  return m1.totalJ / m2;
}

test("doubling the MTT pulse count: the advantage falls to M₁/M₂, predicted term by term (the model is wired through)", () => {
  const tech = { label: "toy", stats: STATS, periphery: ECRAM_MTT_PERIPHERY };
  const r1 = compareAt(CALIBRATED_DIGITAL_PLATFORM, tech, FOUR_MEGABIT_WEIGHTS).ratio;
  const r2 = compareAt(CALIBRATED_DIGITAL_PLATFORM, { ...tech, stats: scalePulseCounts(STATS, 2) }, FOUR_MEGABIT_WEIGHTS).ratio;
  const expected = doubledPulseRatio(STATS, ECRAM_MTT_PERIPHERY);
  assert.ok(close(r2 / r1, expected), `r2/r1 = ${r2 / r1}, expected ${expected}`);
  assert.ok(expected > 0.5 && expected < 1);
});

test("doubling pulses on measured ECRAM statistics: the advantage falls to the term-by-term prediction M₁/M₂", () => {
  const m = measureWriteVerify((r) => new EcramDevice(WOX_LIPON_ECRAM, undefined), ECRAM_WRITE_VERIFY, { samples: 60, bits: 3, windowLoUS: 0, windowHiUS: 50 }, createRng(11), "test");
  assert.ok(m.stats.meanPulses > 0 && m.stats.meanDeviceEnergyJ > 0);
  assert.is(m.stats.pulsesUp.length + m.stats.pulsesDown.length, 60);
  const tech = { label: "ECRAM-MTT", stats: m.stats, periphery: ECRAM_MTT_PERIPHERY };
  const r1 = compareAt(CALIBRATED_DIGITAL_PLATFORM, tech, FOUR_MEGABIT_WEIGHTS).ratio;
  const r2 = compareAt(CALIBRATED_DIGITAL_PLATFORM, { ...tech, stats: scalePulseCounts(m.stats, 2) }, FOUR_MEGABIT_WEIGHTS).ratio;
  const expected = doubledPulseRatio(m.stats, ECRAM_MTT_PERIPHERY);
  assert.ok(close(r2 / r1, expected), `r2/r1 = ${r2 / r1}, expected ${expected}`);
  assert.ok(expected > 0.5 && expected < 1);
});

test("write-verify stats: pulseWidthS is the ladders' width when equal, the mean of the two widths when not (swap-symmetric)", () => {
  // WriteVerifyStats.pulseWidthS documents only "programming pulse width"; for unequal potentiation and depression
  // widths measureWriteVerify defines it as 0.5·(t_pot + t_dep) (no doc comment states it). By hand: 1 ms and 3 ms →
  // 2 ms either way round; equal 2 ms ladders → 2 ms; 1 ms both → 1 ms.
  const run = (potS: number, depS: number) =>
    measureWriteVerify(
      () => new EcramDevice(WOX_LIPON_ECRAM, undefined),
      { ...ECRAM_WRITE_VERIFY, potentiation: { ...ECRAM_WRITE_VERIFY.potentiation, widthS: potS }, depression: { ...ECRAM_WRITE_VERIFY.depression, widthS: depS } },
      { samples: 3, bits: 3, windowLoUS: 0, windowHiUS: 50 },
      createRng(13),
      "test",
    ).stats.pulseWidthS;
  assert.ok(close(run(2e-3, 2e-3), 2e-3), "equal 2 ms");
  assert.ok(close(run(1e-3, 1e-3), 1e-3), "equal 1 ms");
  assert.ok(close(run(1e-3, 3e-3), 2e-3), `potentiation 1 ms, depression 3 ms: ${run(1e-3, 3e-3)}`);
  assert.ok(close(run(3e-3, 1e-3), 2e-3), `potentiation 3 ms, depression 1 ms: ${run(3e-3, 1e-3)}`);
});

test("write-verify targets are the carrying device's conductances of the 3-bit MTT levels: |W_h| ∈ {1/7, 3/7, 5/7, 1}", () => {
  const m = measureWriteVerify(() => new EcramDevice(WOX_LIPON_ECRAM, undefined), ECRAM_WRITE_VERIFY, { samples: 200, bits: 3, windowLoUS: 0, windowHiUS: 50 }, createRng(12), "test");
  // The window is [max(0, G_min of the device), 50] µS; G = lo + |W_h|·(50 − lo), so 7·(G − lo)/(50 − lo) must be an
  // odd integer 1, 3, 5 or 7 (the grid ±1/7 … ±1 has no 0, 2/7, 4/7, 6/7).
  const lo = Math.max(0, new EcramDevice(WOX_LIPON_ECRAM, undefined).gMinUS);
  const seen = new Set<number>();
  for (const g of m.targetsUS) {
    const k = (7 * (g - lo)) / (50 - lo);
    assert.ok(Math.abs(k - Math.round(k)) < 1e-9 && [1, 3, 5, 7].includes(Math.round(k)), `target ${g} µS is no |W_h| level`);
    seen.add(Math.round(k));
  }
  // 200 uniform draws over 4 magnitudes: each is missed with probability (3/4)^200 ≈ 1e-25.
  assert.is(seen.size, 4);
  assert.is(m.targetsUS.length, 200);
});

test("the ratio grows with N only through the shared row drivers", () => {
  const spread: WriteVerifyStats = { ...STATS, pulsesUp: [2, 5, 10, 20, 40], pulsesDown: [3, 6, 12, 24, 30] };
  const ratio = (rowW: number, n: number) =>
    compareAt(YANG_DIGITAL_PLATFORM, { label: "t", stats: { ...spread, pulseWidthS: 1e-3 }, periphery: { ...ECRAM_MTT_PERIPHERY, rowDriverPowerW: rowW } }, n).ratio;
  // With row drivers the per-weight MTT energy falls as rows get longer, so the advantage grows with N.
  assert.ok(ratio(1e-5, 2 ** 22) > 1.5 * ratio(1e-5, 2 ** 12));
  // Without them both sides are linear in N (away from block rounding) and the ratio is flat.
  assert.ok(close(ratio(0, 2 ** 22), ratio(0, 2 ** 16), 1e-6));
});

/** The scan's documented ladder rule: shift down by V_s·ln(w/w₀), start floored at V_th + ΔV, max kept ≥ start. */
const shiftedLadder = (l: { startV: number; stepV: number; maxV: number; widthS: number }, w: number) => {
  const shift = TAOX_RRAM.amplitudeScaleV * Math.log(w / RRAM_WRITE_VERIFY.potentiation.widthS);
  const startV = Math.max(TAOX_RRAM.thresholdV + RRAM_WRITE_VERIFY.potentiation.stepV, l.startV - shift);
  return { startV, stepV: l.stepV, maxV: Math.max(startV, l.maxV - shift), widthS: w };
};
/** The first 40 amplitudes of a ladder (write-verify raises one step per same-polarity pulse, up to the maximum). */
const ladderRungs = (l: { startV: number; stepV: number; maxV: number }) => Array.from({ length: 40 }, (_, k) => Math.min(l.maxV, l.startV + k * l.stepV));

test("wider RRAM pulses shrink the RRAM-MTT advantage; each width's statistics are those of both shifted ladders", () => {
  const widths = [1e-7, 1e-5];
  const config = { ...DEFAULT_FIG7K_CONFIG, samples: 40 };
  const [a, b] = rramPulseWidthScan(config, widths);
  // The scan's rule: each ladder shifts down by V_s·ln(w/w₀), floored at V_th + ΔV, so every rung keeps its switching
  // strength. Here 0.15·ln(1e-7/6.4e-6) = −0.624 V (both ladders up) and 0.15·ln(1e-5/6.4e-6) = +0.067 V: SET would start
  // at 1.0 − 0.067 = 0.933 V, below the floor 0.95 V, so it starts at the floor; RESET at 1.2 − 0.067 = 1.133 V.
  const vs = TAOX_RRAM.amplitudeScaleV;
  const [setA, setB] = widths.map((w) => shiftedLadder(RRAM_WRITE_VERIFY.potentiation, w));
  const [resetA, resetB] = widths.map((w) => shiftedLadder(RRAM_WRITE_VERIFY.depression, w));
  assert.ok(Math.abs(setA.startV - (1.0 - vs * Math.log(1e-7 / 6.4e-6))) < 1e-12 && setB.startV === 0.9 + 0.05, `${setA.startV} ${setB.startV}`);
  assert.ok(Math.abs(resetA.startV - (1.2 - vs * Math.log(1e-7 / 6.4e-6))) < 1e-12 && Math.abs(resetB.startV - (1.2 - vs * Math.log(1e-5 / 6.4e-6))) < 1e-12);
  assert.ok(Math.abs(a.setStartV - setA.startV) < 1e-12 && Math.abs(b.setStartV - setB.startV) < 1e-12, `${a.setStartV} ${b.setStartV}`);
  assert.ok(Math.abs(a.resetStartV - resetA.startV) < 1e-12 && Math.abs(b.resetStartV - resetB.startV) < 1e-12, `${a.resetStartV} ${b.resetStartV}`);
  // Each width's row must be the write-verify measurement with both ladders shifted, re-run here on the scan's stream
  // for that width (fork "rram-width-i"), bit for bit.
  [a, b].forEach((row, i) => {
    const scheme = { ...RRAM_WRITE_VERIFY, potentiation: [setA, setB][i], depression: [resetA, resetB][i] };
    const m = measureWriteVerify(() => new TaoxRramDevice(TAOX_RRAM), scheme, { samples: config.samples, bits: config.bits, ...RRAM_PROTOCOL_WINDOW },
      createRng(config.seed).fork(`rram-width-${i}`), "t");
    assert.is(row.meanPulses, m.stats.meanPulses, `width ${widths[i]}: mean pulses`);
    assert.is(row.deviceEnergyPerPulseJ, m.stats.meanDeviceEnergyJ / m.stats.meanPulses, `width ${widths[i]}: energy per pulse`);
    // Both ladders reach every 3-bit target within 1.5 µS well inside the 500-pulse budget: every run converges.
    assert.is(row.convergedFraction, 1, `width ${widths[i]}`);
    assert.is(m.convergedFraction, 1);
    assert.is(row.ratioAt4Mb, compareAt(config.digital, { label: "RRAM-MTT", stats: m.stats, periphery: config.rramPeriphery }, FOUR_MEGABIT_WEIGHTS).ratio);
  });
  // Advantage: ratio = D/M with the digital D unchanged, so a.ratio/b.ratio = M_b/M_a ≥ E_b/(E_a + R_a), where E = ē·n̄ is
  // the device pulse energy per weight and R_a bounds the rest of the narrow-pulse MTT energy per weight: n̄ step
  // periphery energies, n̄ + 1 verify reads at ≤ G_max, one binary read, and row drivers on for ≤ 2·maxPulses steps of
  // width w shared by √N cells. (M_b ≥ E_b as every term is ≥ 0.) An exact inequality: no sampling allowance.
  const per = config.rramPeriphery;
  const n = a.meanPulses;
  const restA =
    n * per.stepPeripheryEnergyJ +
    (n + 1) * TAOX_RRAM.gMaxUS * 1e-6 * per.verifyReadVoltageV ** 2 * per.readTimeS +
    (per.hiddenBiasV * per.dividerCurrentA + per.inferenceDrainV * per.inferenceCurrentA) * per.readTimeS +
    (2 * RRAM_WRITE_VERIFY.maxPulses * per.rowDriverPowerW * widths[0]) / Math.sqrt(FOUR_MEGABIT_WEIGHTS);
  const bound = (b.deviceEnergyPerPulseJ * b.meanPulses) / (a.deviceEnergyPerPulseJ * a.meanPulses + restA);
  assert.ok(a.ratioAt4Mb / b.ratioAt4Mb >= bound, `advantage falls ×${a.ratioAt4Mb / b.ratioAt4Mb}, bound ${bound}`);
  assert.ok(bound > 1, `bound ${bound}`);
});

test("wider RRAM pulses cost more energy per pulse: on one stream the same pulses, each costing (w_b/w_a)·V_b·sinh(V_b/V₀)/(V_a·sinh(V_a/V₀)) times more", () => {
  // Two scans of one width each both run on the stream "rram-width-0". Neither width floors its ladders (SET would
  // floor for w > w₀·e^{(1.0 − 0.95)/V_s} ≈ 8.8 µs), so rung k of one ladder has exactly the switching strength of rung
  // k of the other, and the TaOx step and its noise depend on (V, w) only through that strength: the two runs make the
  // same pulses through the same conductances. Only the energy per pulse, V·I(V)·w with I = G·V₀(G)·sinh(V/V₀(G)),
  // differs; at one G and rung the ratio is (w_b/w_a)·(V_b/V_a)·sinh(V_b/V₀)/sinh(V_a/V₀), which rises with V₀ (V_b < V_a),
  // so it lies between its values at G_min (V₀ = 0.5 V) and G_max (V₀ ≈ 4.3 V). The total ratio Σ E_b/Σ E_a is a
  // weighted mean of the per-pulse ratios: inside [lo, hi] exactly, no sampling allowance.
  const widths = [1e-7, 1e-6];
  const config = { ...DEFAULT_FIG7K_CONFIG, samples: 40 };
  const [a] = rramPulseWidthScan(config, [widths[0]]);
  const [b] = rramPulseWidthScan(config, [widths[1]]);
  const floorV = TAOX_RRAM.thresholdV + RRAM_WRITE_VERIFY.potentiation.stepV;
  for (const w of widths) {
    const shift = TAOX_RRAM.amplitudeScaleV * Math.log(w / RRAM_WRITE_VERIFY.potentiation.widthS);
    assert.ok(RRAM_WRITE_VERIFY.potentiation.startV - shift > floorV && RRAM_WRITE_VERIFY.depression.startV - shift > floorV, `no floor at ${w}`);
  }
  assert.is(b.meanPulses, a.meanPulses, "the same pulses");
  assert.ok(a.convergedFraction === 1 && b.convergedFraction === 1);
  const v0s = [TAOX_RRAM.gMinUS, TAOX_RRAM.gMaxUS].map((g) => TAOX_RRAM.readSinhV0HrsV * (g / TAOX_RRAM.gMinUS) ** TAOX_RRAM.readSinhExponent);
  let [lo, hi] = [Infinity, 0];
  for (const l of [RRAM_WRITE_VERIFY.potentiation, RRAM_WRITE_VERIFY.depression]) {
    const [va, vb] = widths.map((w) => ladderRungs(shiftedLadder(l, w)));
    va.forEach((v, k) =>
      v0s.forEach((v0) => {
        const r = (widths[1] / widths[0]) * ((vb[k] * Math.sinh(vb[k] / v0)) / (v * Math.sinh(v / v0)));
        [lo, hi] = [Math.min(lo, r), Math.max(hi, r)];
      }),
    );
  }
  const perPulse = b.deviceEnergyPerPulseJ / a.deviceEnergyPerPulseJ;
  assert.ok(lo > 1, `every rung costs more at the wider pulse (${lo})`);
  assert.ok(perPulse >= lo * (1 - 1e-12) && perPulse <= hi * (1 + 1e-12), `energy per pulse ×${perPulse}, per-rung range ${lo}…${hi}`);
});

test("same seed gives bit-identical write-verify statistics", () => {
  const run = () => measureWriteVerify((r) => new EcramDevice(WOX_LIPON_ECRAM), ECRAM_WRITE_VERIFY, { samples: 10, bits: 3, windowLoUS: 0, windowHiUS: 50 }, createRng(5), "t").stats;
  assert.equal(run(), run());
});

test("solveMonotone recovers a known root and refuses an unbracketed target", () => {
  const x = solveMonotone((v) => v * v, 9, 0.1, 100);
  assert.ok(close(x, 3, 1e-9));
  assert.throws(() => solveMonotone((v) => v, 1000, 1, 10, "k"), /cannot calibrate k/);
});

test("sensitivity rows are sorted by elasticity; a ratio ∝ 1/x has elasticity 1", () => {
  const rows = sensitivity([
    { parameter: "flat", side: "MTT", ratioWith: () => 3 },
    { parameter: "inverse", side: "MTT", ratioWith: (f) => 3 / f },
  ]);
  assert.is(rows[0].parameter, "inverse");
  assert.ok(close(rows[0].elasticity, 1));
  assert.is(rows[1].elasticity, 0);
});

test("every periphery preset validates and gives provenance for each numeric field", () => {
  for (const p of MTT_PERIPHERY_PRESETS) {
    validatePeriphery(p);
    for (const [k, v] of Object.entries(p)) {
      if (typeof v === "number") assert.ok(typeof p.provenance[k] === "string" && p.provenance[k].length > 0, `${p.name}.${k} lacks provenance`);
    }
  }
});

// ---- binary-read currents derived from the MTT circuit ----

/**
 * Independent path for one weight: the two conductances by hand (carrying branch G_min + |W_h|·(G_max − G_min),
 * idle branch G_min), the node by the circuit solver, the divider current from the memory side of the
 * divider, I_mem(G, V_read_H − V_n) (the function under test uses the reference side), and |I_ts| at
 * +V_d (positive branch) and −V_d (negative branch); µA, summed over both branches.
 */
function handReadCurrentsUA(unit: MttUnit, w: number): { dividerUA: number; inferenceUA: number } {
  const { gMinUS, gMaxUS } = unit.window;
  const gCarry = gMinUS + Math.abs(w) * (gMaxUS - gMinUS);
  const gPos = w >= 0 ? gCarry : gMinUS;
  const gNeg = w >= 0 ? gMinUS : gCarry;
  const c = unit.circuit;
  let dividerUA = 0;
  let inferenceUA = 0;
  for (const [g, pol] of [[gPos, 1], [gNeg, -1]] as const) {
    const v = nodeVoltageV(c, g);
    dividerUA += c.memoryRead.currentUA(g, c.readBiasV - v);
    inferenceUA += Math.abs(inferenceCurrentUA(c, v, pol));
  }
  return { dividerUA, inferenceUA };
}

const READ_CASES = [
  { name: "ECRAM-MTT", unit: ecramMttHardware().unit, periphery: ECRAM_MTT_PERIPHERY, preset: ECRAM_MTT_BINARY_READ },
  { name: "RRAM-MTT", unit: rramMttHardware().unit, periphery: RRAM_MTT_PERIPHERY, preset: RRAM_MTT_BINARY_READ },
];

test("binary read: per-weight currents are the sum of both branches, checked against a hand path through the solver", () => {
  for (const { name, unit } of READ_CASES) {
    for (const w of [1, -3 / 7, 1 / 7]) {
      const got = unitReadCurrentsUA(unit, w);
      const want = handReadCurrentsUA(unit, w);
      // 1e-9: the node is bisected to 1e-13 V, so I_mem and I_ref agree to ~1e-12 relative at the root.
      assert.ok(close(got.dividerUA, want.dividerUA, 1e-9), `${name} W_h ${w}: divider ${got.dividerUA} vs ${want.dividerUA} µA`);
      assert.ok(close(got.inferenceUA, want.inferenceUA, 1e-9), `${name} W_h ${w}: inference ${got.inferenceUA} vs ${want.inferenceUA} µA`);
    }
  }
});

test("binary read: the presets hold the mean over the 3-bit levels, in A, with matching bias voltages", () => {
  const levels = [-1, -5 / 7, -3 / 7, -1 / 7, 1 / 7, 3 / 7, 5 / 7, 1];
  assert.is(2 ** BINARY_READ_HIDDEN_GRID.bits, levels.length);
  for (const { name, unit, periphery, preset } of READ_CASES) {
    const hand = levels.map((w) => handReadCurrentsUA(unit, w));
    const meanDivA = (hand.reduce((a, c) => a + c.dividerUA, 0) / levels.length) * 1e-6;
    const meanInfA = (hand.reduce((a, c) => a + c.inferenceUA, 0) / levels.length) * 1e-6;
    assert.ok(close(preset.dividerCurrentA, meanDivA, 1e-9), `${name} divider ${preset.dividerCurrentA} vs ${meanDivA} A`);
    assert.ok(close(preset.inferenceCurrentA, meanInfA, 1e-9), `${name} inference ${preset.inferenceCurrentA} vs ${meanInfA} A`);
    assert.is(periphery.dividerCurrentA, preset.dividerCurrentA);
    assert.is(periphery.inferenceCurrentA, preset.inferenceCurrentA);
    // The energy model's voltages are the circuit's: V_H·I_div and V_d·I_ts must be taken at the bias the currents were solved at.
    assert.is(periphery.hiddenBiasV, unit.circuit.readBiasV, `${name} V_read_H`);
    assert.is(periphery.inferenceDrainV, unit.circuit.drainReadV, `${name} V_d`);
  }
  assert.throws(() => meanBinaryReadCurrentsA(READ_CASES[0].unit, []), /hiddenWeights/);
});

test("binary read: the divider current is the saturated reference current of two branches, for every level", () => {
  // Every branch sits at V_n ≥ V_read_H/2 (G ≥ G_e,min, which balances the reference at V_read_H/2).
  // ECRAM-MTT: V_ref_G = 0.6 V < V_T = 0.7 V, so the reference is sub-threshold,
  //   I_ref = I_0·exp((V_ref_G − V_T)/(m·T'))·(1 − exp(−V_n/T')),
  // and with V_n ≥ 0.7 V ≈ 27·T' the last factor is 1 − 2e-12: I_ref = I_0·exp((V_ref_G − V_T)/(m·T')) for every G.
  // RRAM-MTT: V_ov = V_ref_G − V_T = 0.3 V < V_read_H/2 = 0.4 V ≤ V_n, so the reference is in saturation,
  //   I_ref = β_ref·V_ov²/2 + I_0,ref·(1 − exp(−V_n/T')), the bias term ~2 % of the total and its factor
  //   1 − exp(−0.4/0.0259) = 1 − 2e-7: I_ref = β_ref·V_ov²/2 + I_0,ref to ~1e-8 relative, for every G.
  // So I_div per weight is 2·I_ref for every level, and it is the mean.
  const saturatedRefUA = (unit: MttUnit) => {
    const r = unit.circuit.reference;
    if (r.kind !== "transistor") throw new Error("expected a transistor reference");
    const m = r.mosfet;
    const vt = thermalVoltageV(m.temperatureK);
    const i0 = subthresholdPrefactorUA(m);
    const vov = r.gateV - m.thresholdV;
    return vov <= 0 ? i0 * Math.exp(vov / (m.slopeFactor * vt)) : 0.5 * m.betaUAPerV2 * vov * vov + i0;
  };
  for (const { name, unit, preset } of READ_CASES) {
    const want = 2 * saturatedRefUA(unit);
    for (const w of [-1, -1 / 7, 1 / 7, 5 / 7, 1]) {
      const got = unitReadCurrentsUA(unit, w).dividerUA;
      assert.ok(close(got, want, 1e-7), `${name} W_h ${w}: divider ${got} µA, saturated 2·I_ref ${want} µA`);
    }
    assert.ok(close(preset.dividerCurrentA, want * 1e-6, 1e-7), `${name} preset divider ${preset.dividerCurrentA} A vs ${want * 1e-6} A`);
  }
});

test("bad input throws RangeError naming the field", () => {
  assert.throws(() => digitalPassEnergy(TOY, 0), (e: unknown) => e instanceof RangeError && /weights/.test((e as Error).message));
  assert.throws(() => digitalPassEnergy({ ...TOY, ssd: { ...TOY.ssd, readBandwidthBytesPerS: -1 } }, 10), /ssd.readBandwidthBytesPerS/);
  assert.throws(() => validatePeriphery({ ...ECRAM_MTT_PERIPHERY, readTimeS: 0 }), /readTimeS/);
  assert.throws(() => mttPassEnergy({ ...STATS, pulseWidthS: 0 }, ECRAM_MTT_PERIPHERY, 100), /pulseWidthS/);
});

test.run();
