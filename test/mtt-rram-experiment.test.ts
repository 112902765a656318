import { test } from "uvu";
import * as assert from "uvu/assert";
import { ECRAM_WRITE_VERIFY } from "../src/devices/ecram-schemes";
import { TAOX_RRAM, TaoxRramDevice, rramStateTargetsUS } from "../src/devices/taox-rram";
import { EcramDevice } from "../src/devices/ecram";
import { writeVerify } from "../src/array/write-verify";
import { createRng } from "../src/util/rng";
import { rramReadCurves, rramStates, writeVerifyCost } from "../src/experiments/mtt-rram";
import { RRAM_WRITE_VERIFY } from "../src/mtt/rram-programming";
import type { Row } from "../src/util/row";

const num = (r: Row, k: string) => r[k] as number;
const close = (a: number, b: number, tol = 1e-12) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

test("RRAM states: levels, on/off, distinct count, convergence and mean pulses are recomputed here from the per-run rows", () => {
  const cfg = { cellsPerState: 3, seed: 19 };
  const res = rramStates(cfg);
  const targets = rramStateTargetsUS(TAOX_RRAM);
  assert.is(res.rows.length, targets.length * cfg.cellsPerState);
  assert.is(res.levels.length, targets.length);
  const byState = targets.map((_, i) => res.rows.filter((r) => r.state === i).map((r) => num(r, "G (µS)")));
  byState.forEach((g, i) => {
    assert.is(g.length, cfg.cellsPerState);
    const l = res.levels[i];
    assert.is(l.state, i);
    assert.ok(close(num(l, "mean (µS)"), mean(g)) && num(l, "min (µS)") === Math.min(...g) && num(l, "max (µS)") === Math.max(...g), `state ${i}: ${JSON.stringify(l)} vs ${g}`);
    const sd = Math.sqrt(g.reduce((s, x) => s + (x - mean(g)) ** 2, 0) / (g.length - 1)); // sample std
    assert.ok(close(num(l, "std (µS)"), sd, 1e-9), `state ${i}: std ${l["std (µS)"]} vs ${sd}`);
  });
  const onOff = mean(byState[byState.length - 1]) / mean(byState[0]);
  assert.ok(close(res.onOff, onOff), `on/off ${res.onOff} vs rows ${onOff}`);
  let distinct = 1;
  for (let i = 1; i < targets.length; i++) if (Math.max(...byState[i - 1]) < Math.min(...byState[i])) distinct += 1;
  assert.is(res.distinct, distinct);
  // A run converged iff its final G is within min(1.5 µS, 15 % of the target) of the target.
  const conv = res.rows.filter((r) => Math.abs(num(r, "G (µS)") - num(r, "target (µS)")) <= Math.min(RRAM_WRITE_VERIFY.toleranceUS, 0.15 * num(r, "target (µS)"))).length;
  assert.is(res.converged, conv);
  assert.ok(close(res.meanPulses, mean(res.rows.map((r) => num(r, "pulses")))), `${res.meanPulses}`);
  assert.ok(res.rows.every((r) => num(r, "pulses") <= RRAM_WRITE_VERIFY.maxPulses));
});

test("RRAM states: when every run converges, all 16 levels are distinct and on/off is bounded by the tolerances", () => {
  const res = rramStates({ cellsPerState: 2, seed: 3 });
  const targets = rramStateTargetsUS(TAOX_RRAM);
  assert.is(res.converged, res.rows.length, "premise: every run converged");
  // Converged finals lie in [t − tol, t + tol] with tol ≤ 1.5 µS < half the 9.87 µS spacing, so no two levels overlap.
  assert.is(res.distinct, targets.length);
  // Bottom level: target G_min = 2 µS, tol 0.3 µS, and G ≥ G_min; top: target G_max = 150 µS, tol 1.5 µS, G ≤ G_max.
  const lo = (TAOX_RRAM.gMaxUS - 1.5) / (TAOX_RRAM.gMinUS + 0.3);
  const hi = TAOX_RRAM.gMaxUS / TAOX_RRAM.gMinUS;
  assert.ok(res.onOff >= lo && res.onOff <= hi, `on/off ${res.onOff} outside [${lo}, ${hi}]`);
});

test("RRAM states: same seed gives a bit-identical result, another seed other rows; bad cellsPerState throws", () => {
  const a = rramStates({ cellsPerState: 2, seed: 19 });
  assert.equal(rramStates({ cellsPerState: 2, seed: 19 }), a);
  assert.not.equal(rramStates({ cellsPerState: 2, seed: 20 }).rows, a.rows);
  // One cell per state cannot show an overlap of two states' spreads.
  for (const bad of [0, 1, 1.5]) {
    assert.throws(() => rramStates({ cellsPerState: bad, seed: 1 }), (e: unknown) => e instanceof RangeError && /cellsPerState/.test(e.message), `${bad}`);
  }
});

test("RRAM read curves by hand: I/(G·V) = V₀·sinh(V/V₀)/V with V₀ = 0.5 V·(G/G_min)^0.5; super-linear, most at HRS", () => {
  const states = [0, 5, 15];
  const points = 4;
  const rows = rramReadCurves(states, 1.0, points);
  assert.is(rows.length, states.length * points);
  // Hand-worked: state 0 is G_min (V₀ = 0.5 V); at 1 V, I/(G·V) = 0.5·sinh(2) = 1.8134.
  const hrsAt1V = rows.find((r) => r.state === "state 0 (2.0 µS)" && r["V (V)"] === 1)!;
  assert.ok(close(num(hrsAt1V, "I / (G·V)"), 0.5 * Math.sinh(2), 1e-12), `${hrsAt1V["I / (G·V)"]}`);
  // The plotted excess over ohmic is the same ratio minus one (0.5·sinh(2) − 1 = 0.8134).
  assert.ok(close(num(hrsAt1V, "I / (G·V) − 1"), 0.5 * Math.sinh(2) - 1, 1e-12), `${hrsAt1V["I / (G·V) − 1"]}`);
  // State 5's target: 2 + 5/15·148 = 51.33 µS.
  assert.ok(rows.some((r) => r.state === "state 5 (51.3 µS)"));
  states.forEach((s, j) => {
    const rs = rows.slice(j * points, (j + 1) * points);
    assert.equal(rs.map((r) => r["V (V)"]), [0.25, 0.5, 0.75, 1]);
    const ratio = rs.map((r) => num(r, "I / (G·V)"));
    // sinh(x)/x > 1 and rises with x for x > 0.
    assert.ok(ratio.every((v, i) => v > 1 && (i === 0 || v > ratio[i - 1])), `state ${s}: ${ratio}`);
  });
  // At each voltage, a larger G has a larger V₀, so less super-linearity.
  for (let k = 0; k < points; k++) {
    const col = states.map((_, j) => num(rows[j * points + k], "I / (G·V)"));
    assert.ok(col.every((v, j) => j === 0 || v < col[j - 1]), `V index ${k}: ${col}`);
  }
});

test("write-verify cost: both devices at ≈ 1 % of their window, max ≥ mean pulses, within the pulse budget", () => {
  const rows = writeVerifyCost(6, 7);
  assert.equal(rows.map((r) => r.device), ["TaOx RRAM", "WOx ECRAM"]);
  const [rram, ecram] = rows;
  // RRAM: 1.5 µS over its 2–150 µS window; ECRAM: 0.5 µS over the 0.5–50 µS targets.
  assert.ok(close(num(rram, "tolerance / window"), RRAM_WRITE_VERIFY.toleranceUS / (TAOX_RRAM.gMaxUS - TAOX_RRAM.gMinUS)));
  assert.ok(close(num(ecram, "tolerance / window"), ECRAM_WRITE_VERIFY.toleranceUS / 49.5));
  assert.ok(Math.abs(num(rram, "tolerance / window") / num(ecram, "tolerance / window") - 1) < 0.05, "same relative tolerance");
  for (const [r, budget] of [[rram, RRAM_WRITE_VERIFY.maxPulses], [ecram, ECRAM_WRITE_VERIFY.maxPulses]] as const) {
    assert.ok(num(r, "max pulses") >= num(r, "mean pulses") && num(r, "mean pulses") > 0, JSON.stringify(r));
    // Pulse counts are integers: the max is one, and 6 × the mean is their sum.
    assert.ok(Number.isInteger(num(r, "max pulses")) && num(r, "max pulses") <= budget, JSON.stringify(r));
    assert.ok(Math.abs(6 * num(r, "mean pulses") - Math.round(6 * num(r, "mean pulses"))) < 1e-9, JSON.stringify(r));
    assert.ok(num(r, "mean energy (J)") > 0, JSON.stringify(r));
  }
  // One target per device: mean = max (a single run).
  for (const r of writeVerifyCost(1, 7)) assert.is(r["mean pulses"], r["max pulses"]);
});

test("write-verify cost: every column recomputed by re-running write-verify on the documented streams (one device per kind, random targets)", () => {
  // The documented protocol: stream createRng(seed).fork("wv-cost"); one TaOx device (from its default state) then one
  // ECRAM device, each taken through `targets` uniform targets in turn (RRAM over [G_min, G_max], ECRAM over
  // [0.5, 50] µS), the k-th with pulses from fork(`${name}${k}`). Mean energy = Σ pulse energy / targets.
  const [targets, seed] = [5, 11];
  const rows = writeVerifyCost(targets, seed);
  const rng = createRng(seed).fork("wv-cost");
  const redo = (name: string, dev: TaoxRramDevice | EcramDevice, scheme: typeof RRAM_WRITE_VERIFY, lo: number, hi: number) => {
    const runs = Array.from({ length: targets }, (_, k) => writeVerify(dev, lo + rng.uniform() * (hi - lo), scheme, rng.fork(`${name}${k}`)));
    return { pulses: runs.map((r) => r.pulses), energy: runs.map((r) => r.pulseEnergyJ) };
  };
  const rram = redo("TaOx RRAM", new TaoxRramDevice(), RRAM_WRITE_VERIFY, TAOX_RRAM.gMinUS, TAOX_RRAM.gMaxUS);
  const ecram = redo("WOx ECRAM", new EcramDevice(), ECRAM_WRITE_VERIFY, 0.5, 50);
  [rram, ecram].forEach((ref, d) => {
    const r = rows[d];
    assert.ok(new Set(ref.energy).size > 1, `${r.device}: the targets cost different energies, so mean ≠ max ≠ min`);
    assert.ok(close(num(r, "mean energy (J)"), mean(ref.energy)), `${r.device}: mean energy ${r["mean energy (J)"]} vs ${mean(ref.energy)}`);
    assert.ok(close(num(r, "mean pulses"), mean(ref.pulses)), `${r.device}: mean pulses`);
    assert.is(r["max pulses"], Math.max(...ref.pulses), `${r.device}: max pulses`);
  });
  // Model-side bound for the RRAM: every pulse costs w·V·I(V), I = G·V₀(G)·sinh(V/V₀(G)), V on the ladders (1.0 … 1.9 V)
  // and G in the window. I rises with V. In G, d ln I/d ln G = 1 − κ·(u·coth u − 1) with u = V/V₀(G) ∝ G^−κ, which
  // rises with G: ln I is convex in ln G, so its maximum over the window is at an end, and its minimum is at G_min
  // when the slope there is already ≥ 0 (checked below for the lowest rung). So the mean energy per pulse lies in
  // [E(G_min, V_lo), max(E(G_min, V_hi), E(G_max, V_hi))].
  const perPulse = num(rows[0], "mean energy (J)") / num(rows[0], "mean pulses");
  const eAt = (g: number, v: number) => new TaoxRramDevice(TAOX_RRAM, g).pulseEnergyJ(v, RRAM_WRITE_VERIFY.potentiation.widthS);
  const vLo = Math.min(RRAM_WRITE_VERIFY.potentiation.startV, RRAM_WRITE_VERIFY.depression.startV);
  const vHi = Math.max(RRAM_WRITE_VERIFY.potentiation.maxV, RRAM_WRITE_VERIFY.depression.maxV);
  const u = vLo / TAOX_RRAM.readSinhV0HrsV;
  assert.ok(1 - TAOX_RRAM.readSinhExponent * (u / Math.tanh(u) - 1) >= 0, "slope of ln I at G_min, lowest rung");
  const eMax = Math.max(eAt(TAOX_RRAM.gMinUS, vHi), eAt(TAOX_RRAM.gMaxUS, vHi));
  assert.ok(perPulse >= eAt(TAOX_RRAM.gMinUS, vLo) && perPulse <= eMax, `RRAM energy per pulse ${perPulse} vs [${eAt(TAOX_RRAM.gMinUS, vLo)}, ${eMax}]`);
});

test("write-verify cost: deterministic per seed; bad targetsPerDevice throws naming the field", () => {
  assert.equal(writeVerifyCost(3, 7), writeVerifyCost(3, 7));
  assert.not.equal(writeVerifyCost(3, 8), writeVerifyCost(3, 7));
  assert.throws(() => writeVerifyCost(0, 7), (e: unknown) => e instanceof RangeError && /targetsPerDevice/.test(e.message));
});

test.run();
