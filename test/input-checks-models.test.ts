/**
 * Input checks of the model layers (devices → mtt → array → energy → experiments): each bad input found by a
 * robustness probe must throw a RangeError naming the field (or return the documented NaN), and a valid edge
 * input next to it must still work.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { balanceConductanceUS, operatingWindow, OHMIC_READ, type MttCircuitParams } from "../src/mtt/circuit";
import { ecramMttCircuit, rramMttCircuit } from "../src/mtt/presets";
import { ECRAM_MTT_TRANSISTOR } from "../src/devices/mosfet";
import { TAOX_RRAM } from "../src/devices/taox-rram";
import { analogMvm, extremesMapping, type AnalogMvmConfig } from "../src/array/analog-mvm";
import { CrosspointArray } from "../src/array/crosspoint-array";
import { backwardVmm, blockVmm, CHIP_PERIPHERY, forwardVmm, IDEAL_PERIPHERY } from "../src/array/vmm";
import { ECRAM_4K_CHIP, ECRAM_4K_IDEAL, Ecram4kDevice, sampleDevice } from "../src/devices/ecram-4k-chip";
import { EcramDevice, WOX_LIPON_ECRAM, validateEcramParams } from "../src/devices/ecram";
import { CMO_HFOX, CmoHfoxDevice, conductancesAtTime, readNoiseSigmaUS, validateCmoHfoxParams } from "../src/devices/cmo-hfox";
import { CHIP_POWER_CALIBRATED, chipPower } from "../src/energy/chip-power";
import { peakBreakdown, utilisationSweep } from "../src/experiments/kwak-power";
import { solveMonotone } from "../src/energy/quantization-energy";
import { amplitudeWidthDependence, retentionStates } from "../src/experiments/ecram-fig3";
import { linearFit } from "../src/util/stats";
import { rangeLinearity } from "../src/experiments/mtt-transfer";
import { kWhereRatioReachesOne, type SweepRow } from "../src/experiments/choi-training";
import { rramReadCurves } from "../src/experiments/mtt-rram";
import { createRng } from "../src/util/rng";
import { relaxationTable } from "../src/experiments/cmo-device-stats";
import { roundToLevelsStochastic } from "../src/experiments/continual-small";

const isRange = (re: RegExp) => (e: unknown) => e instanceof RangeError && re.test((e as Error).message);

test("balanceConductanceUS: no root in the bracket throws naming the bias fields; the operating points still balance", () => {
  const noRoot = /no balance point .* lies in \[1e-12, 1e12\] µS at this bias.*readBiasV \(V_read_H\) = .*V_ref_G/;
  assert.throws(() => balanceConductanceUS(rramMttCircuit({ refGateV: 0.6 })), isRange(noRoot));
  assert.throws(() => balanceConductanceUS(rramMttCircuit({ readBiasV: 1.2 })), isRange(noRoot));
  assert.throws(() => balanceConductanceUS(ecramMttCircuit({}, { ...ECRAM_MTT_TRANSISTOR, temperatureK: 4 })), isRange(noRoot));
  assert.throws(() => operatingWindow(rramMttCircuit({ refGateV: 0.6 }), 40), isRange(noRoot));
  // A resistor reference beyond the top of the bracket: the residual never turns positive.
  const resistor: MttCircuitParams = { ...ecramMttCircuit(), reference: { kind: "resistor", conductanceUS: 1e13 }, memoryRead: OHMIC_READ };
  assert.throws(() => balanceConductanceUS(resistor), isRange(/no balance point.*reference\.conductanceUS = 10000000000000 µS/));
  // Valid: the ECRAM and RRAM operating points. ECRAM (ohmic read, V_read_H = 1.4 V, V_ref_G = 0.6 V < V_T): the balance
  // G·V_n = I_ref(V_n) at V_n = V_read_H/2 with the reference in sub-threshold, I = β·n·V_t²·e^{(V_gs − V_T)/(n·V_t)}·(1 − e^{−V_ds/V_t})
  // (the hand formula of test/mtt-transfer-experiment.test.ts, handGMinUS(1.4, 0.6), ≈ 0.109 µS).
  const T = ECRAM_MTT_TRANSISTOR;
  const vt = 8.617333262e-5 * T.temperatureK;
  const half = 1.4 / 2;
  const handEcram = (T.betaUAPerV2 * T.slopeFactor * vt ** 2 * Math.exp((0.6 - T.thresholdV) / (T.slopeFactor * vt)) * (1 - Math.exp(-half / vt))) / half;
  const gEcram = balanceConductanceUS(ecramMttCircuit());
  assert.ok(Math.abs(gEcram - handEcram) <= 1e-9 * handEcram, `${gEcram} vs ${handEcram}`);
  // RRAM: the reference transistor is sized so that it carries the TaOx read current of G_min at V_read_H/2 (presets.ts,
  // rramReferenceTransistor), so the balance is G_min = 2 µS by construction; the bisection in ln G stops at a bracket
  // of 1e-12, i.e. a relative error ≤ 1e-12: allow 1e-9 relative.
  const gRram = balanceConductanceUS(rramMttCircuit());
  assert.ok(Math.abs(gRram - TAOX_RRAM.gMinUS) <= 1e-9 * TAOX_RRAM.gMinUS, `${gRram} vs ${TAOX_RRAM.gMinUS}`);
  const g = balanceConductanceUS({ ...resistor, reference: { kind: "resistor", conductanceUS: 3 } });
  assert.ok(Math.abs(g - 3) < 1e-9, String(g));
});

test("extremesMapping: equal weights throw 'all weights equal'; a spread maps as before", () => {
  assert.throws(() => extremesMapping([0.5], 9, 88), isRange(/all weights equal \(0\.5\).*spread/));
  assert.throws(() => extremesMapping([0, 0, 0], 9, 88), isRange(/all weights equal \(0\)/));
  assert.throws(() => extremesMapping([], 9, 88), isRange(/weights are empty/));
  assert.equal(extremesMapping([0.5, -1, 2], 9, 88), { gMinUS: 9, gMaxUS: 88, wMin: -1, wMax: 2 });
});

test("analogMvm: gUS length must equal rows × cols", () => {
  const c: AnalogMvmConfig = { inputBits: 8, inputBound: 1, outputBits: 8, outputBound: 4 };
  const m = { gMinUS: 9, gMaxUS: 88, wMax: 1 };
  const mid = (9 + 88) / 2;
  assert.throws(() => analogMvm([mid, mid, mid], 2, 2, [1, 1], m, c), isRange(/gUS length 3 must equal rows × cols = 2 × 2 = 4/));
  assert.throws(() => analogMvm([mid, mid, mid, mid, mid], 2, 2, [1, 1], m, c), isRange(/gUS length 5/));
  const y = analogMvm([88, 9, 88, 9], 2, 2, [1, 1], m, c); // W = [[1, 1], [−1, −1]] in crossbar layout
  assert.ok(Math.abs(y[0] - 2) < 0.05 && Math.abs(y[1] + 2) < 0.05, String(Array.from(y)));
});

test("blockVmm: a NaN or Infinity input throws naming its index, before any read disturbs the array", () => {
  const array = new CrosspointArray(ECRAM_4K_CHIP, 2, 2, createRng(1));
  const block = { rowIdx: [0, 1], colIdx: [0, 1] };
  const before = Float64Array.from(array.conductanceUS);
  assert.throws(() => forwardVmm(array, block, [0.5, NaN], CHIP_PERIPHERY, createRng(2)), isRange(/forward VMM input\[1\] must be a finite number, got NaN/));
  assert.throws(() => backwardVmm(array, block, [Infinity, 0.5], CHIP_PERIPHERY, createRng(2)), isRange(/backward VMM input\[0\].*Infinity/));
  assert.throws(() => blockVmm(array, block, [-Infinity, 0], IDEAL_PERIPHERY, "forward", createRng(2)), isRange(/input\[0\]/));
  assert.equal(Array.from(array.conductanceUS), Array.from(before));
  const y = forwardVmm(array, block, [0.5, -0.25], CHIP_PERIPHERY, createRng(2));
  assert.ok(y.every(Number.isFinite));
});

test("CrosspointArray: (i, j) outside the array throws naming the pair and the size; a NaN pulse count throws", () => {
  const a = new CrosspointArray(ECRAM_4K_IDEAL, 2, 2, createRng(1));
  const rng = createRng(3);
  const out = /device \(i, j\) = \(0, 3\) is outside the 2×2 array/;
  assert.throws(() => a.pulse(0, 3, 1, rng), isRange(out));
  assert.throws(() => a.halfSelect(0, 3, 1), isRange(out));
  assert.throws(() => a.readDisturb(0, 3, 0.5), isRange(out));
  assert.throws(() => a.weight(2, 0), isRange(/\(2, 0\) is outside the 2×2/));
  assert.throws(() => a.index(-1, 0), isRange(/\(-1, 0\)/));
  assert.throws(() => a.index(0.5, 0), isRange(/\(0\.5, 0\)/));
  assert.throws(() => a.blockConductanceUS({ rowIdx: [0], colIdx: [2] }), isRange(/\(0, 2\)/));
  assert.throws(() => a.programFromReference({ rowIdx: [2], colIdx: [0] }, [0.1], rng), isRange(/\(2, 0\)/));
  assert.throws(() => a.pulse(0, 0, NaN, rng), isRange(/pulse count must be a finite number, got NaN/));
  const before = Array.from(a.conductanceUS);
  assert.equal(Array.from(a.conductanceUS), before, "the rejected calls changed nothing");
  a.pulse(1, 1, 3, rng);
  assert.is(a.fullPulses[3], 3);
  assert.equal(Array.from(a.fullPulses.slice(0, 3)), [0, 0, 0]);
  assert.ok(a.conductanceUS[3] > before[3]);
});

test("Ecram4kDevice: initialUS must lie in the sampled device's window", () => {
  const s = sampleDevice(ECRAM_4K_CHIP, createRng(5));
  assert.throws(() => new Ecram4kDevice(ECRAM_4K_CHIP, s, NaN), isRange(/initialUS must be a finite number/));
  assert.throws(() => new Ecram4kDevice(ECRAM_4K_CHIP, s, 1000), isRange(/initialUS must be in \[.*\], got 1000/));
  assert.throws(() => new Ecram4kDevice(ECRAM_4K_CHIP, s, s.gMinUS - 1e-9), isRange(/initialUS/));
  assert.is(new Ecram4kDevice(ECRAM_4K_CHIP, s, s.gMinUS).conductanceUS(), s.gMinUS);
  assert.is(new Ecram4kDevice(ECRAM_4K_CHIP, s).conductanceUS(), (s.gMinUS + s.gMaxUS) / 2);
  // A wide bound spread (σ = 0.5: 2.3 % of draws below −2σ would give G_min < 0) keeps every G_min ≥ 0.
  const rng = createRng("wide");
  const wide = Array.from({ length: 2000 }, () => sampleDevice({ ...ECRAM_4K_CHIP, rangeD2dStd: 0.5 }, rng));
  assert.ok(wide.every((d) => d.gMinUS >= 0 && d.gMaxUS > d.gMinUS));
  assert.ok(wide.some((d) => d.gMinUS === 0), "some draws hit the clamp");
  // A stuck device holds its state under pulses, as in the array; the same sample made functional moves.
  const stuck = new Ecram4kDevice(ECRAM_4K_CHIP, { ...s, functional: false });
  const working = new Ecram4kDevice(ECRAM_4K_CHIP, { ...s, functional: true });
  const g0 = stuck.conductanceUS();
  for (let k = 0; k < 10; k++) {
    stuck.applyPulse(1, 1, 1e-6, createRng(k));
    working.applyPulse(1, 1, 1e-6, createRng(k));
  }
  assert.is(stuck.conductanceUS(), g0);
  assert.ok(working.conductanceUS() > g0, "ten potentiation pulses raise a functional device");
});

test("ECRAM params: retention drift ≥ 0, equilibrium fraction in [0, 1], gate capacitance and leakage ≥ 0", () => {
  assert.throws(() => new EcramDevice({ ...WOX_LIPON_ECRAM, retentionDriftPerDecade: -0.2 }), isRange(/retentionDriftPerDecade must be ≥ 0, got -0\.2/));
  assert.throws(() => new EcramDevice({ ...WOX_LIPON_ECRAM, retentionEquilibriumFraction: 1.5 }), isRange(/retentionEquilibriumFraction must be in \[0, 1\], got 1\.5/));
  assert.throws(() => validateEcramParams({ ...WOX_LIPON_ECRAM, retentionEquilibriumFraction: NaN }), isRange(/retentionEquilibriumFraction/));
  assert.throws(() => validateEcramParams({ ...WOX_LIPON_ECRAM, gateCapacitancePerAreaFm2: -1 }), isRange(/gateCapacitancePerAreaFm2/));
  assert.throws(() => validateEcramParams({ ...WOX_LIPON_ECRAM, gateLeakageA: NaN }), isRange(/gateLeakageA/));
  for (const f of [0, 1]) {
    const d = new EcramDevice({ ...WOX_LIPON_ECRAM, retentionDriftPerDecade: 0.5, retentionEquilibriumFraction: f }, 30);
    const g = d.relax(1e6);
    const eps = 1e-12 * d.gMaxUS; // relax lands on G_eq up to rounding
    assert.ok(g >= d.gMinUS - eps && g <= d.gMaxUS + eps, `fraction ${f}: ${g}`);
  }
});

test("CMO/HfOx: gMinUS ≤ 1 µS is rejected (read-noise law needs G > 1 µS), also on the read-noise paths", () => {
  const low = { ...CMO_HFOX, gMinUS: 0.5 };
  assert.throws(() => validateCmoHfoxParams({ ...CMO_HFOX, gMinUS: 1 }), isRange(/gMinUS must be > 1 µS \(the read-noise law.*\), got 1$/));
  assert.throws(() => new CmoHfoxDevice(low), isRange(/gMinUS must be > 1 µS/));
  assert.throws(() => readNoiseSigmaUS(50, 1, low), isRange(/gMinUS must be > 1 µS/));
  assert.throws(() => conductancesAtTime([50], 1, createRng(1), low), isRange(/gMinUS must be > 1 µS/));
  assert.throws(() => readNoiseSigmaUS(0.8, 1), isRange(/gUS must be > 1 µS.*got 0\.8/));
  assert.ok(readNoiseSigmaUS(1.5, 1, { ...CMO_HFOX, gMinUS: 1.5 }) > 0);
});

// Utilisation 0 stays valid in chipPower/utilisationSweep: test/kwak-power.test.ts documents it as the idle chip
// (power = static + converters, 0 TOPS/W; energy per MAC is then +Infinity, the limit, not a wrong number).
test("peakBreakdown needs a positive total power (shares); utilisations outside [0, 1] still throw", () => {
  const P = CHIP_POWER_CALIBRATED;
  assert.throws(() => utilisationSweep(P, [-0.5]), isRange(/rowUtilisation/));
  assert.throws(() => chipPower(P, { rowUtilisation: 1, colUtilisation: NaN, meanSquareInput: 1 }), isRange(/colUtilisation/));
  const zero = { ...P, meanConductanceUS: 0, wireCapPerCellF: 0, dacEnergyJ: 0, adcEnergyJ: 0, staticPowerW: 0 };
  assert.throws(() => peakBreakdown(zero), isRange(/total power .* must be > 0/));
  const b = chipPower(P, { rowUtilisation: 1 / 64, colUtilisation: 1 / 64, meanSquareInput: 1 });
  assert.ok(Number.isFinite(b.energyPerMacJ) && b.energyPerMacJ > 0);
  const shares = peakBreakdown(P).rows.reduce((s, r) => s + r.share, 0);
  assert.ok(Math.abs(shares - 1) < 1e-12);
});

test("solveMonotone: needs 0 < lo < hi and finite f at both ends", () => {
  assert.throws(() => solveMonotone((x) => x, 5, 10, 1, "k"), isRange(/k lower bracket \(10\) must be < k upper bracket \(1\)/));
  assert.throws(() => solveMonotone((x) => x, 5, 3, 3, "k"), isRange(/k lower bracket \(3\) must be < k upper bracket \(3\)/));
  assert.throws(() => solveMonotone(() => NaN, 5, 1, 10, "k"), isRange(/f\(k lower bracket = 1\) must be a finite number, got NaN/));
  assert.throws(() => solveMonotone((x) => (x > 5 ? NaN : x), 5, 1, 10, "k"), isRange(/f\(k upper bracket = 10\)/));
  assert.ok(Math.abs(solveMonotone((x) => x * x, 4, 1, 10) - 2) < 1e-9);
});

test("retentionStates: readsPerPoint ≥ 2 and a non-empty timesS; amplitudeWidthDependence: a sub-threshold amplitude throws", () => {
  const cfg = { states: 2, lowUS: 5, highUS: 40, timesS: [1, 100], readsPerPoint: 3 };
  assert.throws(() => retentionStates({ ...cfg, readsPerPoint: 1 }), isRange(/readsPerPoint must be an integer ≥ 2, got 1/));
  assert.throws(() => retentionStates({ ...cfg, readsPerPoint: 0 }), isRange(/readsPerPoint/));
  assert.throws(() => retentionStates({ ...cfg, timesS: [] }), isRange(/timesS is empty/));
  assert.is(retentionStates({ ...cfg, timesS: [10] }).rows.length, 2);
  const aw = { potentiationV: [6, 10], depressionV: [5, 7], widthsS: [1e-3, 2e-3], trials: 1, startUS: 25 };
  assert.throws(() => amplitudeWidthDependence({ ...aw, potentiationV: [1, 10] }), isRange(/potentiationV 1 V gives no conductance change/));
  assert.throws(() => amplitudeWidthDependence({ ...aw, depressionV: [2, 7] }), isRange(/depressionV 2 V gives no conductance change/));
  const ok = amplitudeWidthDependence(aw);
  assert.ok(Number.isFinite(ok.expFits.potentiation.slopePerV) && Number.isFinite(ok.expFits.depression.slopePerV));
});

test("linearFit: all x equal gives NaN slope and r2; rangeLinearity needs two distinct G_max", () => {
  const f = linearFit([2, 2, 2], [1, 2, 3]);
  assert.ok(Number.isNaN(f.slope) && Number.isNaN(f.r2), JSON.stringify(f));
  assert.ok(Number.isNaN(linearFit([2, 2], [5, 5]).r2));
  assert.ok(Number.isNaN(linearFit([0.1, 0.1, 0.1], [1, 2, 4]).slope));
  assert.is(linearFit([0, 1, 2, 3], [2, 2, 2, 2]).r2, 1); // a flat line over distinct x is still exact
  assert.throws(() => rangeLinearity([40, 40]), isRange(/gMaxUSs needs at least two distinct G_max values.*\[40, 40\]/));
  assert.throws(() => rangeLinearity([40]), isRange(/gMaxUSs needs at least two distinct/));
});

test("kWhereRatioReachesOne: a zero ratio below the crossing gives the upper k (no NaN); bad ratios throw", () => {
  const row = (k: number, ratio: number) => ({ device: "soft bounds", k, accuracyPct: 50, disturbToSignalL1: ratio }) as unknown as SweepRow;
  const byRatio = (r: SweepRow) => r.disturbToSignalL1;
  assert.is(kWhereRatioReachesOne([row(0, 0), row(0.01, 0), row(0.1, 2)], byRatio), 0.1);
  assert.throws(() => kWhereRatioReachesOne([row(0.01, -1), row(0.1, 2)], byRatio), isRange(/ratio at k = 0\.01 must be ≥ 0, got -1/));
  assert.throws(() => kWhereRatioReachesOne([row(0.01, NaN), row(0.1, 2)], byRatio), isRange(/ratio at k = 0\.01/));
  const k = kWhereRatioReachesOne([row(0.01, 0.1), row(0.1, 10)], byRatio)!;
  assert.ok(Math.abs(k - Math.sqrt(0.001)) < 1e-12);
});

test("rramReadCurves: state indices must exist", () => {
  assert.throws(() => rramReadCurves([99]), isRange(/states\[0\] must be a state index 0…15, got 99/));
  assert.throws(() => rramReadCurves([0, 1.5]), isRange(/states\[1\]/));
  assert.throws(() => rramReadCurves([0], 1, 0), isRange(/points/));
  assert.is(rramReadCurves([15], 1, 2).length, 2);
});

test("relaxationTable needs a programmed conductance inside the window; roundToLevelsStochastic needs two increasing levels", () => {
  assert.throws(() => relaxationTable([1], 1, 4), /gUS must be in/);
  assert.throws(() => relaxationTable([1], CMO_HFOX.gMaxUS + 1, 4), /gUS/);
  assert.is(relaxationTable([1], (CMO_HFOX.gMinUS + CMO_HFOX.gMaxUS) / 2, 4).length, 1);
  for (const levels of [[], [0.5], [1, 1], [1, 0]]) assert.throws(() => roundToLevelsStochastic(new Float32Array([0.3]), levels, createRng(1)), /levels must hold/, JSON.stringify(levels));
  // Two levels: a value a quarter of the way up rounds to the upper level with probability 1/4, else down; never NaN.
  const v = new Float32Array(4000).fill(0.25);
  roundToLevelsStochastic(v, [0, 1], createRng(2));
  const up = v.filter((x) => x === 1).length / v.length;
  assert.ok(v.every((x) => x === 0 || x === 1) && Math.abs(up - 0.25) < 5 * Math.sqrt(0.25 * 0.75 / 4000), `${up}`); // 5 standard errors
});

test.run();
