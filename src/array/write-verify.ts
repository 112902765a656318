/**
 * Write-verify programming with increasing pulse amplitude (MTT paper Fig S8, S28): read, compare with the
 * target, pulse toward it; while successive pulses keep the same direction without reaching the target,
 * raise the amplitude by one step (up to a maximum); after an overshoot (direction flips), start again from
 * the lowest amplitude. Works on any {@link PulseProgrammable} device; counts pulses and reads for the energy
 * model.
 */
import type { Polarity, PulseProgrammable } from "../devices/device";
import type { Rng } from "../util/rng";
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

/** Amplitude ladder for one polarity, V (magnitudes), and the pulse width, s. */
export interface PulseLadder {
  startV: number;
  stepV: number;
  maxV: number;
  widthS: number;
}

export interface WriteVerifyScheme {
  potentiation: PulseLadder;
  depression: PulseLadder;
  /** Accept when |G − target| ≤ toleranceUS. */
  toleranceUS: number;
  /** Give up after this many pulses. */
  maxPulses: number;
}

export interface WriteVerifyResult {
  targetUS: number;
  finalUS: number;
  pulses: number;
  /** Verify reads (one before the first pulse and one after each). */
  reads: number;
  converged: boolean;
  /** Energy of the programming pulses, J (from the device's pulse-energy model). */
  pulseEnergyJ: number;
  /** Conductance after each pulse (index 0 = initial state), µS; only when trace is requested. */
  trace?: number[];
  /** Amplitude of each pulse (signed by polarity), V; only when trace is requested. */
  amplitudes?: number[];
}

function validateLadder(name: string, l: PulseLadder): void {
  requirePositive(`${name}.startV`, l.startV);
  requireNonNegative(`${name}.stepV`, l.stepV);
  requirePositive(`${name}.maxV`, l.maxV);
  if (l.maxV < l.startV) throw new RangeError(`${name}.maxV (${l.maxV}) must be ≥ ${name}.startV (${l.startV})`);
  requirePositive(`${name}.widthS`, l.widthS);
}

export function validateWriteVerifyScheme(s: WriteVerifyScheme): WriteVerifyScheme {
  validateLadder("potentiation", s.potentiation);
  validateLadder("depression", s.depression);
  requirePositive("toleranceUS", s.toleranceUS);
  requireInteger("maxPulses", s.maxPulses, 1);
  return s;
}

/**
 * Program `device` to `targetUS`. The verify reads are the device's own noisy reads (`readUS`, drawn from `rng`)
 * when it models read noise, noise-free state reads otherwise, or `read` when given; the loop stops when a read is
 * within tolerance or after maxPulses. `finalUS` and the trace are the device's true state, so with read noise a
 * converged run can end slightly outside the tolerance.
 */
export function writeVerify(
  device: PulseProgrammable,
  targetUS: number,
  scheme: WriteVerifyScheme,
  rng: Rng,
  options: { trace?: boolean; read?: () => number } = {},
): WriteVerifyResult {
  validateWriteVerifyScheme(scheme);
  requireNonNegative("target conductance (µS)", targetUS);
  if (targetUS < device.gMinUS || targetUS > device.gMaxUS) {
    throw new RangeError(`target conductance ${targetUS} µS is outside the device window [${device.gMinUS}, ${device.gMaxUS}] µS`);
  }
  const read = options.read ?? (device.readUS ? () => device.readUS!(rng) : () => device.conductanceUS());
  const trace = options.trace ? [device.conductanceUS()] : undefined;
  const amplitudes: number[] | undefined = options.trace ? [] : undefined;
  let g = read();
  let reads = 1;
  let pulses = 0;
  let energy = 0;
  let lastPolarity: Polarity | 0 = 0;
  let amplitude = 0;
  while (Math.abs(g - targetUS) > scheme.toleranceUS && pulses < scheme.maxPulses) {
    const polarity: Polarity = g < targetUS ? 1 : -1;
    const ladder = polarity > 0 ? scheme.potentiation : scheme.depression;
    amplitude = polarity === lastPolarity ? Math.min(ladder.maxV, amplitude + ladder.stepV) : ladder.startV;
    device.applyPulse(polarity, amplitude, ladder.widthS, rng);
    energy += device.pulseEnergyJ(amplitude, ladder.widthS);
    pulses += 1;
    lastPolarity = polarity;
    g = read();
    reads += 1;
    trace?.push(device.conductanceUS());
    amplitudes?.push(polarity * amplitude);
  }
  return {
    targetUS,
    finalUS: device.conductanceUS(),
    pulses,
    reads,
    converged: Math.abs(g - targetUS) <= scheme.toleranceUS,
    pulseEnergyJ: energy,
    ...(trace ? { trace } : {}),
    ...(amplitudes ? { amplitudes } : {}),
  };
}

/**
 * Drive a device to one end of its window with the ladder (Fig 3j, S8): pulse in one direction, raising the
 * amplitude each pulse up to the maximum, until a maximum-amplitude pulse moves G by less than
 * `settleFraction` of the present conductance, or maxPulses. Returns the reached conductance, the pulses and
 * whether it settled (false: it gave up at maxPulses). A ladder with stepV 0 must start at its maximum, since the
 * drive only stops at the maximum amplitude.
 *
 * Defaults (assumed): settleFraction 1e-3, half the 0.2 % read noise of one ECRAM read (WOX_LIPON_ECRAM), so a
 * further change would not show in one measurement. The stop test compares the true conductance before and
 * after the pulse, i.e. it stands for a read averaged long enough to resolve a 0.1 % change (unlike
 * `writeVerify`, which reads through the device's noise): with two single 0.2 % reads the difference has a
 * spread of 0.28 %, and the test would stop at random rather than at the bound. The mean reached window is
 * within ~0.1 % of r_int (Fig 3j full run: 634.7 for r_int 635); every potentiation drive ends within 1 % of its
 * device's highest reached G (22 of 800 more than 0.1 % below it), and 3 of the 800 depression drives stop early,
 * up to ~12 % above G_min (smallest window 568). maxPulses 2000, a give-up budget far above the measured drives:
 * 31.3 pulses on average and at most 65 per drive over the 800 full-mode Fig 3j cycles.
 */
export function driveToBound(
  device: PulseProgrammable,
  polarity: Polarity,
  ladder: PulseLadder,
  rng: Rng,
  settleFraction = 1e-3,
  maxPulses = 2000,
): { reachedUS: number; pulses: number; settled: boolean } {
  const name = polarity > 0 ? "potentiation" : "depression";
  validateLadder(name, ladder);
  if (ladder.stepV === 0 && ladder.startV < ladder.maxV) throw new RangeError(`${name}.stepV is 0 but startV (${ladder.startV}) < maxV (${ladder.maxV}): the drive would never reach the maximum amplitude it settles at`);
  requireInteger("maxPulses", maxPulses, 1);
  let amplitude = ladder.startV;
  let pulses = 0;
  for (;;) {
    const before = device.conductanceUS();
    device.applyPulse(polarity, amplitude, ladder.widthS, rng);
    pulses += 1;
    const moved = Math.abs(device.conductanceUS() - before);
    if (amplitude >= ladder.maxV && moved <= settleFraction * Math.max(before, device.gMinUS)) return { reachedUS: device.conductanceUS(), pulses, settled: true };
    if (pulses >= maxPulses) return { reachedUS: device.conductanceUS(), pulses, settled: false };
    amplitude = Math.min(ladder.maxV, amplitude + ladder.stepV);
  }
}
