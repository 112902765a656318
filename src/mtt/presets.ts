/**
 * Bias points and circuits of the experimental MTT units (ECRAM-MTT, RRAM-MTT), with provenance.
 */
import { ECRAM_MTT_TRANSISTOR, RRAM_MTT_TRANSISTOR, drainCurrentUA, type MosfetParams } from "../devices/mosfet";
import { TAOX_RRAM, rramReadCurrentUA, type TaoxRramParams } from "../devices/taox-rram";
import { requireFinite, requirePositive } from "../util/validate";
import { OHMIC_READ, type MemoryReadModel, type MttCircuitParams } from "./circuit";

export interface MttBias {
  /** Hidden-weight read bias V_read_H, V. */
  readBiasV: number;
  /** Reference-transistor gate voltage V_ref_G, V. */
  refGateV: number;
  /** Inference-drain read magnitude V_d, V. */
  drainReadV: number;
}

/** ECRAM-MTT operating point and sweep settings (Fig 4a–c, §4.7). */
export const ECRAM_MTT_OPERATING_POINT = Object.freeze({
  readBiasV: 1.4,
  refGateV: 0.6,
  drainReadV: 0.01,
  sweepGMaxUS: 40,
  networkGMaxUS: 50,
  provenance: Object.freeze({
    readBiasV: "paper text Fig 4a–c: 'hidden weight bias voltage is set at 1.4 V'",
    refGateV: "paper text Fig 4a–c: 'gate voltage of the reference transistor set at 0.6 V'",
    drainReadV: "paper text Fig 4a,b: 'positive and negative read voltages at the drain ... 0.01 and −0.01 V'",
    sweepGMaxUS: "paper text §2.2: 'fixing maximum device conductance at 40 µS'",
    networkGMaxUS: "paper text §4.7: 'maximum operating conductance is 50 µS'",
  }),
});

/** RRAM-MTT operating point (Fig 4h). */
export const RRAM_MTT_OPERATING_POINT = Object.freeze({
  readBiasV: 0.8,
  refGateV: 0.7,
  drainReadV: 0.01,
  provenance: Object.freeze({
    readBiasV: "paper text §2.2 (Fig 4h): 'Vread_H = 0.8 V'",
    refGateV: "paper text §2.2 (Fig 4h): 'Vref_G = 0.7 V'",
    drainReadV: "assumed: same ±0.01 V inference read as the ECRAM-MTT unit",
  }),
});

/** Ternary (sub-threshold) biasing (Fig 7g). */
export const TERNARY_BIAS = Object.freeze({
  readBiasV: 0.7,
  refGateVs: Object.freeze([0.55, 0.6, 0.65]),
  gMaxUS: 40,
  provenance: Object.freeze({
    readBiasV: "paper text Fig 7g: 'hidden weight bias voltage is set at 0.7 V'",
    refGateVs: "paper text Fig 7g: 'gate bias voltages of the reference transistor ... 0.55, 0.60, and 0.65 V'",
    gMaxUS: "assumed: the 40 µS maximum of the Fig 4 sweeps (the Fig 7g window is not in our text)",
  }),
});

/** Circuit of an ECRAM-MTT branch at a bias point (identical inference and reference transistors, ohmic ECRAM). */
export function ecramMttCircuit(bias: Partial<MttBias> = {}, transistor: MosfetParams = ECRAM_MTT_TRANSISTOR): MttCircuitParams {
  const readBiasV = bias.readBiasV ?? ECRAM_MTT_OPERATING_POINT.readBiasV;
  const refGateV = bias.refGateV ?? ECRAM_MTT_OPERATING_POINT.refGateV;
  const drainReadV = bias.drainReadV ?? ECRAM_MTT_OPERATING_POINT.drainReadV;
  requirePositive("readBiasV (V_read_H)", readBiasV);
  requireFinite("refGateV (V_ref_G)", refGateV);
  return {
    readBiasV,
    drainReadV,
    inference: transistor,
    reference: { kind: "transistor", gateV: refGateV, mosfet: transistor },
    memoryRead: OHMIC_READ,
  };
}

/** Nonlinear read law of the TaOx RRAM as a {@link MemoryReadModel}. */
export function rramReadModel(p: TaoxRramParams = TAOX_RRAM): MemoryReadModel {
  return Object.freeze({ name: "TaOx sinh read", currentUA: (g: number, v: number) => rramReadCurrentUA(p, g, v) });
}

/**
 * The RRAM-MTT unit's reference transistor: the 1T1R process transistor, with its width (β) sized so that
 * at the Fig 4h operating point the reference balances the RRAM's lowest state at V_n = V_read_H/2 (the
 * design rule the text states for G_e,min). Since every term of the drain current is proportional to β,
 * the sizing is a ratio.
 */
export function rramReferenceTransistor(p: TaoxRramParams = TAOX_RRAM): MosfetParams {
  const half = RRAM_MTT_OPERATING_POINT.readBiasV / 2;
  const need = rramReadCurrentUA(p, p.gMinUS, half);
  const have = drainCurrentUA(RRAM_MTT_TRANSISTOR, RRAM_MTT_OPERATING_POINT.refGateV, half);
  return { ...RRAM_MTT_TRANSISTOR, betaUAPerV2: (RRAM_MTT_TRANSISTOR.betaUAPerV2 * need) / have };
}

/** Circuit of an RRAM-MTT branch (1T1R: RRAM over the reference transistor; inference transistor at the node). */
export function rramMttCircuit(bias: Partial<MttBias> = {}, device: TaoxRramParams = TAOX_RRAM): MttCircuitParams {
  const readBiasV = bias.readBiasV ?? RRAM_MTT_OPERATING_POINT.readBiasV;
  const refGateV = bias.refGateV ?? RRAM_MTT_OPERATING_POINT.refGateV;
  requirePositive("readBiasV (V_read_H)", readBiasV);
  requireFinite("refGateV (V_ref_G)", refGateV);
  return {
    readBiasV,
    drainReadV: bias.drainReadV ?? RRAM_MTT_OPERATING_POINT.drainReadV,
    inference: RRAM_MTT_TRANSISTOR,
    reference: { kind: "transistor", gateV: refGateV, mosfet: rramReferenceTransistor(device) },
    memoryRead: rramReadModel(device),
  };
}
