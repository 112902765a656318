/**
 * The weight transfer functions the networks use (§4.7, Fig 4h, Fig 7g), as cheap pure functions.
 *
 * Each is computed once from the circuit (src/mtt/circuit.ts) at its bias point and conductance window,
 * fitted with the generalized compact form (src/mtt/compact-fit.ts), and then evaluated in closed form:
 * apply() is pure, allocation-free and safe to tabulate.
 */
import { TAOX_RRAM } from "../devices/taox-rram";
import { requireFinite } from "../util/validate";
import { makeMttUnit, operatingWindow, type MttUnit } from "./circuit";
import { compactWeight, type CompactParams } from "./compact-fit";
import { fitUnit, type UnitFit } from "./families";
import { ECRAM_MTT_OPERATING_POINT, RRAM_MTT_OPERATING_POINT, TERNARY_BIAS, ecramMttCircuit, rramMttCircuit } from "./presets";
import type { WeightTransferFunction } from "./transfer-function";

/** A transfer function from compact parameters (W_h clamped to [−1, 1]). */
export function compactTransfer(name: string, kind: "binary" | "ternary", params: CompactParams): WeightTransferFunction & { readonly params: CompactParams } {
  const frozen: CompactParams = Object.freeze({ positive: Object.freeze({ ...params.positive }), negative: Object.freeze({ ...params.negative }) });
  return Object.freeze({
    name,
    kind,
    params: frozen,
    apply: (hiddenWeight: number) => compactWeight(frozen, hiddenWeight),
  });
}

/** The ECRAM-MTT unit at a bias point and maximum conductance (window from the balance point). */
export function ecramMttUnit(readBiasV: number, refGateV: number, gMaxUS: number): MttUnit {
  const c = ecramMttCircuit({ readBiasV, refGateV });
  return makeMttUnit(c, operatingWindow(c, gMaxUS));
}

/** The ECRAM-MTT unit every network uses (§4.7): V_read_H 1.4 V, V_ref_G 0.6 V, G_max 50 µS ({@link ECRAM_MTT_OPERATING_POINT}). */
export function ecramMttNetworkUnit(): MttUnit {
  const op = ECRAM_MTT_OPERATING_POINT;
  return ecramMttUnit(op.readBiasV, op.refGateV, op.networkGMaxUS);
}

/** The RRAM-MTT unit: window = the RRAM's programmable window. */
export function rramMttUnit(readBiasV = RRAM_MTT_OPERATING_POINT.readBiasV, refGateV = RRAM_MTT_OPERATING_POINT.refGateV): MttUnit {
  const c = rramMttCircuit({ readBiasV, refGateV });
  return makeMttUnit(c, { gMinUS: TAOX_RRAM.gMinUS, gMaxUS: TAOX_RRAM.gMaxUS });
}

const cache = new Map<string, { fit: UnitFit; transfer: WeightTransferFunction }>();

function cached(key: string, build: () => { fit: UnitFit; transfer: WeightTransferFunction }) {
  let v = cache.get(key);
  if (!v) {
    v = build();
    cache.set(key, v);
  }
  return v;
}

/** Fit of the ECRAM-MTT network function (V_read_H 1.4 V, V_ref_G 0.6 V, G_max 50 µS). */
export function ecramMttNetworkFit(): UnitFit {
  return cached("ecram", () => {
    const fit = fitUnit(ecramMttNetworkUnit(), { what: "ECRAM-MTT 50 µS" });
    return { fit, transfer: compactTransfer("ECRAM-MTT 50 µS", "binary", fit.params) };
  }).fit;
}

/** ECRAM-MTT weight transfer function at G_max = 50 µS used in all network training (§4.7). */
export function ecramMttTransfer(): WeightTransferFunction {
  ecramMttNetworkFit();
  return cache.get("ecram")!.transfer;
}

/** Fit of the RRAM-MTT function (V_read_H 0.8 V, V_ref_G 0.7 V, Fig 4h). */
export function rramMttNetworkFit(): UnitFit {
  return cached("rram", () => {
    const fit = fitUnit(rramMttUnit(), { what: "RRAM-MTT" });
    return { fit, transfer: compactTransfer("RRAM-MTT", "binary", fit.params) };
  }).fit;
}

/** RRAM-MTT weight transfer function (V_read_H 0.8 V, V_ref_G 0.7 V). */
export function rramMttTransfer(): WeightTransferFunction {
  rramMttNetworkFit();
  return cache.get("rram")!.transfer;
}

/** Fit (with zero-region radius) of the ternary function at V_read_H 0.7 V and the given V_ref_G. */
export function ternaryMttFit(vRefGV: number): UnitFit {
  requireFinite("vRefGV (V_ref_G)", vRefGV);
  return cached(`ternary:${vRefGV}`, () => {
    const unit = ecramMttUnit(TERNARY_BIAS.readBiasV, vRefGV, TERNARY_BIAS.gMaxUS);
    const name = `ternary MTT V_ref_G ${vRefGV} V`;
    const fit = fitUnit(unit, { fitRadius: true, what: name });
    return { fit, transfer: compactTransfer(name, "ternary", fit.params) };
  }).fit;
}

/** Ternary MTT transfer (sub-threshold read V_read_H 0.7 V, Fig 7g) at reference gate bias vRefGV. */
export function ternaryMttTransfer(vRefGV: number): WeightTransferFunction {
  ternaryMttFit(vRefGV);
  return cache.get(`ternary:${vRefGV}`)!.transfer;
}
