import { test } from "uvu";
import * as assert from "uvu/assert";
import { TAOX_RRAM, TAOX_RRAM_PRESETS, TaoxRramDevice, rramReadCurrentUA, rramStateTargetsUS, validateTaoxRram, type TaoxRramParams } from "../src/devices/taox-rram";
import { writeVerify } from "../src/array/write-verify";
import { RRAM_WRITE_VERIFY } from "../src/mtt/rram-programming";
import { createRng } from "../src/util/rng";

test("pulse response follows the Chen curve: step k = B·e^{−(k−1)/A}·(1 − e^{−1/A}) for SET from G_min and, mirrored, RESET from G_max (noise-free, reference pulses)", () => {
  // Chen/NeuroSim: G(P) = B·(1 − e^{−P/A}) + G_min, B = (G_max − G_min)/(1 − e^{−P_max/A}), A = a·P_max. A reference
  // pulse (V = V_ref, w = w_ref) advances P by exactly 1, so step k is G(k) − G(k − 1) = B·e^{−(k−1)/A}·(1 − e^{−1/A}).
  // The shape a comes from NL's definition, solved here: the normalised curve y = (1 − e^{−x/a})/(1 − e^{−1/a})
  // has slope 1 at x* = −a·ln(a·(1 − e^{−1/a})), and y(x*) − x* = 0.099·NL (bisection in a; the gap falls with a).
  const gap = (a: number) => {
    const c = 1 - Math.exp(-1 / a);
    const x = Math.min(1, Math.max(0, -a * Math.log(a * c)));
    return (1 - Math.exp(-x / a)) / c - x;
  };
  const pMax = TAOX_RRAM.pulsesAcrossWindow;
  // RESET is the same curve mirrored in the window, with its own label: from G_max, step k has magnitude
  // B_r·e^{−(k−1)/A_r}·(1 − e^{−1/A_r}), downwards.
  for (const [polarity, nl, refV, start, end] of [
    [1, TAOX_RRAM.nonlinearitySet, TAOX_RRAM.referenceSetV, TAOX_RRAM.gMinUS, TAOX_RRAM.gMaxUS],
    [-1, TAOX_RRAM.nonlinearityReset, TAOX_RRAM.referenceResetV, TAOX_RRAM.gMaxUS, TAOX_RRAM.gMinUS],
  ] as const) {
    let [lo, hi] = [1e-3, 1e3];
    for (let i = 0; i < 200; i++) {
      const mid = Math.sqrt(lo * hi);
      if (gap(mid) > 0.099 * nl) lo = mid;
      else hi = mid;
    }
    const A = Math.sqrt(lo * hi) * pMax;
    const B = (TAOX_RRAM.gMaxUS - TAOX_RRAM.gMinUS) / (1 - Math.exp(-pMax / A));
    const d = new TaoxRramDevice(TAOX_RRAM);
    d.setConductanceUS(start);
    const steps: number[] = [];
    for (let k = 1; k <= pMax; k++) {
      const s = d.expectedStepUS(polarity, refV, TAOX_RRAM.referenceWidthS);
      const expected = polarity * B * Math.exp(-(k - 1) / A) * (1 - Math.exp(-1 / A));
      assert.ok(Math.abs(s / expected - 1) < 1e-9, `${polarity > 0 ? "SET" : "RESET"} step ${k}: ${s} vs ${expected}`);
      steps.push(s);
      d.setConductanceUS(d.conductanceUS() + s);
    }
    // Hence first/last = e^{(P_max − 1)/A} (≈ 40 for NL 4): the filament saturates ...
    assert.ok(Math.abs(steps[0] / steps[pMax - 1] / Math.exp((pMax - 1) / A) - 1) < 1e-9);
    // ... and the reference pulses cross the whole window.
    assert.ok(Math.abs(d.conductanceUS() - end) < 1e-6 * TAOX_RRAM.gMaxUS);
  }
});

test("read is super-linear at HRS and nearly ohmic at LRS; odd in V", () => {
  // I = G·V₀·sinh(V/V₀), V₀(G) = V₀,HRS·(G/G_min)^κ, so I/(G·V) = sinh(u)/u with u = V/V₀(G), which grows with u:
  // at 0.8 V, HRS u = 0.8/0.5 = 1.6 → 1.485 (+48 %); LRS V₀ = 0.5·√75 = 4.33 V, u = 0.185 → 1 + u²/6 ≈ 1.0057.
  const ratio = (u: number) => Math.sinh(u) / u;
  const uHrs = 0.8 / TAOX_RRAM.readSinhV0HrsV;
  const uLrs = 0.8 / (TAOX_RRAM.readSinhV0HrsV * (TAOX_RRAM.gMaxUS / TAOX_RRAM.gMinUS) ** TAOX_RRAM.readSinhExponent);
  const hrs = rramReadCurrentUA(TAOX_RRAM, TAOX_RRAM.gMinUS, 0.8) / (TAOX_RRAM.gMinUS * 0.8);
  const lrs = rramReadCurrentUA(TAOX_RRAM, TAOX_RRAM.gMaxUS, 0.8) / (TAOX_RRAM.gMaxUS * 0.8);
  assert.ok(Math.abs(hrs / ratio(uHrs) - 1) < 1e-12, `HRS I/(G·V) ${hrs} vs sinh(u)/u ${ratio(uHrs)}`);
  assert.ok(Math.abs(lrs / ratio(uLrs) - 1) < 1e-12, `LRS I/(G·V) ${lrs} vs sinh(u)/u ${ratio(uLrs)}`);
  assert.ok(hrs > lrs);
  // low-field limit: I/V → G
  assert.ok(Math.abs(rramReadCurrentUA(TAOX_RRAM, 10, 1e-4) / 1e-4 - 10) < 1e-6);
  assert.ok(Math.abs(rramReadCurrentUA(TAOX_RRAM, 10, -0.3) + rramReadCurrentUA(TAOX_RRAM, 10, 0.3)) < 1e-12);
  // G = 0 gave NaN (0·∞) and G < 0 −∞: refused, naming the conductance.
  for (const bad of [0, -1, NaN, Infinity]) assert.throws(() => rramReadCurrentUA(TAOX_RRAM, bad, 0.5), (e: unknown) => e instanceof RangeError && /conductance must be a finite number > 0/.test((e as Error).message), `G = ${bad}`);
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

test("cycle-to-cycle noise: ΔG of one pulse from a fixed G has mean = noise-free step and std = sqrt((c_rel·step)² + (c_abs·(G_max − G_min)·√s)²)", () => {
  // applyPulse (module comment): ΔG = step·(1 + c_rel·ξ₁) + c_abs·window·√s·ξ₂, ξ independent N(0, 1): Gaussian, mean
  // step, variance (c_rel·step)² + (c_abs·window)²·s. From G₀ = 60 µS (≥ 10σ inside [2, 150] µS: no clipping),
  // n pulses, the device reset before each. 5 standard errors: mean σ/√n, std σ/√(2n) (Gaussian).
  const n = 20000;
  const g0 = 60;
  const window = TAOX_RRAM.gMaxUS - TAOX_RRAM.gMinUS;
  const check = (p: TaoxRramParams, polarity: 1 | -1, v: number, w: number, label: string) => {
    const d = new TaoxRramDevice(p, g0);
    const s = (w / p.referenceWidthS) * Math.exp((v - (polarity > 0 ? p.referenceSetV : p.referenceResetV)) / p.amplitudeScaleV);
    const step = d.expectedStepUS(polarity, v, w);
    const sigma = Math.sqrt((p.c2cRelative * step) ** 2 + (p.c2cAbsolute * window) ** 2 * s);
    assert.ok(Math.abs(step) > 0.1 && sigma > 0, `${label}: a visible step`);
    const rng = createRng(`c2c-${label}`);
    const dg = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      d.setConductanceUS(g0);
      dg[i] = d.applyPulse(polarity, v, w, rng) - g0;
    }
    const m = dg.reduce((a, x) => a + x, 0) / n;
    const sd = Math.sqrt(dg.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
    assert.ok(Math.abs(m - step) < (5 * sigma) / Math.sqrt(n), `${label}: mean ${m} vs ${step}`);
    assert.ok(Math.abs(sd - sigma) < 5 * sigma / Math.sqrt(2 * n), `${label}: std ${sd} vs ${sigma}`);
  };
  const w0 = TAOX_RRAM.referenceWidthS;
  // Relative part alone (c_abs = 0): std = 0.2·|step|, for a reference SET and a reference RESET pulse (s = 1).
  const relOnly = { ...TAOX_RRAM, c2cAbsolute: 0 };
  check(relOnly, 1, TAOX_RRAM.referenceSetV, w0, "relative, SET");
  check(relOnly, -1, TAOX_RRAM.referenceResetV, w0, "relative, RESET");
  // Absolute part alone (c_rel = 0): a quarter-width pulse (s = 1/4) has std 0.035·148·√(1/4) = 2.59 µS; a pulse
  // V_s·ln 4 above V_ref (s = 4) counts as four reference pulses, 0.035·148·√4 = 10.4 µS.
  const absOnly = { ...TAOX_RRAM, c2cRelative: 0 };
  check(absOnly, 1, TAOX_RRAM.referenceSetV, w0 / 4, "absolute, s = 1/4");
  check(absOnly, 1, TAOX_RRAM.referenceSetV + TAOX_RRAM.amplitudeScaleV * Math.log(4), w0, "absolute, s = 4");
  // Both, the preset.
  check(TAOX_RRAM, -1, TAOX_RRAM.referenceResetV, w0, "preset, RESET");
});

test("bad parameters throw naming the field", () => {
  assert.throws(() => validateTaoxRram({ ...TAOX_RRAM, gMaxUS: 1 }), /gMinUS/);
  assert.throws(() => validateTaoxRram({ ...TAOX_RRAM, levels: 1 }), /levels/);
  for (const p of Object.values(TAOX_RRAM_PRESETS)) validateTaoxRram(p);
});

test.run();
