import { test } from "uvu";
import * as assert from "uvu/assert";
import { mttHardware, programLayer } from "../src/nn/hardware-mapping";
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

test.run();
