import { test } from "uvu";
import * as assert from "uvu/assert";
import { TAOX_RRAM, TAOX_RRAM_PRESETS, TaoxRramDevice, rramReadCurrentUA, rramStateTargetsUS, validateTaoxRram } from "../src/devices/taox-rram";
import { writeVerify } from "../src/array/write-verify";
import { RRAM_WRITE_VERIFY } from "../src/mtt/rram-programming";
import { createRng } from "../src/util/rng";

test("pulse response is nonlinear: early SET steps far exceed late ones (noise-free)", () => {
  const d = new TaoxRramDevice(TAOX_RRAM);
  const steps: number[] = [];
  for (let i = 0; i < TAOX_RRAM.pulsesAcrossWindow; i++) {
    const s = d.expectedStepUS(1, TAOX_RRAM.referenceSetV, TAOX_RRAM.referenceWidthS);
    steps.push(s);
    d.setConductanceUS(d.conductanceUS() + s);
  }
  assert.ok(steps[0] > 5 * steps[steps.length - 1], `first ${steps[0]} last ${steps[steps.length - 1]}`);
  // and the reference pulses cross the whole window
  assert.ok(Math.abs(d.conductanceUS() - TAOX_RRAM.gMaxUS) < 1e-6 * TAOX_RRAM.gMaxUS);
});

test("read is super-linear at HRS and nearly ohmic at LRS; odd in V", () => {
  const hrs = rramReadCurrentUA(TAOX_RRAM, TAOX_RRAM.gMinUS, 0.8) / (TAOX_RRAM.gMinUS * 0.8);
  const lrs = rramReadCurrentUA(TAOX_RRAM, TAOX_RRAM.gMaxUS, 0.8) / (TAOX_RRAM.gMaxUS * 0.8);
  assert.ok(hrs > 1.2 && lrs < 1.05 && hrs > lrs);
  // low-field limit: I/V → G
  assert.ok(Math.abs(rramReadCurrentUA(TAOX_RRAM, 10, 1e-4) / 1e-4 - 10) < 1e-6);
  assert.ok(Math.abs(rramReadCurrentUA(TAOX_RRAM, 10, -0.3) + rramReadCurrentUA(TAOX_RRAM, 10, 0.3)) < 1e-12);
});

test("sub-threshold pulses (reads) never move the state", () => {
  const d = new TaoxRramDevice(TAOX_RRAM, 50);
  const rng = createRng(1);
  for (let i = 0; i < 100; i++) d.applyPulse(1, 0.8, 1e-6, rng);
  assert.is(d.conductanceUS(), 50);
});

test("same seed gives the same programmed state; 16 targets span the window", () => {
  const run = () => {
    const d = new TaoxRramDevice();
    const rng = createRng("rram");
    return rramStateTargetsUS().map((t) => writeVerify(d, t, RRAM_WRITE_VERIFY, rng).finalUS);
  };
  assert.equal(run(), run());
  const t = rramStateTargetsUS();
  assert.is(t.length, TAOX_RRAM.levels);
  assert.is(t[0], TAOX_RRAM.gMinUS);
  assert.is(t[t.length - 1], TAOX_RRAM.gMaxUS);
});

test("write-verify reaches each of the 16 state targets within tolerance", () => {
  const rng = createRng("wv");
  const d = new TaoxRramDevice();
  for (const t of rramStateTargetsUS()) {
    const r = writeVerify(d, t, RRAM_WRITE_VERIFY, rng);
    assert.ok(r.converged && Math.abs(r.finalUS - t) <= RRAM_WRITE_VERIFY.toleranceUS, `target ${t}`);
  }
});

test("bad parameters throw naming the field", () => {
  assert.throws(() => validateTaoxRram({ ...TAOX_RRAM, gMaxUS: 1 }), /gMinUS/);
  assert.throws(() => validateTaoxRram({ ...TAOX_RRAM, levels: 1 }), /levels/);
  for (const p of Object.values(TAOX_RRAM_PRESETS)) validateTaoxRram(p);
});

test.run();
