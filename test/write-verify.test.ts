import { test } from "uvu";
import * as assert from "uvu/assert";
import { writeVerify, driveToBound, type WriteVerifyScheme } from "../src/array/write-verify";
import { EcramDevice, WOX_LIPON_ECRAM } from "../src/devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import { createRng } from "../src/util/rng";
import type { Polarity, PulseProgrammable } from "../src/devices/device";

/** A linear toy device: each pulse moves G by k·amplitude in the pulse's direction. */
class ToyDevice implements PulseProgrammable {
  readonly name = "toy";
  readonly gMinUS = 0;
  readonly gMaxUS = 100;
  amplitudes: number[] = [];
  constructor(private g: number, private readonly k = 0.1) {}
  conductanceUS() {
    return this.g;
  }
  applyPulse(polarity: Polarity, amplitudeV: number): number {
    this.amplitudes.push(polarity * amplitudeV);
    this.g = Math.min(100, Math.max(0, this.g + polarity * this.k * amplitudeV));
    return this.g;
  }
  pulseEnergyJ(amplitudeV: number, widthS: number) {
    return amplitudeV * widthS;
  }
}

const toyScheme: WriteVerifyScheme = {
  potentiation: { startV: 1, stepV: 1, maxV: 4, widthS: 1 },
  depression: { startV: 1, stepV: 1, maxV: 4, widthS: 1 },
  toleranceUS: 0.05,
  maxPulses: 100,
};

test("amplitude ladder rises while the target is not reached and restarts after an overshoot", () => {
  const d = new ToyDevice(10);
  const r = writeVerify(d, 11.02, toyScheme, createRng(1));
  // 10 → 10.1 (1 V) → 10.3 (2 V) → 10.6 (3 V) → 11.0 (4 V): 0.02 from the target.
  assert.equal(d.amplitudes, [1, 2, 3, 4]);
  assert.ok(r.converged);
  assert.is(r.pulses, 4);
  assert.is(r.reads, 5);
  assert.ok(Math.abs(r.pulseEnergyJ - 10) < 1e-12);
  const d2 = new ToyDevice(10);
  writeVerify(d2, 10.48, toyScheme, createRng(1));
  // 10.1, 10.3, 10.6 (overshoot) → depress from the start amplitude: 10.5, 0.02 from the target.
  assert.equal(d2.amplitudes, [1, 2, 3, -1]);
});

test("a device that never moves: the ladder rises by stepV from startV and then stays at maxV, never above it", () => {
  // k = 0: pulses never change G, so every pulse keeps the same polarity. maxV is not startV + an integer number of
  // steps, so the cap shows as a last partial step: 1.5, 2, 2.5, 3, then 3.2 for the rest (and 2, 2.6, then 3).
  const scheme: WriteVerifyScheme = {
    potentiation: { startV: 1.5, stepV: 0.5, maxV: 3.2, widthS: 1 },
    depression: { startV: 2, stepV: 0.6, maxV: 3, widthS: 1 },
    toleranceUS: 0.05,
    maxPulses: 8,
  };
  const up = new ToyDevice(10, 0);
  const r = writeVerify(up, 50, scheme, createRng(1), { trace: true });
  assert.not.ok(r.converged);
  assert.is(r.pulses, 8);
  assert.equal(up.amplitudes, [1.5, 2, 2.5, 3, 3.2, 3.2, 3.2, 3.2]);
  assert.equal(r.amplitudes, up.amplitudes);
  const down = new ToyDevice(60, 0);
  writeVerify(down, 20, scheme, createRng(1));
  assert.is(down.amplitudes.length, 8);
  down.amplitudes.forEach((v, i) => assert.ok(Math.abs(v - -[2, 2.6, 3, 3, 3, 3, 3, 3][i]) < 1e-12, `depression pulse ${i}: ${v}`));
  assert.ok(Math.max(...down.amplitudes.map(Math.abs)) <= 3);
});

test("ECRAM write-verify converges for random targets: the true state within tolerance plus the read error", () => {
  // The verify reads carry the ECRAM's relative read noise ρ: a read within tolerance puts the true state within
  // tolerance + 5ρ·G (5σ).
  const rng = createRng(7);
  const rho = WOX_LIPON_ECRAM.readNoiseRelative;
  for (let k = 0; k < 30; k++) {
    const d = new EcramDevice(WOX_LIPON_ECRAM, rng.uniformIn(1, 50));
    const target = rng.uniformIn(1, 50);
    const r = writeVerify(d, target, ECRAM_WRITE_VERIFY, rng);
    assert.ok(r.converged, `target ${target}`);
    assert.ok(Math.abs(r.finalUS - target) <= ECRAM_WRITE_VERIFY.toleranceUS + 5 * rho * target, `target ${target}: ${r.finalUS}`);
  }
});

test("write-verify verifies with the device's noisy reads: with 5 % read noise true states land outside the tolerance", () => {
  // Read noise ρ = 0.05 at G ≈ 25 µS is σ ≈ 1.25 µS, over twice the 0.5 µS tolerance: a read inside tolerance often
  // comes from a state outside it (noise-free reads would never stop there), and never from one beyond 5σ.
  const noisy = { ...WOX_LIPON_ECRAM, readNoiseRelative: 0.05 };
  const rng = createRng(8);
  let outside = 0;
  for (let k = 0; k < 40; k++) {
    const d = new EcramDevice(noisy, rng.uniformIn(1, 50));
    const target = rng.uniformIn(10, 40);
    const r = writeVerify(d, target, ECRAM_WRITE_VERIFY, rng);
    if (!r.converged) continue;
    const err = Math.abs(r.finalUS - target);
    if (err > ECRAM_WRITE_VERIFY.toleranceUS) outside++;
    assert.ok(err <= ECRAM_WRITE_VERIFY.toleranceUS + 5 * 0.05 * r.finalUS, `target ${target}: ${r.finalUS}`);
  }
  assert.ok(outside >= 5, `${outside} of 40 outside the tolerance`);
});

test("targets outside the window and bad schemes are rejected by name", () => {
  const d = new EcramDevice();
  assert.throws(() => writeVerify(d, 1e4, ECRAM_WRITE_VERIFY, createRng(1)), /outside the device window/);
  assert.throws(() => writeVerify(d, 10, { ...ECRAM_WRITE_VERIFY, toleranceUS: 0 }, createRng(1)), /toleranceUS/);
  assert.throws(() => writeVerify(d, 10, { ...ECRAM_WRITE_VERIFY, potentiation: { startV: 5, stepV: 1, maxV: 4, widthS: 1e-3 } }, createRng(1)), /potentiation.maxV/);
});

test("driveToBound reaches the top of a noise-free device", () => {
  const d = new EcramDevice({ ...WOX_LIPON_ECRAM, c2cRelative: 0, c2cAbsolute: 0 }, 10);
  const r = driveToBound(d, 1, { startV: 8, stepV: 0.5, maxV: 12, widthS: 2e-3 }, createRng(1));
  assert.ok(Math.abs(r.reachedUS - d.gMaxUS) < 1e-9);
  assert.is(r.settled, true);
});

test("driveToBound says when it gave up (maxPulses) instead of settling; a flat ladder below its maximum is refused", () => {
  const quiet = { ...WOX_LIPON_ECRAM, c2cRelative: 0, c2cAbsolute: 0 };
  // The ladder needs (12 − 8)/0.5 + 1 = 9 pulses to reach 12 V, so 5 pulses cannot settle.
  const short = driveToBound(new EcramDevice(quiet, 10), 1, { startV: 8, stepV: 0.5, maxV: 12, widthS: 2e-3 }, createRng(1), 1e-3, 5);
  assert.equal([short.pulses, short.settled], [5, false]);
  assert.ok(short.reachedUS < quiet.sheetConductanceUS);
  assert.throws(() => driveToBound(new EcramDevice(quiet, 10), 1, { startV: 8, stepV: 0, maxV: 12, widthS: 2e-3 }, createRng(1)), /potentiation.stepV is 0/);
  // A flat ladder that starts at its maximum is a constant-amplitude drive and is fine.
  assert.is(driveToBound(new EcramDevice(quiet, 10), 1, { startV: 12, stepV: 0, maxV: 12, widthS: 2e-3 }, createRng(1)).settled, true);
  assert.throws(() => driveToBound(new EcramDevice(quiet, 10), 1, { startV: 8, stepV: 0.5, maxV: 12, widthS: 2e-3 }, createRng(1), 1e-3, 0), /maxPulses/);
});

test.run();
