/**
 * Measure the write-verify statistics the MTT energy model needs (pulses, reads and device pulse energy per
 * weight) by programming many simulated devices, any {@link PulseProgrammable}, with the generic
 * increasing-amplitude write-verify of src/array/write-verify.ts.
 *
 * Protocol (assumed; the text only says the numbers are "experimentally measured"): each sampled device
 * starts at a uniformly random conductance in the operating window [G_lo, G_hi] (Fig 6g: "deterministic
 * switching from random initial states") and is programmed as the carrying device of a differential MTT unit
 * storing a hidden weight W_h drawn uniformly from the 2^bits levels of the grid in ±1 (3-bit hidden weights,
 * §4.5; levels ±1/7, ±3/7, ±5/7, ±1): target G_lo + |W_h|·(G_hi − G_lo), as the network mapping programs it
 * (mtt/circuit.ts differentialConductancesUS). The pair's other device is assumed to sit at its floor already
 * (it was erased when the weight last took this sign): its erase is not counted.
 */
import type { PulseProgrammable } from "../devices/device";
import { writeVerify, type WriteVerifyScheme } from "../array/write-verify";
import type { Rng } from "../util/rng";
import { requireInteger, requireOrdered } from "../util/validate";
import type { WriteVerifyStats } from "./mtt-platform";
import { hiddenLevels } from "../nn/quantizers";

export interface WriteVerifyProtocol {
  /** Devices (weights) to program. */
  readonly samples: number;
  /** Hidden-weight bits: W_h on the 2^bits levels of the uniform grid in ±1; targets at |W_h| in the window. */
  readonly bits: number;
  /** Operating window of the hidden weight, µS (clipped to the device's own window). */
  readonly windowLoUS: number;
  readonly windowHiUS: number;
}

/** Programming outcome of the sample, beyond the statistics. */
export interface WriteVerifyMeasurement {
  readonly stats: WriteVerifyStats;
  /** Fraction of runs that reached tolerance. */
  readonly convergedFraction: number;
  /** Pulses of every run, in sample order. */
  readonly pulses: readonly number[];
  /** Target conductance of every run, in sample order, µS. */
  readonly targetsUS: readonly number[];
}

/**
 * Program `protocol.samples` fresh devices from `makeDevice(rng)` and collect the statistics.
 * `makeDevice` receives an independent forked stream per device (device-to-device spread).
 */
export function measureWriteVerify(
  makeDevice: (rng: Rng) => PulseProgrammable & { setConductanceUS?(g: number): void },
  scheme: WriteVerifyScheme,
  protocol: WriteVerifyProtocol,
  rng: Rng,
  source: string,
): WriteVerifyMeasurement {
  requireInteger("samples", protocol.samples, 1);
  requireInteger("bits", protocol.bits, 1);
  requireOrdered("windowLoUS", protocol.windowLoUS, "windowHiUS", protocol.windowHiUS);
  const magnitudes = hiddenLevels(protocol.bits).map(Math.abs);
  const up: number[] = [];
  const down: number[] = [];
  const pulses: number[] = [];
  const targetsUS: number[] = [];
  let totalPulses = 0;
  let totalReads = 0;
  let totalEnergy = 0;
  let readG = 0;
  let readCount = 0;
  let converged = 0;
  let name = "";
  for (let i = 0; i < protocol.samples; i++) {
    const stream = rng.fork(`weight-${i}`);
    const device = makeDevice(stream.fork("device"));
    name = device.name;
    const lo = Math.max(protocol.windowLoUS, device.gMinUS);
    const hi = Math.min(protocol.windowHiUS, device.gMaxUS);
    if (!(lo < hi)) throw new RangeError(`operating window [${protocol.windowLoUS}, ${protocol.windowHiUS}] µS misses device window [${device.gMinUS}, ${device.gMaxUS}] µS`);
    const draw = stream.fork("targets");
    const initial = lo + (hi - lo) * draw.uniform();
    if (!device.setConductanceUS) throw new RangeError(`device "${device.name}" cannot be set to a random initial state (no setConductanceUS)`);
    device.setConductanceUS(initial);
    const target = lo + (hi - lo) * magnitudes[draw.int(magnitudes.length)];
    targetsUS.push(target);
    const g0 = device.conductanceUS();
    const r = writeVerify(device, target, scheme, stream.fork("pulses"), { trace: true });
    pulses.push(r.pulses);
    (target >= g0 ? up : down).push(r.pulses);
    totalPulses += r.pulses;
    totalReads += r.reads;
    totalEnergy += r.pulseEnergyJ;
    for (const g of r.trace ?? []) {
      readG += g;
      readCount += 1;
    }
    if (r.converged) converged += 1;
  }
  const n = protocol.samples;
  // The mean of the two ladders' widths (equal in every shipped scheme); a scheme with unequal widths would want the
  // mean weighted by each ladder's share of the pulses.
  const widthS = 0.5 * (scheme.potentiation.widthS + scheme.depression.widthS);
  return {
    stats: Object.freeze({
      device: name,
      meanPulses: totalPulses / n,
      meanReads: totalReads / n,
      meanDeviceEnergyJ: totalEnergy / n,
      meanReadConductanceUS: readCount ? readG / readCount : 0,
      pulseWidthS: widthS,
      pulsesUp: Object.freeze(up),
      pulsesDown: Object.freeze(down),
      source: `${source}: ${n} simulated weights, ${protocol.bits}-bit hidden weights, the carrying device programmed to G_lo + |W_h|·(G_hi − G_lo) in [${protocol.windowLoUS}, ${protocol.windowHiUS}] µS from random initial states`,
    }),
    convergedFraction: converged / n,
    pulses,
    targetsUS,
  };
}
