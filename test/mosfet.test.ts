import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  MOSFET_PRESETS,
  drainCurrentUA,
  idealLinearCurrentUA,
  thermalVoltageV,
  validateMosfet,
  type MosfetParams,
} from "../src/devices/mosfet";

const P: MosfetParams = { thresholdV: 0.7, betaUAPerV2: 1000, slopeFactor: 1.5, temperatureK: 300 };

test("thermal voltage kT/q at 300 K is 25.85 mV (hand value)", () => {
  assert.ok(Math.abs(thermalVoltageV(300) - 0.025852) < 1e-5);
});

test("linear region matches β(V_gs − V_T)V_ds − βV_ds²/2 by hand", () => {
  // β = 1000 µA/V², V_ov = 0.5 V, V_ds = 0.01 V: 1000·(0.005 − 0.00005) = 4.95 µA, plus the bias
  // I_0·(1 − e^{−V_ds/T'}) with I_0 = β·m·T'² (≈ 1.0 µA·0.32), written out here rather than taken from the code.
  const i = drainCurrentUA(P, 1.2, 0.01);
  const tp = thermalVoltageV(300);
  const bias = 1000 * 1.5 * tp * tp * (1 - Math.exp(-0.01 / tp));
  assert.ok(Math.abs(i - bias - 4.95) < 1e-9, `got ${i - bias}`);
});

test("sub-threshold swing is m·T'·ln10 per decade (≈ 89 mV/dec for m = 1.5)", () => {
  const i1 = drainCurrentUA(P, 0.4, 0.5);
  const i2 = drainCurrentUA(P, 0.4 + 1.5 * thermalVoltageV(300) * Math.LN10, 0.5);
  assert.ok(Math.abs(i2 / i1 - 10) < 1e-9);
});

test("continuous in V_gs across V_T (value; slope for the paper law) and in V_ds across V_ov", () => {
  for (const p of MOSFET_PRESETS) {
    const vt = p.thresholdV;
    const vds = 1e-4;
    const below = drainCurrentUA(p, vt - 1e-9, vds);
    const above = drainCurrentUA(p, vt + 1e-9, vds);
    assert.ok(Math.abs(above - below) < 1e-6 * Math.abs(above), `${p.name}: jump at V_T`);
    // Slope continuity holds for the paper's linear-region law as V_ds → 0; the square law saturates for
    // V_ov < V_ds, so only its value is continuous there. Below V_T the slope is I_0/(m·T')·(1 − e^{−x}) =
    // β·T'·(1 − e^{−x}), x = V_ds/T'; above it is β·V_ds; so slopeBelow/slopeAbove = (1 − e^{−x})/x exactly
    // (≈ 1 − x/2 = 0.998 here). The one-sided differences with h = 1e-6 V err by ≈ h/(2·m·T') ≈ 1.3e-5.
    const h = 1e-6;
    const x = vds / thermalVoltageV(p.temperatureK);
    const slopeBelow = (idealLinearCurrentUA(p, vt, vds) - idealLinearCurrentUA(p, vt - h, vds)) / h;
    const slopeAbove = (idealLinearCurrentUA(p, vt + h, vds) - idealLinearCurrentUA(p, vt, vds)) / h;
    assert.ok(Math.abs(slopeBelow / slopeAbove - (1 - Math.exp(-x)) / x) < 1e-4, `${p.name}: kink at V_T ${slopeBelow} vs ${slopeAbove}`);
    const vov = 0.3;
    const a = drainCurrentUA(p, vt + vov, vov - 1e-9);
    const b = drainCurrentUA(p, vt + vov, vov + 1e-9);
    assert.ok(Math.abs(a - b) < 1e-6 * a);
  }
});

test("current is monotone in V_gs and V_ds and odd under drain/source exchange", () => {
  let last = -Infinity;
  for (let v = 0; v <= 2; v += 0.01) {
    const i = drainCurrentUA(P, v, 0.05);
    assert.ok(i >= last);
    last = i;
  }
  // Drain at −v with the gate at V_g (source-referenced) equals minus the forward current with the roles swapped.
  for (const law of [drainCurrentUA, idealLinearCurrentUA]) {
    const fwd = law(P, 1.0 + 0.02, 0.02);
    const rev = law(P, 1.0, -0.02);
    assert.ok(Math.abs(fwd + rev) < 1e-12);
  }
});

test("bad parameters throw a RangeError naming the field", () => {
  assert.throws(() => validateMosfet({ ...P, thresholdV: 0 }), (e: Error) => e instanceof RangeError && /thresholdV/.test(e.message));
  assert.throws(() => validateMosfet({ ...P, thresholdV: -0.3 }), /thresholdV/);
  assert.throws(() => validateMosfet({ ...P, slopeFactor: 0.5 }), /slopeFactor/);
  assert.throws(() => drainCurrentUA(P, NaN, 0.1), /vgsV/);
});

test("every preset validates and carries provenance for each physical field", () => {
  for (const p of MOSFET_PRESETS) {
    validateMosfet(p);
    for (const f of ["thresholdV", "betaUAPerV2", "slopeFactor", "temperatureK"]) assert.ok(p.provenance[f], `${p.name}.${f}`);
  }
});

test.run();
