/**
 * Mapping trained hidden weights onto MTT units and reading the network back through the circuit
 * (Yang Figs 5l, 6f–k, S24, S28–S30).
 *
 * One MTT unit per weight, two memory devices (the differential unit of src/mtt/circuit.ts), programmed to
 * the targets of `differentialConductancesUS`: for W_h ≥ 0 the positive device to
 * G = G_e,min + |W_h|·(G_e,max − G_e,min) and the negative one to G_e,min (the reverse for W_h < 0). The MTT function is steepest at G_e,min (W_b ≈ 0.8 already
 * at |W_h| = 0.01, i.e. 0.5 µS above G_e,min for the ECRAM unit), so the idle device cannot be
 * write-verified to G_e,min within an ordinary tolerance: it is erased instead, with depression pulses of
 * increasing amplitude until it reads at or below G_e,min (assumed; the paper gives no idle-device
 * procedure). Each device starts from a random state uniform in its
 * physical window (the paper's "random initial states", Fig 6g) and is programmed by the increasing-
 * amplitude write-verify loop (src/array/write-verify.ts) with the device model's noise. The inference
 * weight is then what the circuit gives for the two reached conductances:
 *   W_b = w₊(G₊) − w₋(G₋),  w_±(G) = (I_ts(G) − I_ts(G_e,min))/(I_ts,max − I_ts(G_e,min)) per drain polarity,
 * so programming error shows up in W_b exactly as it would on the chip (a device left above G_e,min
 * leaks a small opposite-sign contribution).
 */
import { writeVerify, type WriteVerifyScheme } from "../array/write-verify";
import { EcramDevice, WOX_LIPON_ECRAM, type EcramParams } from "../devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../devices/ecram-schemes";
import { TaoxRramDevice, TAOX_RRAM, type TaoxRramParams } from "../devices/taox-rram";
import type { PulseProgrammable } from "../devices/device";
import { branchWeight, differentialConductancesUS, hiddenForConductance, type MttUnit } from "../mtt/circuit";
import { ecramMttNetworkUnit, rramMttUnit } from "../mtt/network-transfer";
import { RRAM_WRITE_VERIFY } from "../mtt/rram-programming";
import type { Rng } from "../util/rng";

export type MttTechnology = "ECRAM-MTT" | "RRAM-MTT";

/**
 * Everything needed to program one technology: the unit (circuit + window), a device factory and the scheme.
 * The devices must span the unit's window: {@link programLayer} refuses devices whose floor lies above the unit's
 * G_e,min (the idle device of each pair could not be erased to the balance point and would leak an opposite-sign
 * weight) or whose ceiling lies below its G_e,max (|W_h| = 1 could not be written).
 */
export interface MttHardware {
  technology: MttTechnology;
  unit: MttUnit;
  newDevice(): PulseProgrammable & { setConductanceUS(g: number): void };
  scheme: WriteVerifyScheme;
}

/**
 * ECRAM-MTT: by default the unit at the network operating point (V_read_H 1.4 V, V_ref_G 0.6 V, G_max 50 µS; §4.7)
 * with the WOx/LiPON device; pass another device preset (e.g. a lab variant `{ ...WOX_LIPON_ECRAM, … }`) and, if its
 * window needs other biases, the unit built for them (`ecramMttUnit` in src/mtt/network-transfer.ts).
 */
export function ecramMttHardware(device: EcramParams = WOX_LIPON_ECRAM, unit: MttUnit = ecramMttNetworkUnit(), scheme: WriteVerifyScheme = ECRAM_WRITE_VERIFY): MttHardware {
  return { technology: "ECRAM-MTT", unit, newDevice: () => new EcramDevice(device), scheme };
}

/** RRAM-MTT: by default the unit at V_read_H 0.8 V, V_ref_G 0.7 V with window = the TaOx device window (Fig 4h), and that device. */
export function rramMttHardware(device: TaoxRramParams = TAOX_RRAM, unit: MttUnit = rramMttUnit(), scheme: WriteVerifyScheme = RRAM_WRITE_VERIFY): MttHardware {
  return { technology: "RRAM-MTT", unit, newDevice: () => new TaoxRramDevice(device), scheme };
}

/** The shipped hardware of a technology ({@link ecramMttHardware}, {@link rramMttHardware} with their defaults). */
export function mttHardware(t: MttTechnology): MttHardware {
  return t === "ECRAM-MTT" ? ecramMttHardware() : rramMttHardware();
}

/** `hardware` itself, or the shipped hardware of the technology it names. */
export function resolveHardware(hardware: MttTechnology | MttHardware): MttHardware {
  return typeof hardware === "string" ? mttHardware(hardware) : hardware;
}

/**
 * Throws when `hw`'s devices cannot span its unit's window [G_e,min, G_e,max]: a device floor above G_e,min (the idle
 * device of a pair would stay above the balance point, where the MTT function is steepest, and leak an opposite-sign
 * inference weight) or a ceiling below G_e,max. Checked on one fresh device (the factories build devices from a preset
 * without device-to-device spread).
 */
export function requireDevicesSpanWindow(hw: MttHardware): void {
  const dev = hw.newDevice();
  const win = hw.unit.window;
  // The relative slack absorbs float rounding where the window is the device window (RRAM-MTT).
  if (dev.gMinUS > win.gMinUS * (1 + 1e-9))
    throw new RangeError(
      `${hw.technology}: the device floor ${dev.gMinUS.toPrecision(4)} µS lies above the unit's G_e,min ${win.gMinUS.toPrecision(4)} µS, so the idle device of each pair cannot be erased to the balance point and would leak an opposite-sign weight; ` +
        `use a device whose on/off ratio reaches G_e,min (here ≥ ${(dev.gMaxUS / win.gMinUS).toPrecision(4)}) or a unit biased so that G_e,min ≥ the floor`,
    );
  if (dev.gMaxUS < win.gMaxUS * (1 - 1e-9))
    throw new RangeError(`${hw.technology}: the device ceiling ${dev.gMaxUS.toPrecision(4)} µS lies below the unit's G_e,max ${win.gMaxUS.toPrecision(4)} µS, so |W_h| = 1 cannot be written; use a unit with a smaller G_max or a larger device`);
}

/** One programmed device. */
export interface DeviceProgramming {
  /** Index of the weight in the layer's in×out matrix, and which device of its unit. */
  weightIndex: number;
  side: "positive" | "negative";
  /** True for the device of the pair that holds |w| (written by write-verify); false for the idle one (erased to the floor). */
  carriesWeight: boolean;
  initialUS: number;
  targetUS: number;
  finalUS: number;
  pulses: number;
  converged: boolean;
  /** Conductance after each pulse (index 0 = initial), when traces were requested. */
  trace?: number[];
}

export interface MappedLayer {
  /** Quantized hidden weights that were programmed. */
  targetHidden: Float32Array;
  /** Hidden weights read back from the devices: ±(G − G_e,min)/(G_e,max − G_e,min) of the weight-carrying device. */
  readHidden: Float32Array;
  /** Inference weights from the circuit for the reached conductances. */
  inferenceWeights: Float32Array;
  devices: DeviceProgramming[];
}

/**
 * Program one layer's (already quantized) hidden weights into MTT units. The weights are taken on the ±1 scale
 * of the unit's window (values beyond are clamped): a network trained with another hiddenBound must be divided by
 * it first (the mapped networks, notebooks 04 and 05, use 1). Throws when the devices cannot span the unit's window
 * ({@link requireDevicesSpanWindow}).
 */
export function programLayer(hw: MttHardware, hidden: Float32Array, rng: Rng, opts: { traces?: boolean } = {}): MappedLayer {
  requireDevicesSpanWindow(hw);
  const { unit } = hw;
  const win = unit.window;
  const n = hidden.length;
  const readHidden = new Float32Array(n);
  const inference = new Float32Array(n);
  const devices: DeviceProgramming[] = [];
  for (let i = 0; i < n; i++) {
    const w = Math.max(-1, Math.min(1, hidden[i]));
    const g = differentialConductancesUS(win, w);
    const targets = { positive: g.positiveUS, negative: g.negativeUS };
    const reached: Record<"positive" | "negative", number> = { positive: 0, negative: 0 };
    const carrier = w >= 0 ? "positive" : "negative";
    for (const side of ["positive", "negative"] as const) {
      const dev = hw.newDevice();
      const r = rng.fork(`w${i}/${side}`);
      const initialUS = r.uniformIn(dev.gMinUS, dev.gMaxUS);
      dev.setConductanceUS(initialUS);
      const res = side === carrier ? writeVerify(dev, targets[side], hw.scheme, r, { trace: opts.traces }) : resetToFloor(dev, win.gMinUS, hw.scheme, r, opts.traces ?? false);
      reached[side] = res.finalUS;
      devices.push({ weightIndex: i, side, carriesWeight: side === carrier, initialUS, targetUS: targets[side], finalUS: res.finalUS, pulses: res.pulses, converged: res.converged, ...(res.trace ? { trace: res.trace } : {}) });
    }
    const carrying = w >= 0 ? reached.positive : reached.negative;
    readHidden[i] = (w >= 0 ? 1 : -1) * hiddenForConductance(win, carrying);
    inference[i] = branchWeight(unit, reached.positive, 1) - branchWeight(unit, reached.negative, -1);
  }
  return { targetHidden: Float32Array.from(hidden), readHidden, inferenceWeights: inference, devices };
}

/**
 * Erase: depression pulses along the scheme's ladder (amplitude rising each pulse, capped) until the
 * conductance is ≤ floorUS or maxPulses. Returns the write-verify-like result.
 */
export function resetToFloor(device: PulseProgrammable, floorUS: number, scheme: WriteVerifyScheme, rng: Rng, trace: boolean): { finalUS: number; pulses: number; converged: boolean; trace?: number[] } {
  const ladder = scheme.depression;
  const tr = trace ? [device.conductanceUS()] : undefined;
  let amplitude = ladder.startV;
  let pulses = 0;
  // Stop at the floor, or at the device's own lower bound if that lies above the floor (then the idle
  // branch leaks a residual weight, which the circuit read-out includes).
  const stopUS = Math.max(floorUS, device.gMinUS * (1 + 1e-9));
  while (device.conductanceUS() > stopUS && pulses < scheme.maxPulses) {
    device.applyPulse(-1, amplitude, ladder.widthS, rng);
    pulses++;
    amplitude = Math.min(ladder.maxV, amplitude + ladder.stepV);
    tr?.push(device.conductanceUS());
  }
  return { finalUS: device.conductanceUS(), pulses, converged: device.conductanceUS() <= floorUS, ...(tr ? { trace: tr } : {}) };
}
