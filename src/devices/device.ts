/**
 * The contract every pulse-programmed analog memory device implements, so that programming schemes
 * (write-verify, array programming) and energy counting work on any of them.
 */
import type { Rng } from "../util/rng";

/** +1 potentiates (raises G), −1 depresses. */
export type Polarity = 1 | -1;

export interface PulseProgrammable {
  /** Human-readable device label, e.g. "WOx/LiPON ECRAM". */
  readonly name: string;
  /** Lower and upper conductance bounds of the device, µS. */
  readonly gMinUS: number;
  readonly gMaxUS: number;
  /** Present conductance, µS (noise-free state; reads may add read noise separately). */
  conductanceUS(): number;
  /**
   * Apply one programming pulse of the given polarity, amplitude magnitude (V) and width (s), with
   * cycle-to-cycle randomness drawn from `rng`. Returns the new conductance, µS.
   */
  applyPulse(polarity: Polarity, amplitudeV: number, widthS: number, rng: Rng): number;
  /** Energy of one programming pulse of this amplitude and width at the present state, J. */
  pulseEnergyJ(amplitudeV: number, widthS: number): number;
  /** One read of the conductance with the device's read noise drawn from `rng`, µS (devices that model it). */
  readUS?(rng: Rng): number;
}
