/**
 * Experiments for notebook 02 (Yang Figs 4, S11–S18, 7g): each takes a config and returns metrics and
 * rows for plots and tables. All physics lives in src/mtt and src/devices.
 */
import { EcramDevice, WOX_LIPON_ECRAM, type EcramParams } from "../devices/ecram";
import { ECRAM_MTT_TRANSISTOR, type MosfetParams } from "../devices/mosfet";
import { createRng } from "../util/rng";
import { linearFit, mean, std } from "../util/stats";
import { requireFinite, requireInteger, requirePositive } from "../util/validate";
import { OHMIC_READ, balanceConductanceUS, branchCurrentUA, circuitWeight, hiddenForConductance, makeMttUnit, nodeVoltageV, operatingWindow, type MttCircuitParams, type MttUnit } from "../mtt/circuit";
import { compactWeight, type CompactParams } from "../mtt/compact-fit";
import {
  ASYMMETRIC_G_REF,
  asymmetricCircuitWeight,
  asymmetricClosedForm,
  fitUnit,
  normalisedCompactParams,
  normalisedUnit,
  signDeviation,
  symmetricClosedForm,
  type UnitFit,
} from "../mtt/families";
import { ecramMttNetworkFit, ecramMttUnit, rramMttNetworkFit, rramMttUnit, ternaryMttFit } from "../mtt/network-transfer";
import { ECRAM_MTT_OPERATING_POINT, TERNARY_BIAS, ecramMttCircuit } from "../mtt/presets";
import type { Row } from "../util/row";


function requireGrid(field: string, values: readonly number[]): void {
  if (!Array.isArray(values) || values.length === 0) throw new RangeError(`${field} must be a non-empty list`);
  values.forEach((v, i) => requireFinite(`${field}[${i}]`, v));
}

const WH_PLOT = Array.from({ length: 201 }, (_, i) => -1 + i / 100);

/** Fig S11b,c: symmetric normalised unit for several K, circuit and closed form, and the distance from sign. */
export function symmetricKSweep(ks: readonly number[]): { rows: Row[]; summary: Row[]; deviationDecreasing: boolean } {
  requireGrid("ks", ks);
  const rows: Row[] = [];
  const summary: Row[] = [];
  for (const k of ks) {
    const u = normalisedUnit(k);
    for (const wh of WH_PLOT) {
      const gA = 1 + (k - 1) * Math.abs(wh);
      rows.push({ K: `K = ${k}`, Kvalue: k, W_h: wh, G_H: Math.sign(wh) * (gA - 1) / (k - 1), W_b: circuitWeight(u, wh), closed: symmetricClosedForm(k, wh) });
    }
    const p = normalisedCompactParams(k);
    summary.push({ K: k, A: p.a, B: p.b, "W_b(1)": symmetricClosedForm(k, 1), "mean |W_b − sign|": signDeviation((w) => circuitWeight(u, w)) });
  }
  const devs = summary.map((r) => r["mean |W_b − sign|"] as number);
  const order = [...ks].map((k, i) => [k, devs[i]] as const).sort((a, b) => a[0] - b[0]);
  const deviationDecreasing = order.every((v, i) => i === 0 || v[1] < order[i - 1][1]);
  return { rows, summary, deviationDecreasing };
}

/**
 * Smallest zero-region radius, in |W_h|, counted as a zero region: a fitted radius below it counts as none.
 * Assumed: 1 % of the hidden-weight range, far above what the compact fit returns for a binary unit (about 2e-5
 * at the operating point, V_read_H = 2·V_T: `operatingPointSweep().radiusAtRule`) and the same rule for the
 * sub-threshold read (Fig S12, `subthresholdSweep`) and the ternary functions (Fig 7g, `ternarySweep`).
 */
export const RESOLVED_ZERO_RADIUS = 0.01;

/**
 * Fig S12: sub-threshold read (V_read_H = ρ·2V_T), zero-gradient radius from closed form and from the circuit fit.
 * The closed form and the flags are those of the positive branch (drain at +V_d), the paper's symmetric abstraction
 * (Fig S12b). The negative branch's drain sits at −V_d, so its transistor's source and drain swap and it turns on
 * at V_n = V_T − V_d: its zero region is smaller (shown in the summary as "r, negative branch (fit)").
 */
export function subthresholdSweep(k: number, readRatios: readonly number[]): { rows: Row[]; summary: Row[]; radiusZeroAtRule: boolean; radiusGrowsBelowRule: boolean } {
  requireGrid("readRatios", readRatios);
  const rows: Row[] = [];
  const summary: Row[] = [];
  for (const rho of readRatios) {
    const u = normalisedUnit(k, rho);
    const fit = fitUnit(u, { fitRadius: true, what: `sub-threshold ρ=${rho}` });
    const closed = normalisedCompactParams(k, rho);
    const label = `V_read_H = ${(rho * 2).toFixed(2)}·V_T`;
    for (const wh of WH_PLOT) rows.push({ bias: label, W_h: wh, W_b: circuitWeight(u, wh) });
    summary.push({ "V_read_H / V_T": rho * 2, "r (closed form)": closed.r, "r (fit to circuit)": fit.params.positive.r, "A (fit)": fit.params.positive.a, "B (fit)": fit.params.positive.b, "r, negative branch (fit)": fit.params.negative.r, "mean |W_b − sign|": signDeviation((w) => circuitWeight(u, w)) });
  }
  const at = summary.filter((r) => (r["V_read_H / V_T"] as number) >= 2);
  const below = summary.filter((r) => (r["V_read_H / V_T"] as number) < 2).sort((a, b) => (b["V_read_H / V_T"] as number) - (a["V_read_H / V_T"] as number));
  // Both flags need rows to judge: a grid with no ratio at or above the rule (or none below it) gives false.
  const radiusZeroAtRule = at.length > 0 && at.every((r) => (r["r (closed form)"] as number) === 0 && (r["r (fit to circuit)"] as number) < RESOLVED_ZERO_RADIUS);
  const radiusGrowsBelowRule = below.length > 0 && below.every((r, i) => (r["r (closed form)"] as number) > 0 && (r["r (fit to circuit)"] as number) > 0 && (i === 0 || (r["r (fit to circuit)"] as number) > (below[i - 1]["r (fit to circuit)"] as number)));
  return { rows, summary, radiusZeroAtRule, radiusGrowsBelowRule };
}

/**
 * Fig S13: asymmetric differential structure vs symmetric, same K. Rows: the asymmetric unit from the circuit
 * (`asymmetric`) and in closed form (`closed`, (G − G_ref)/(G + G_ref), the function the network runs of
 * mtt-continual.ts use), and the symmetric closed form. The summary gives both asymmetric forms' end values and the
 * W_h at which G = G_ref, where both inference gates sit at V_read_H/2 = V_T: on either side of it one node drops
 * below threshold and that transistor's current falls from its baseline (the sub-threshold "bias" current at V_T that
 * each branch's normalisation subtracts) to nearly zero, so the circuit steps away from the closed form by about
 * baseline/full scale there (the kink of the circuit curve) and stays offset by that much towards both ends.
 */
export function asymmetricSweep(ks: readonly number[]): { rows: Row[]; summary: Row[]; worstRatio: number } {
  requireGrid("ks", ks);
  const rows: Row[] = [];
  const summary: Row[] = [];
  for (const k of ks) {
    for (const wh of WH_PLOT) rows.push({ K: `K = ${k}`, W_h: wh, asymmetric: asymmetricCircuitWeight(k, wh), closed: asymmetricClosedForm(k, wh), symmetric: symmetricClosedForm(k, wh) });
    const da = signDeviation((w) => asymmetricCircuitWeight(k, w));
    const ds = signDeviation((w) => symmetricClosedForm(k, w));
    // G = 1 + (K − 1)(W_h + 1)/2 (families.ts) equals G_ref at this W_h; null if the window [1, K] never reaches G_ref.
    const whAtRef = (2 * (ASYMMETRIC_G_REF - 1)) / (k - 1) - 1;
    summary.push({
      K: k,
      "asymmetric mean |W_b − sign|": da,
      "symmetric mean |W_b − sign|": ds,
      ratio: da / ds,
      "W_b(0) asymmetric": asymmetricCircuitWeight(k, 0),
      "W_b(−1), (+1) circuit": `${asymmetricCircuitWeight(k, -1).toFixed(3)}, ${asymmetricCircuitWeight(k, 1).toFixed(3)}`,
      "W_b(−1), (+1) closed form": `${asymmetricClosedForm(k, -1).toFixed(3)}, ${asymmetricClosedForm(k, 1).toFixed(3)}`,
      "W_h at G = G_ref": whAtRef >= -1 && whAtRef <= 1 ? whAtRef : null,
    });
  }
  return { rows, summary, worstRatio: Math.min(...summary.map((r) => r.ratio as number)) };
}

function unitRows(unit: MttUnit, fit: UnitFit, label: string, grid: readonly number[] = WH_PLOT): Row[] {
  return grid.map((wh) => ({ curve: label, W_h: wh, circuit: circuitWeight(unit, wh), fit: compactWeight(fit.params, wh) }));
}

function paramRow(fit: UnitFit): Row {
  const p = fit.params;
  return { A_p: p.positive.a, B_p: p.positive.b, A_n: p.negative.a, B_n: p.negative.b, "fit rms": Math.max(fit.positive.rmsResidual, fit.negative.rmsResidual) };
}

/**
 * Fig 4a–c: G_e–I_ts sweeps at the operating point (±V_d drains), the W_b–W_h relation and its fit. Also
 * returns the dynamic range the operating point requires, K = G_e,max/G_e,min, and the floor G_on/r of
 * `device`: the idle device of a pair is erased to G_e,min, so the device floor G_on/r must lie below it
 * (src/nn/hardware-mapping.ts refuses devices whose floor does not).
 */
export function operatingPointSweep(points = 41, device: EcramParams = WOX_LIPON_ECRAM): { sweep: Row[]; transfer: Row[]; params: Row; requiredOnOff: number; gMinUS: number; radiusAtRule: number; deviceFloorUS: number } {
  requireInteger("points", points, 5);
  const op = ECRAM_MTT_OPERATING_POINT;
  const unit = ecramMttUnit(op.readBiasV, op.refGateV, op.sweepGMaxUS);
  const sweep: Row[] = [];
  for (let i = 0; i < points; i++) {
    const g = unit.window.gMinUS * Math.pow(op.sweepGMaxUS / unit.window.gMinUS, i / (points - 1));
    sweep.push({ "G_e (µS)": g, "I_ts +0.01 V (µA)": branchCurrentUA(unit.circuit, g, 1), "I_ts −0.01 V (µA)": branchCurrentUA(unit.circuit, g, -1), "W_h": hiddenForConductance(unit.window, g) });
  }
  const fit = fitUnit(unit, { what: "operating point" });
  const withRadius = fitUnit(unit, { fitRadius: true, what: "operating point (radius)" });
  return {
    sweep,
    transfer: unitRows(unit, fit, "1.4 V / 0.6 V"),
    params: { "V_read_H (V)": op.readBiasV, "V_ref_G (V)": op.refGateV, "G_e,min (µS)": unit.window.gMinUS, "G_e,max (µS)": op.sweepGMaxUS, ...paramRow(fit) },
    requiredOnOff: op.sweepGMaxUS / unit.window.gMinUS,
    gMinUS: unit.window.gMinUS,
    radiusAtRule: Math.max(withRadius.params.positive.r, withRadius.params.negative.r),
    deviceFloorUS: new EcramDevice(device).gMinUS,
  };
}

/**
 * Fig 4d,e, S15–S17: fit parameters over a V_read_H × V_ref_G grid at G_max = 40 µS; trend checks; and the
 * resistor-reference unit (Fig S16) whose parameters do not depend on V_read_H.
 */
export function biasGrid(readBiasVs: readonly number[], refGateVs: readonly number[], gMaxUS = 40): {
  table: Row[];
  curves: Row[];
  trendReadBias: boolean;
  trendRefGate: boolean;
  maxPairAsymmetry: number;
  resistorTable: Row[];
  resistorSpread: number;
} {
  requireGrid("readBiasVs", readBiasVs);
  requireGrid("refGateVs", refGateVs);
  requirePositive("gMaxUS", gMaxUS);
  const table: Row[] = [];
  const a = new Map<string, number>();
  let maxPairAsymmetry = 0;
  const curves: Row[] = [];
  for (const vr of readBiasVs) {
    for (const vg of refGateVs) {
      const unit = ecramMttUnit(vr, vg, gMaxUS);
      const fit = fitUnit(unit, { what: `bias ${vr}/${vg}` });
      table.push({ "V_read_H (V)": vr, "V_ref_G (V)": vg, "G_e,min (µS)": unit.window.gMinUS, "K = G_max/G_min": gMaxUS / unit.window.gMinUS, ...paramRow(fit) });
      a.set(`${vr}|${vg}`, fit.params.positive.a);
      a.set(`n${vr}|${vg}`, fit.params.negative.a);
      a.set(`b${vr}|${vg}`, fit.params.positive.b);
      a.set(`bn${vr}|${vg}`, fit.params.negative.b);
      maxPairAsymmetry = Math.max(maxPairAsymmetry, Math.abs(fit.params.positive.a / fit.params.negative.a - 1), Math.abs(fit.params.positive.b / fit.params.negative.b - 1));
      if (vr === ECRAM_MTT_OPERATING_POINT.readBiasV) for (const row of unitRows(unit, fit, `V_ref_G = ${vg} V`)) curves.push(row);
    }
  }
  const vrs = [...readBiasVs].sort((x, y) => x - y);
  const vgs = [...refGateVs].sort((x, y) => x - y);
  const grows = (keys: string[]) => keys.every((k, i) => i === 0 || (a.get(k) as number) > (a.get(keys[i - 1]) as number));
  let trendReadBias = true;
  let trendRefGate = true;
  for (const prefix of ["", "n", "b", "bn"]) {
    for (const vg of vgs) trendReadBias &&= grows(vrs.map((vr) => `${prefix}${vr}|${vg}`));
    for (const vr of vrs) trendRefGate &&= grows([...vgs].reverse().map((vg) => `${prefix}${vr}|${vg}`));
  }
  // Fig S16: resistor reference (G_ref = the transistor's balance conductance at the operating point).
  const gRef = balanceConductanceUS(ecramMttCircuit());
  const resistorTable: Row[] = [];
  for (const vr of vrs) {
    const c: MttCircuitParams = { ...ecramMttCircuit({ readBiasV: vr }), reference: { kind: "resistor", conductanceUS: gRef } };
    const unit = makeMttUnit(c, operatingWindow(c, gMaxUS));
    const fit = fitUnit(unit, { what: `resistor ref ${vr}` });
    resistorTable.push({ "V_read_H (V)": vr, "G_ref (µS)": gRef, ...paramRow(fit) });
  }
  const ra = resistorTable.map((r) => r.A_p as number);
  const resistorSpread = (Math.max(...ra) - Math.min(...ra)) / mean(ra);
  return { table, curves, trendReadBias, trendRefGate, maxPairAsymmetry, resistorTable, resistorSpread };
}

export interface VariationConfig {
  units: number;
  seed: number | string;
  /** Threshold-voltage mismatch σ(V_T) per transistor, V. */
  sigmaThresholdV: number;
  /** Relative spread of β per transistor. */
  sigmaBetaRel: number;
  gMaxUS: number;
}

/**
 * Defaults of the Fig 4f,g uniformity study. units: 64 MTT units (paper text Fig 4f,g). Mismatch per
 * transistor, assumed (the transistor data are in the missing Table S1): Pelgrom's area law gives, per device,
 * σ(V_T) = A_VT/√(2·W·L) and σ(β)/β = A_β/√(2·W·L) (A the pair-difference coefficients). σ(V_T) = 10 mV
 * corresponds to A_VT ≈ 5 mV·µm (an assumed order for a ~0.18 µm-class process, not checked against the
 * paper's transistors) at W·L ≈ 0.125 µm² (e.g. 0.7 µm × 0.18 µm); σ(β)/β = 3 % corresponds to A_β ≈ 1.5 %·µm at
 * the same area. The W/L ≈ 5–10 assumed for β (devices/mosfet.ts) means W·L ≈ 0.16–0.32 µm² and σ(V_T) ≈ 6–9 mV
 * with the same A_VT, so these values are on the pessimistic side.
 * yang.mtt.uniformity (W_h-averaged std of W_b below 0.05) is checked with these values. gMaxUS: the 40 µS
 * maximum of the Fig 4 bias sweeps (paper text §2.2, ECRAM_MTT_OPERATING_POINT.sweepGMaxUS); the window of
 * Fig 4f,g itself is not in our text (assumed the same).
 */
export const VARIATION_DEFAULTS: Readonly<VariationConfig> = Object.freeze({
  units: 64,
  seed: 4,
  sigmaThresholdV: 0.01,
  sigmaBetaRel: 0.03,
  gMaxUS: ECRAM_MTT_OPERATING_POINT.sweepGMaxUS,
});

/** Half-width of the W_h zoom of {@link unitVariation}'s W_b curves, where the units' curves differ most. */
export const UNIT_ZOOM_WH = 0.05;

/**
 * Fig 4f,g, S18a,b: units whose four transistors each draw V_T and β from the mismatch distribution; the
 * array maps W_h with the nominal window. Returns per-unit fits, G_e–I_ts curves and W_b–W_h curves of the first
 * 16 units (`transfer`: on the grid of `meanCurveStd`, view "W_h ∈ [−1, 1]", and on a 0.001 grid over
 * |W_h| ≤ {@link UNIT_ZOOM_WH}, view "zoom"), and spread statistics: CV of the fitted parameters, the W_h-averaged
 * std of W_b across units (on 81 points, step 0.025), and the largest std (on the zoom grid) and where it occurs.
 *
 * The ceiling of A_p: when the reference transistor is a current source (V_n ≫ kT/q) and the inference transistor is
 * above threshold already at G_e,min, V_n = V_read_H − I_ref/G_e and I_ts is linear in V_n, so
 * W_b = 1 − G_e,min/G_e exactly: A = B = G_e,max/G_e,min − 1 of the shared window (`ceilingA`), whatever the unit's own
 * transistors. The nominal unit balances at V_n = V_read_H/2 = V_T, on the edge; a unit whose node at G_e,min lies
 * above its inference transistor's V_T (`"V_n(G_e,min) − V_T (V)"` > 0 in `params`) sits at the ceiling
 * (`atCeiling` counts them), one whose node lies below starts in sub-threshold and fits a smaller A_p.
 */
export function unitVariation(cfg: Partial<VariationConfig> = {}): { curves: Row[]; transfer: Row[]; params: Row[]; summary: Row; meanCurveStd: number; cvA: number; ceilingA: number; atCeiling: number; maxStd: number; whAtMaxStd: number } {
  const c: VariationConfig = { ...VARIATION_DEFAULTS, ...cfg };
  requireInteger("units", c.units, 2);
  const rng = createRng(c.seed).fork("mtt-units");
  const op = ECRAM_MTT_OPERATING_POINT;
  const nominal = ecramMttUnit(op.readBiasV, op.refGateV, c.gMaxUS);
  const draw = (): MosfetParams => ({ ...ECRAM_MTT_TRANSISTOR, thresholdV: ECRAM_MTT_TRANSISTOR.thresholdV + c.sigmaThresholdV * rng.normal(), betaUAPerV2: ECRAM_MTT_TRANSISTOR.betaUAPerV2 * (1 + c.sigmaBetaRel * rng.normal()) });
  const branch = (): MttCircuitParams => ({ readBiasV: op.readBiasV, drainReadV: op.drainReadV, inference: draw(), reference: { kind: "transistor", gateV: op.refGateV, mosfet: draw() }, memoryRead: OHMIC_READ });
  const curves: Row[] = [];
  const transfer: Row[] = [];
  const params: Row[] = [];
  const whs = Array.from({ length: 81 }, (_, i) => -1 + i / 40);
  const zoom = Array.from({ length: 101 }, (_, i) => UNIT_ZOOM_WH * (-1 + i / 50));
  const wbs: number[][] = whs.map(() => []);
  const zoomWbs: number[][] = zoom.map(() => []);
  for (let u = 0; u < c.units; u++) {
    const pos = branch();
    const neg = branch();
    const unit = makeMttUnit(pos, nominal.window, neg);
    const fit = fitUnit(unit, { what: `unit ${u}` });
    params.push({ unit: u, ...paramRow(fit), "V_n(G_e,min) − V_T (V)": nodeVoltageV(pos, nominal.window.gMinUS) - pos.inference.thresholdV });
    whs.forEach((wh, i) => wbs[i].push(circuitWeight(unit, wh)));
    zoom.forEach((wh, i) => zoomWbs[i].push(circuitWeight(unit, wh)));
    if (u < 16) {
      for (let i = 0; i <= 24; i++) {
        const g = nominal.window.gMinUS * Math.pow(c.gMaxUS / nominal.window.gMinUS, i / 24);
        curves.push({ unit: u, "G_e (µS)": g, "I_ts +0.01 V (µA)": branchCurrentUA(pos, g, 1), "I_ts −0.01 V (µA)": branchCurrentUA(neg, g, -1) });
      }
      whs.forEach((wh, i) => transfer.push({ unit: u, view: "W_h ∈ [−1, 1]", W_h: wh, W_b: wbs[i][u] }));
      zoom.forEach((wh, i) => transfer.push({ unit: u, view: `zoom: |W_h| ≤ ${UNIT_ZOOM_WH}`, W_h: wh, W_b: zoomWbs[i][u] }));
    }
  }
  const cv = (key: string) => std(params.map((r) => r[key] as number)) / mean(params.map((r) => r[key] as number));
  const meanCurveStd = mean(wbs.map((v) => std(v)));
  const zoomStd = zoomWbs.map((v) => std(v));
  const iMax = zoomStd.indexOf(Math.max(...zoomStd));
  const ceilingA = c.gMaxUS / nominal.window.gMinUS - 1;
  const atCeiling = params.filter((r) => Math.abs((r.A_p as number) / ceilingA - 1) < 1e-3).length;
  const summary: Row = { units: c.units, "σ(V_T) (mV)": c.sigmaThresholdV * 1000, "σ(β)/β": c.sigmaBetaRel, "mean A_p": mean(params.map((r) => r.A_p as number)), "CV A_p": cv("A_p"), "CV B_p": cv("B_p"), "CV A_n": cv("A_n"), "CV B_n": cv("B_n"), "mean std of W_b across units": meanCurveStd, "largest std of W_b": zoomStd[iMax], "at W_h": zoom[iMax] };
  return { curves, transfer, params, summary, meanCurveStd, cvA: cv("A_p"), ceilingA, atCeiling, maxStd: zoomStd[iMax], whAtMaxStd: zoom[iMax] };
}

/** Fig S18c,d: fitted parameters vs the maximum operating conductance; linear fit and R². */
export function rangeLinearity(gMaxUSs: readonly number[]): { table: Row[]; slope: number; r2: number } {
  requireGrid("gMaxUSs", gMaxUSs);
  if (new Set(gMaxUSs).size < 2) throw new RangeError(`gMaxUSs needs at least two distinct G_max values to fit a line, got [${gMaxUSs.join(", ")}]`);
  const op = ECRAM_MTT_OPERATING_POINT;
  const table: Row[] = gMaxUSs.map((g) => ({ "G_max (µS)": g, ...paramRow(fitUnit(ecramMttUnit(op.readBiasV, op.refGateV, g), { what: `G_max ${g}` })) }));
  const fitA = linearFit(gMaxUSs, table.map((r) => r.A_p as number));
  const fitB = linearFit(gMaxUSs, table.map((r) => r.B_p as number));
  return { table, slope: fitA.slope, r2: Math.min(fitA.r2, fitB.r2) };
}

/** Fig 4h: the RRAM-MTT transfer and its fit. */
export function rramTransfer(): { rows: Row[]; params: Row; minParam: number } {
  const unit = rramMttUnit();
  const fit = rramMttNetworkFit();
  const p = fit.params;
  return {
    rows: unitRows(unit, fit, "RRAM-MTT 0.8 V / 0.7 V"),
    params: { "V_read_H (V)": unit.circuit.readBiasV, "G_min (µS)": unit.window.gMinUS, "G_max (µS)": unit.window.gMaxUS, ...paramRow(fit) },
    minParam: Math.min(p.positive.a, p.positive.b, p.negative.a, p.negative.b),
  };
}

/** Half-width of the W_h zoom of {@link ternarySweep} (`zoomRows`), where the zero regions lie. */
export const TERNARY_ZOOM_WH = 0.1;

/**
 * Fig 7g: ternary transfers at V_read_H 0.7 V; fitted radius per V_ref_G. `rows` span W_h ∈ [−1, 1] in steps of
 * 0.01; `zoomRows` the same curves over |W_h| ≤ {@link TERNARY_ZOOM_WH} in steps of 0.001, where the zero regions can
 * be seen. `allHaveZeroRegion`: both fitted radii reach {@link RESOLVED_ZERO_RADIUS} at every bias (a radius that
 * merely exceeds 0 would not tell a ternary function from a binary one, whose fit also returns a tiny positive radius).
 */
export function ternarySweep(refGateVs: readonly number[]): { rows: Row[]; zoomRows: Row[]; table: Row[]; allHaveZeroRegion: boolean } {
  requireGrid("refGateVs", refGateVs);
  const rows: Row[] = [];
  const zoomRows: Row[] = [];
  const zoom = Array.from({ length: 201 }, (_, i) => TERNARY_ZOOM_WH * (-1 + i / 100));
  const table: Row[] = [];
  refGateVs.forEach((vg, i) => {
    const fit = ternaryMttFit(vg);
    const unit = ecramMttUnit(TERNARY_BIAS.readBiasV, vg, TERNARY_BIAS.gMaxUS);
    for (const r of unitRows(unit, fit, `T${i + 1} (${vg} V)`)) rows.push(r);
    for (const r of unitRows(unit, fit, `T${i + 1} (${vg} V)`, zoom)) zoomRows.push(r);
    table.push({ function: `T${i + 1}`, "V_read_H (V)": TERNARY_BIAS.readBiasV, "V_ref_G (V)": vg, "G_e,min (µS)": unit.window.gMinUS, r_p: fit.params.positive.r, r_n: fit.params.negative.r, ...paramRow(fit) });
  });
  return { rows, zoomRows, table, allHaveZeroRegion: table.every((r) => (r.r_p as number) >= RESOLVED_ZERO_RADIUS && (r.r_n as number) >= RESOLVED_ZERO_RADIUS) };
}

/** The network functions handed to src/nn: parameters table. */
export function networkFunctionTable(): Row[] {
  const e = ecramMttNetworkFit();
  const r = rramMttNetworkFit();
  return [
    { function: "ECRAM-MTT (1.4 V / 0.6 V, G_max 50 µS)", ...paramRow(e) },
    { function: "RRAM-MTT (0.8 V / 0.7 V)", ...paramRow(r) },
  ];
}

export type { CompactParams };
