/**
 * The memory-transistor transfer (MTT) unit as a circuit (Yang et al. §2.2, Fig 4a–c, S11a, S14).
 *
 * One branch: the analog memory device (conductance G, read bias V_read_H on its top terminal) in
 * series with a reference element to ground; the divider node V_n drives the gate of an inference
 * transistor whose source sits on the (virtual-ground) output line and whose drain is read at ±V_d.
 *
 *     V_read_H ──[ memory G ]──┬── V_n ──▶ gate of inference transistor (drain ±V_d, source → output)
 *                              │
 *                       [ reference ]  (resistor G_ref, or transistor with gate at V_ref_G)
 *                              │
 *                             GND
 *
 * Node equation (Kirchhoff at V_n):  I_mem(G, V_read_H − V_n) = I_ref(V_n), solved by bisection (both
 * sides are monotone in V_n, so the root is unique).
 *
 * The differential unit has two branches; for W_h ≥ 0 the negative device stays at G_e,min and the
 * positive one carries the weight (and the reverse for W_h < 0, §2.2). The paper defines G_B = G_B+ − G_B− with
 * the drains at ±V_d; here each branch is normalised against its own baseline (the formula below) and the idle
 * branch adds nothing, i.e. the baseline is assumed subtracted per branch (a reference column or a calibration).
 * Summing the raw currents would leave an offset: at −V_d the transistor's source and drain swap, its overdrive
 * is V_n + V_d, and the idle branch's baseline exceeds the +V_d one (ECRAM-MTT unit at V_d = 0.01 V: −0.372 µA
 * against +0.322 µA, −0.7 % of full scale at W_h = 0; the normalised derivations at 0.1 V: −14 %).
 * Quantization chain (§4.6, equations lost; rebuilt):
 *   W_h = ±(G_e − G_e,min)/(G_e,max − G_e,min)
 *   W_b = ±(I_ts(G_e) − I_ts(G_e,min)) / (I_ts,max − I_ts(G_e,min)),
 * with I_ts,max the inference current with its gate at V_read_H (infinite memory conductance), each for
 * its own drain polarity. G_e,min is the memory conductance that balances the reference at
 * V_n = V_read_H/2 (the text: "the minimum memory device conductance (equal to reference transistor
 * conductance at V_read_H/2)").
 *
 * Units: V, µS, µA.
 */
import { drainCurrentUA, idealLinearCurrentUA, validateMosfet, type MosfetParams } from "../devices/mosfet";
import { requireFinite, requireNonNegative, requireOrdered, requirePositive } from "../util/validate";

/** Reference element of one branch. */
export type ReferenceElement =
  | { readonly kind: "resistor"; readonly conductanceUS: number }
  | { readonly kind: "transistor"; readonly gateV: number; readonly mosfet: MosfetParams };

/** Read I–V of the analog memory device: current (µA) at voltage V across it, for programmed conductance G (µS). */
export interface MemoryReadModel {
  readonly name: string;
  currentUA(conductanceUS: number, voltageV: number): number;
}

/** A linear (ohmic) channel, as the WOx ECRAM (Fig S20: "ECRAM's linear resistance"). */
export const OHMIC_READ: MemoryReadModel = Object.freeze({
  name: "ohmic",
  currentUA: (g: number, v: number) => g * v,
});

export interface MttCircuitParams {
  /** Hidden-weight read bias V_read_H on the memory device, V (> 0). */
  readBiasV: number;
  /** Magnitude V_d of the inference-drain read voltage, V (0.1 normalised, 0.01 experimental). */
  drainReadV: number;
  /** Inference transistor. */
  inference: MosfetParams;
  /**
   * Drain-current law of the inference transistor: "square-law" (default; {@link drainCurrentUA}, includes
   * the V_ds² term and saturation) or "linear-region" (the paper's idealised §4.4 law, used by the
   * normalised derivations where V_d = 0.1 V is taken as ≪ V_gs − V_T).
   */
  inferenceLaw?: "square-law" | "linear-region";
  /** Reference element. */
  reference: ReferenceElement;
  /** Memory device read model. */
  memoryRead: MemoryReadModel;
}

/** Throw a RangeError naming the bad field. */
export function validateCircuit(p: MttCircuitParams): MttCircuitParams {
  requirePositive("readBiasV (V_read_H)", p.readBiasV);
  requirePositive("drainReadV", p.drainReadV);
  validateMosfet(p.inference);
  if (p.reference.kind === "resistor") requirePositive("reference.conductanceUS", p.reference.conductanceUS);
  else {
    requireFinite("reference.gateV (V_ref_G)", p.reference.gateV);
    validateMosfet(p.reference.mosfet);
  }
  return p;
}

/** Current through the reference element with V_n across it, µA. */
export function referenceCurrentUA(p: MttCircuitParams, nodeV: number): number {
  if (p.reference.kind === "resistor") return p.reference.conductanceUS * nodeV;
  return drainCurrentUA(p.reference.mosfet, p.reference.gateV, nodeV);
}

/** Divider node voltage V_n for memory conductance G (µS); G = Infinity gives V_read_H. */
export function nodeVoltageV(p: MttCircuitParams, conductanceUS: number): number {
  requireNonNegative("memory conductance (µS)", conductanceUS);
  const vr = p.readBiasV;
  if (conductanceUS === Infinity) return vr;
  if (conductanceUS === 0) return 0;
  let lo = 0;
  let hi = vr;
  for (let i = 0; i < 64; i++) {
    const mid = 0.5 * (lo + hi);
    const residual = p.memoryRead.currentUA(conductanceUS, vr - mid) - referenceCurrentUA(p, mid);
    if (residual > 0) lo = mid;
    else hi = mid;
    if (hi - lo < 1e-13) break;
  }
  return 0.5 * (lo + hi);
}

/** Inference-transistor current, µA, with the gate at V_n and the drain at polarity·V_d. */
export function inferenceCurrentUA(p: MttCircuitParams, nodeV: number, polarity: 1 | -1): number {
  const law = p.inferenceLaw === "linear-region" ? idealLinearCurrentUA : drainCurrentUA;
  return law(p.inference, nodeV, polarity * p.drainReadV);
}

/** I_ts for memory conductance G and drain polarity, µA (Fig 4a,b). */
export function branchCurrentUA(p: MttCircuitParams, conductanceUS: number, polarity: 1 | -1): number {
  return inferenceCurrentUA(p, nodeVoltageV(p, conductanceUS), polarity);
}

/**
 * G_e,min: the memory conductance at which V_n = V_read_H/2 (the reference balances the memory device),
 * µS. Found by bisection in log G (the memory read may be nonlinear).
 */
export function balanceConductanceUS(p: MttCircuitParams): number {
  const half = p.readBiasV / 2;
  const iRef = referenceCurrentUA(p, half);
  if (!(iRef > 0)) throw new RangeError(`reference element carries no current at V_read_H/2 = ${half} V`);
  let lo = Math.log(1e-12);
  let hi = Math.log(1e12);
  // The residual I_mem − I_ref must take both signs during the search; otherwise the result is an end of the bracket.
  let below = false;
  let above = false;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (p.memoryRead.currentUA(Math.exp(mid), half) < iRef) {
      lo = mid;
      below = true;
    } else {
      hi = mid;
      above = true;
    }
    if (hi - lo < 1e-12) break;
  }
  if (!(below && above)) {
    const ref = p.reference.kind === "resistor" ? `reference.conductanceUS = ${p.reference.conductanceUS} µS` : `reference.gateV (V_ref_G) = ${p.reference.gateV} V`;
    throw new RangeError(
      `no balance point (G_e,min) lies in [1e-12, 1e12] µS at this bias: the memory current at V_read_H/2 stays ${above ? "above" : "below"} the reference current ${iRef} µA (readBiasV (V_read_H) = ${p.readBiasV} V, ${ref})`,
    );
  }
  return Math.exp(0.5 * (lo + hi));
}

/** Conductance window used by the quantization chain, µS. */
export interface ConductanceWindow {
  gMinUS: number;
  gMaxUS: number;
}

export function validateWindow(w: ConductanceWindow): ConductanceWindow {
  requirePositive("gMinUS (G_e,min)", w.gMinUS);
  requireOrdered("gMinUS (G_e,min)", w.gMinUS, "gMaxUS (G_e,max)", w.gMaxUS);
  return w;
}

/** The window [G_e,min (balance point), G_e,max]. */
export function operatingWindow(p: MttCircuitParams, gMaxUS: number): ConductanceWindow {
  return validateWindow({ gMinUS: balanceConductanceUS(p), gMaxUS });
}

/** W_h magnitude ∈ [0, 1] → memory conductance, µS (linear mapping, §2.2). */
export function conductanceForHiddenUS(w: ConductanceWindow, hiddenMagnitude: number): number {
  return w.gMinUS + hiddenMagnitude * (w.gMaxUS - w.gMinUS);
}

/** Memory conductance → W_h magnitude (§4.6). */
export function hiddenForConductance(w: ConductanceWindow, conductanceUS: number): number {
  return (conductanceUS - w.gMinUS) / (w.gMaxUS - w.gMinUS);
}

/**
 * A ready-to-evaluate MTT unit: circuit, window, and the baseline and full-scale currents per drain
 * polarity (computed once).
 */
export interface MttUnit {
  readonly circuit: MttCircuitParams;
  readonly window: ConductanceWindow;
  /** I_ts(G_e,min) for +V_d and −V_d drains, µA. */
  readonly baselineUA: { readonly p: number; readonly n: number };
  /** I_ts,max (gate at V_read_H) for +V_d and −V_d drains, µA. */
  readonly fullScaleUA: { readonly p: number; readonly n: number };
}

/**
 * Build a unit. For a differential unit with separate positive and negative branches (unit-to-unit
 * spread), pass `negative`, the circuit of the negative branch; otherwise both branches are identical.
 */
export function makeMttUnit(circuit: MttCircuitParams, window: ConductanceWindow, negative?: MttCircuitParams): MttUnit & { readonly negativeCircuit: MttCircuitParams } {
  validateCircuit(circuit);
  validateWindow(window);
  const neg = negative ? validateCircuit(negative) : circuit;
  return Object.freeze({
    circuit,
    negativeCircuit: neg,
    window,
    baselineUA: Object.freeze({ p: branchCurrentUA(circuit, window.gMinUS, 1), n: branchCurrentUA(neg, window.gMinUS, -1) }),
    fullScaleUA: Object.freeze({ p: inferenceCurrentUA(circuit, circuit.readBiasV, 1), n: inferenceCurrentUA(neg, neg.readBiasV, -1) }),
  });
}

/** Normalised branch output for memory conductance G: (I_ts(G) − I_ts(G_e,min)) / (I_ts,max − I_ts(G_e,min)). */
export function branchWeight(unit: MttUnit & { readonly negativeCircuit?: MttCircuitParams }, conductanceUS: number, polarity: 1 | -1): number {
  const c = polarity > 0 ? unit.circuit : unit.negativeCircuit ?? unit.circuit;
  const base = polarity > 0 ? unit.baselineUA.p : unit.baselineUA.n;
  const full = polarity > 0 ? unit.fullScaleUA.p : unit.fullScaleUA.n;
  return (branchCurrentUA(c, conductanceUS, polarity) - base) / (full - base);
}

/** Memory conductances of the two branches of the differential unit, µS. */
export interface DifferentialConductances {
  /** Device of the positive branch (drain at +V_d). */
  readonly positiveUS: number;
  /** Device of the negative branch (drain at −V_d). */
  readonly negativeUS: number;
}

/**
 * W_h ∈ [−1, 1] (clamped) → the two devices' conductances (§2.2): the branch of W_h's sign carries
 * G = G_e,min + |W_h|·(G_e,max − G_e,min), the other sits at G_e,min.
 */
export function differentialConductancesUS(w: ConductanceWindow, hiddenWeight: number): DifferentialConductances {
  requireFinite("hiddenWeight (W_h)", hiddenWeight);
  const g = conductanceForHiddenUS(w, Math.min(1, Math.abs(hiddenWeight)));
  return hiddenWeight >= 0 ? { positiveUS: g, negativeUS: w.gMinUS } : { positiveUS: w.gMinUS, negativeUS: g };
}

/** W_b = f(W_h) of the differential unit from the circuit, W_h ∈ [−1, 1]. */
export function circuitWeight(unit: MttUnit & { readonly negativeCircuit?: MttCircuitParams }, hiddenWeight: number): number {
  const g = differentialConductancesUS(unit.window, hiddenWeight);
  return hiddenWeight >= 0 ? branchWeight(unit, g.positiveUS, 1) : -branchWeight(unit, g.negativeUS, -1);
}

/** Supply currents of a read, µA (magnitudes). */
export interface ReadCurrents {
  /** Through the divider (memory device in series with the reference element), from V_read_H to ground. */
  readonly dividerUA: number;
  /** Through the inference transistor, between its drain at ±V_d and the virtual-ground output line. */
  readonly inferenceUA: number;
}

/**
 * Currents one branch draws while it is read, µA: the divider current I_ref(V_n) at the solved node (equal
 * to I_mem(G, V_read_H − V_n) by Kirchhoff) and |I_ts| with the gate at V_n and the drain at polarity·V_d.
 */
export function branchReadCurrentsUA(p: MttCircuitParams, conductanceUS: number, polarity: 1 | -1): ReadCurrents {
  const v = nodeVoltageV(p, conductanceUS);
  return { dividerUA: referenceCurrentUA(p, v), inferenceUA: Math.abs(inferenceCurrentUA(p, v, polarity)) };
}

/**
 * Currents one weight draws while its binary value is read, µA: both branches of the differential unit
 * (conductances from {@link differentialConductancesUS}; the positive branch read at +V_d, the negative at
 * −V_d), summed. The branch held at G_e,min draws its divider and baseline inference current as well.
 */
export function unitReadCurrentsUA(unit: MttUnit & { readonly negativeCircuit?: MttCircuitParams }, hiddenWeight: number): ReadCurrents {
  const g = differentialConductancesUS(unit.window, hiddenWeight);
  const pos = branchReadCurrentsUA(unit.circuit, g.positiveUS, 1);
  const neg = branchReadCurrentsUA(unit.negativeCircuit ?? unit.circuit, g.negativeUS, -1);
  return { dividerUA: pos.dividerUA + neg.dividerUA, inferenceUA: pos.inferenceUA + neg.inferenceUA };
}
