import { test } from "uvu";
import * as assert from "uvu/assert";
import { EcramDevice, WOX_LIPON_ECRAM } from "../src/devices/ecram";
import { TAOX_RRAM } from "../src/devices/taox-rram";
import { ecramMttHardware, mttHardware, programLayer, rramMttHardware } from "../src/nn/hardware-mapping";
import { ecramMttNetworkUnit, ecramMttUnit } from "../src/mtt/network-transfer";
import { ECRAM_MTT_OPERATING_POINT } from "../src/mtt/presets";
import { createRng } from "../src/util/rng";

for (const technology of ["ECRAM-MTT", "RRAM-MTT"] as const) {
  test(`${technology} programLayer: one verified device carries |w| on the side of its sign, the other is erased to the floor`, () => {
    const hw = mttHardware(technology);
    const win = hw.unit.window;
    const hidden = Float32Array.from([5 / 7, -1 / 7, 1, -3 / 7]);
    const layer = programLayer(hw, hidden, createRng(`mapping-test/${technology}`));
    assert.is(layer.devices.length, 2 * hidden.length);
    hidden.forEach((w, i) => {
      const pair = layer.devices.filter((d) => d.weightIndex === i);
      const carrier = pair.filter((d) => d.carriesWeight);
      assert.is(carrier.length, 1, `weight ${i}: one carrier`);
      const c = carrier[0];
      const idle = pair.find((d) => !d.carriesWeight)!;
      assert.is(c.side, w >= 0 ? "positive" : "negative");
      // The carrier's target is G_e,min + |w|·(G_e,max − G_e,min), reached within the scheme's verify tolerance.
      assert.ok(Math.abs(c.targetUS - (win.gMinUS + Math.abs(w) * (win.gMaxUS - win.gMinUS))) < 1e-9);
      assert.ok(c.converged && Math.abs(c.finalUS - c.targetUS) <= hw.scheme.toleranceUS, `weight ${i}: ${c.finalUS} vs ${c.targetUS}`);
      assert.ok(idle.converged && idle.finalUS <= win.gMinUS, `weight ${i}: idle device at ${idle.finalUS} µS, floor ${win.gMinUS}`);
      // Read back: |w| within the tolerance expressed in hidden-weight units; the inference weight has w's sign.
      assert.ok(Math.abs(layer.readHidden[i] - w) <= hw.scheme.toleranceUS / (win.gMaxUS - win.gMinUS) + 1e-6, `weight ${i}: read ${layer.readHidden[i]}`);
      assert.ok(Math.sign(layer.inferenceWeights[i]) === Math.sign(w), `weight ${i}: W_b ${layer.inferenceWeights[i]}`);
    });
  });
}

// A device preset whose floor G_on/r lies above the unit's balance point G_e,min cannot erase the idle device of a
// pair to zero weight: the on/off ratio r must reach G_on/G_e,min. Bracket that bound from both sides.
test("programLayer refuses an ECRAM variant whose floor lies above G_e,min, and accepts one just below it", () => {
  const gOn = new EcramDevice(WOX_LIPON_ECRAM).gMaxUS;
  const rNeeded = gOn / ecramMttNetworkUnit().window.gMinUS;
  const narrow = ecramMttHardware({ ...WOX_LIPON_ECRAM, intrinsicOnOffRatio: 0.98 * rNeeded });
  assert.throws(() => programLayer(narrow, Float32Array.from([0.5]), createRng("floor")), (e: unknown) => e instanceof RangeError && /floor .* above the unit's G_e,min/.test((e as Error).message));
  const enough = ecramMttHardware({ ...WOX_LIPON_ECRAM, intrinsicOnOffRatio: 1.02 * rNeeded });
  const layer = programLayer(enough, Float32Array.from([0.5, -0.5]), createRng("floor"));
  assert.ok(layer.devices.every((d) => d.converged), "every device, idle ones included, reaches its target or the floor");
});

test("programLayer refuses a unit whose G_e,max lies above the devices' ceiling", () => {
  const op = ECRAM_MTT_OPERATING_POINT;
  const gOn = new EcramDevice(WOX_LIPON_ECRAM).gMaxUS;
  const tooWide = ecramMttHardware(WOX_LIPON_ECRAM, ecramMttUnit(op.readBiasV, op.refGateV, 1.5 * gOn));
  assert.throws(() => programLayer(tooWide, Float32Array.from([1]), createRng("ceiling")), (e: unknown) => e instanceof RangeError && /ceiling .* below the unit's G_e,max/.test((e as Error).message));
});

test("the shipped hardware is the default-argument hardware: same device, unit and scheme give the same programming", () => {
  const hidden = Float32Array.from([5 / 7, -3 / 7]);
  for (const [name, explicit] of [["ECRAM-MTT", ecramMttHardware(WOX_LIPON_ECRAM)], ["RRAM-MTT", rramMttHardware(TAOX_RRAM)]] as const) {
    const a = programLayer(mttHardware(name), hidden, createRng("same"));
    const b = programLayer(explicit, hidden, createRng("same"));
    assert.equal(Array.from(a.inferenceWeights), Array.from(b.inferenceWeights), name);
  }
  // A noisier device preset is really used: its write-verify takes another course.
  const noisy = programLayer(ecramMttHardware({ ...WOX_LIPON_ECRAM, c2cRelative: 10 * WOX_LIPON_ECRAM.c2cRelative + 0.05 }), hidden, createRng("same"));
  const shipped = programLayer(mttHardware("ECRAM-MTT"), hidden, createRng("same"));
  assert.not.equal(noisy.devices.map((d) => d.finalUS), shipped.devices.map((d) => d.finalUS));
});

test.run();
