import { test } from "uvu";
import * as assert from "uvu/assert";
import { blockAlignedBytes, digitalPassEnergy, YANG_DIGITAL_PLATFORM, type DigitalPlatform } from "../src/energy/digital-platform";
import { expectedMaxOfDraws, mttPassEnergy, rowSteps, scalePulseCounts, validatePeriphery, type WriteVerifyStats } from "../src/energy/mtt-platform";
import { CALIBRATED_DIGITAL_PLATFORM, ECRAM_MTT_PERIPHERY, MTT_PERIPHERY_PRESETS } from "../src/energy/presets";
import { compareAt, FOUR_MEGABIT_WEIGHTS, sensitivity, solveMonotone } from "../src/energy/quantization-energy";
import { measureWriteVerify } from "../src/energy/write-verify-stats";
import { DEFAULT_FIG7K_CONFIG, rramPulseWidthScan } from "../src/experiments/energy-fig7k";
import { EcramDevice, WOX_LIPON_ECRAM } from "../src/devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import { createRng } from "../src/util/rng";

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

test("expected maximum of draws: hand cases", () => {
  assert.ok(close(expectedMaxOfDraws([1, 2], 1), 1.5));
  assert.ok(close(expectedMaxOfDraws([1, 2], 2), 1 * 0.25 + 2 * 0.75));
  assert.ok(close(expectedMaxOfDraws([3, 3, 3], 50), 3));
  assert.is(expectedMaxOfDraws([], 5), 0);
  // grows with k and never exceeds the sample maximum
  const s = [1, 4, 2, 8, 5, 7];
  let prev = 0;
  for (const k of [1, 2, 4, 16, 256]) {
    const m = expectedMaxOfDraws(s, k);
    assert.ok(m >= prev && m <= 8);
    prev = m;
  }
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

test("doubling the MTT pulse count roughly halves its advantage (the model is wired through)", () => {
  const tech = { label: "toy", stats: STATS, periphery: ECRAM_MTT_PERIPHERY };
  const r1 = compareAt(CALIBRATED_DIGITAL_PLATFORM, tech, FOUR_MEGABIT_WEIGHTS).ratio;
  const r2 = compareAt(CALIBRATED_DIGITAL_PLATFORM, { ...tech, stats: scalePulseCounts(STATS, 2) }, FOUR_MEGABIT_WEIGHTS).ratio;
  // Everything but the binary read scales with the pulse count, so the ratio falls by a factor in (1/2, 0.6].
  assert.ok(r2 / r1 > 0.5 && r2 / r1 <= 0.6, `r2/r1 = ${r2 / r1}`);
});

test("doubling pulses on measured ECRAM statistics roughly halves the advantage", () => {
  const m = measureWriteVerify((r) => new EcramDevice(WOX_LIPON_ECRAM, undefined), ECRAM_WRITE_VERIFY, { samples: 60, bits: 3, windowLoUS: 0, windowHiUS: 50 }, createRng(11), "test");
  assert.ok(m.stats.meanPulses > 0 && m.stats.meanDeviceEnergyJ > 0);
  assert.is(m.stats.pulsesUp.length + m.stats.pulsesDown.length, 60);
  const tech = { label: "ECRAM-MTT", stats: m.stats, periphery: ECRAM_MTT_PERIPHERY };
  const r1 = compareAt(CALIBRATED_DIGITAL_PLATFORM, tech, FOUR_MEGABIT_WEIGHTS).ratio;
  const r2 = compareAt(CALIBRATED_DIGITAL_PLATFORM, { ...tech, stats: scalePulseCounts(m.stats, 2) }, FOUR_MEGABIT_WEIGHTS).ratio;
  assert.ok(r2 / r1 > 0.45 && r2 / r1 < 0.6, `r2/r1 = ${r2 / r1}`);
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

test("wider RRAM pulses cost more energy per pulse and shrink the RRAM-MTT advantage", () => {
  const [a, b] = rramPulseWidthScan({ ...DEFAULT_FIG7K_CONFIG, samples: 40 }, [1e-7, 1e-5]);
  assert.ok(b.deviceEnergyPerPulseJ > 10 * a.deviceEnergyPerPulseJ, `${a.deviceEnergyPerPulseJ} → ${b.deviceEnergyPerPulseJ}`);
  assert.ok(b.ratioAt4Mb < a.ratioAt4Mb / 5, `${a.ratioAt4Mb} → ${b.ratioAt4Mb}`);
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

test("bad input throws RangeError naming the field", () => {
  assert.throws(() => digitalPassEnergy(TOY, 0), (e: unknown) => e instanceof RangeError && /weights/.test((e as Error).message));
  assert.throws(() => digitalPassEnergy({ ...TOY, ssd: { ...TOY.ssd, readBandwidthBytesPerS: -1 } }, 10), /ssd.readBandwidthBytesPerS/);
  assert.throws(() => validatePeriphery({ ...ECRAM_MTT_PERIPHERY, readTimeS: 0 }), /readTimeS/);
  assert.throws(() => mttPassEnergy({ ...STATS, pulseWidthS: 0 }, ECRAM_MTT_PERIPHERY, 100), /pulseWidthS/);
});

test.run();
