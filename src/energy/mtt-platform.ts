/**
 * The MTT-array side of Yang et al. Fig 7k: the quantization of N weights is done in place. Only the analog
 * hidden weights are programmed (write-verify, Fig S28); the binary weights need no programming, they are
 * read in place through the MTT divider and inference transistor.
 *
 * Energy of one quantization pass over an R × C array (N = R·C, square: R = C = √N), our derivation
 * (Note S1 is lost; the text says it rests on "the average number of Write-Verify times and the average
 * power consumption of programming and reading once"):
 *
 *   E_MTT(N) = N · e_weight + R · s_row(C) · e_row
 *   e_weight = E_dev + n̄_p · e_step + n̄_r · G_v·V_v²·t_r + e_bin
 *   e_bin    = (V_H·I_div + V_d·I_ts) · t_r
 *   e_row    = P_row · w
 *
 * with, per weight: E_dev the device energy of its programming pulses (the device model's pulseEnergyJ,
 * summed over the write-verify run), n̄_p its pulses, n̄_r its verify reads, G_v the conductance at the verify
 * reads; e_step the CMOS energy per write-verify step per cell (column pulse driver + verify sense);
 * e_bin one in-place read of the binary weight, with I_div and I_ts the currents of the whole differential
 * unit (both branches: the weight-carrying device and the one held at G_e,min each draw a divider and an
 * inference current), averaged over the hidden-weight levels ({@link meanBinaryReadCurrentsA}). Per row:
 * programming runs row by row with separate potentiation and depression phases (Fig 5a, S25a), each
 * phase lasting as many steps as the slowest cell in it, s_row(C) = Σ_phase E[max of C·share_phase pulse counts] (share_phase:
 * the sampled share of cells moved up or down, ≈ ½); during each step the row's high-voltage driver
 * (level shifter and buffer) draws its static power P_row for the pulse width w. That row term is shared
 * by the C cells of the row, so the per-weight energy falls as C = √N grows: the only N dependence.
 * Line capacitance is left out: a 20 µm-pitch cell adds ~4 fF of wire, 0.4 pJ per 10 V pulse, ≈ 6 pJ per
 * ECRAM weight over its ~14 write-verify pulses: about 0.1 % of the per-weight total, which the ~6 nJ of
 * device pulses dominate (it is comparable to the kept verify-read term, itself negligible).
 */
import { unitReadCurrentsUA, type MttCircuitParams, type MttUnit } from "../mtt/circuit";
import { requireFinite, requireInRange, requireNonNegative, requirePositive } from "../util/validate";

/** Pulse statistics of write-verify on one device family, measured from a device model. */
export interface WriteVerifyStats {
  /** Device label, e.g. "WOx/LiPON ECRAM". */
  readonly device: string;
  /** Mean programming pulses per weight update, n̄_p. */
  readonly meanPulses: number;
  /** Mean verify reads per weight update, n̄_r (write-verify reads once before and once after each pulse). */
  readonly meanReads: number;
  /** Mean device energy of the programming pulses per weight, J (Σ pulseEnergyJ over the run). */
  readonly meanDeviceEnergyJ: number;
  /** Mean conductance seen by the verify reads, µS. */
  readonly meanReadConductanceUS: number;
  /** Programming pulse width, s (sets how long each row step keeps the row driver on): the mean of the potentiation and depression ladders' widths. */
  readonly pulseWidthS: number;
  /** Pulses per weight of the runs that potentiate first (a sample, for row-maximum statistics). */
  readonly pulsesUp: readonly number[];
  /** Pulses per weight of the runs that depress first. */
  readonly pulsesDown: readonly number[];
  /** How the statistics were obtained. */
  readonly source: string;
}

/** The read and periphery of an MTT array. */
export interface MttPeriphery {
  /** Label, e.g. "ECRAM-MTT array". */
  readonly name: string;
  /** Verify read voltage across the hidden-weight device, V_v, V. */
  readonly verifyReadVoltageV: number;
  /** Duration of one read (verify or binary), t_r, s. */
  readonly readTimeS: number;
  /** CMOS energy per write-verify step per cell (column driver + verify sense), e_step, J. */
  readonly stepPeripheryEnergyJ: number;
  /** Static power of one row's high-voltage driver while a pulse is applied, P_row, W. */
  readonly rowDriverPowerW: number;
  /** Hidden-weight bias of the MTT divider during a binary read, V_H (V_read_H), V. */
  readonly hiddenBiasV: number;
  /**
   * Current through the dividers (hidden device + reference transistor) during a binary read, I_div, A per
   * weight: both branches of the differential unit, mean over the hidden-weight levels.
   */
  readonly dividerCurrentA: number;
  /** Drain read voltage of the inference transistor, V_d, V. */
  readonly inferenceDrainV: number;
  /** Inference-transistor read current magnitude, I_ts, A per weight: both branches, mean over the hidden-weight levels. */
  readonly inferenceCurrentA: number;
  /** Provenance of every field. */
  readonly provenance: Readonly<Record<string, string>>;
}

/** Per-weight and per-pass energies of the MTT side, J. */
export interface MttEnergyBreakdown {
  readonly devicePulsesJ: number;
  readonly stepPeripheryJ: number;
  readonly verifyReadsJ: number;
  readonly binaryReadsJ: number;
  readonly rowDriversJ: number;
  readonly totalJ: number;
}

export function validatePeriphery(p: MttPeriphery): MttPeriphery {
  requirePositive("verifyReadVoltageV", p.verifyReadVoltageV);
  requirePositive("readTimeS", p.readTimeS);
  requireNonNegative("stepPeripheryEnergyJ", p.stepPeripheryEnergyJ);
  requireNonNegative("rowDriverPowerW", p.rowDriverPowerW);
  requireNonNegative("hiddenBiasV", p.hiddenBiasV);
  requireNonNegative("dividerCurrentA", p.dividerCurrentA);
  requireNonNegative("inferenceDrainV", p.inferenceDrainV);
  requireNonNegative("inferenceCurrentA", p.inferenceCurrentA);
  return p;
}

export function validateStats(s: WriteVerifyStats): WriteVerifyStats {
  requireNonNegative("meanPulses", s.meanPulses);
  requireNonNegative("meanReads", s.meanReads);
  requireNonNegative("meanDeviceEnergyJ", s.meanDeviceEnergyJ);
  requireNonNegative("meanReadConductanceUS", s.meanReadConductanceUS);
  requirePositive("pulseWidthS", s.pulseWidthS);
  return s;
}

/**
 * Expected length of one phase of a row of C cells (C need not be an integer: a square array of N weights has
 * √N cells per row): each cell takes part in the phase with probability `share`, needing a pulse count drawn
 * from `sample`, and otherwise needs none. The phase lasts as long as its slowest cell, so with F the sample's
 * empirical law the row's count has the law G(x)^C, G(x) = 1 − share + share·F(x) (x ≥ 0), and
 * E = Σ_j x_(j)·[G_j^C − G_(j−1)^C] with G_j = 1 − share + share·j/n. One cell gives share·mean; for C·share ≫ 1
 * it approaches the expected maximum of C·share draws, with G^C ≈ F^(C·share) in the tail. With share 1 it is
 * exactly the expected maximum of C draws from the sample (for C far beyond the sample size it saturates at the
 * sample maximum, an underestimate of the true tail).
 */
export function expectedPhaseSteps(sample: readonly number[], cells: number, share: number): number {
  requireNonNegative("cells", cells);
  requireInRange("share", share, 0, 1);
  if (sample.length === 0 || cells === 0 || share === 0) return 0;
  const xs = [...sample].sort((a, b) => a - b);
  if (xs[0] < 0) throw new RangeError(`pulse counts must be ≥ 0, got ${xs[0]}`);
  const n = xs.length;
  let e = 0;
  let below = (1 - share) ** cells;
  for (let j = 1; j <= n; j++) {
    const upTo = (1 - share + (share * j) / n) ** cells;
    e += xs[j - 1] * (upTo - below);
    below = upTo;
  }
  return e;
}

/**
 * Write-verify steps one row of C cells needs: a potentiation phase then a depression phase, each as long
 * as its slowest cell; each cell needs one phase or the other, in the sampled proportion
 * ({@link expectedPhaseSteps}). A one-cell row needs the mean pulse count.
 */
export function rowSteps(stats: WriteVerifyStats, cellsPerRow: number): number {
  requirePositive("cellsPerRow", cellsPerRow);
  const total = stats.pulsesUp.length + stats.pulsesDown.length;
  if (total === 0) return stats.meanPulses;
  const upShare = stats.pulsesUp.length / total;
  return expectedPhaseSteps(stats.pulsesUp, cellsPerRow, upShare) + expectedPhaseSteps(stats.pulsesDown, cellsPerRow, 1 - upShare);
}

/** Per-weight energy terms that do not depend on the array size, J. */
export function perWeightEnergy(stats: WriteVerifyStats, periphery: MttPeriphery): Omit<MttEnergyBreakdown, "rowDriversJ" | "totalJ"> {
  validateStats(stats);
  validatePeriphery(periphery);
  const readJ = stats.meanReadConductanceUS * 1e-6 * periphery.verifyReadVoltageV ** 2 * periphery.readTimeS;
  return {
    devicePulsesJ: stats.meanDeviceEnergyJ,
    stepPeripheryJ: stats.meanPulses * periphery.stepPeripheryEnergyJ,
    verifyReadsJ: stats.meanReads * readJ,
    binaryReadsJ: (periphery.hiddenBiasV * periphery.dividerCurrentA + periphery.inferenceDrainV * periphery.inferenceCurrentA) * periphery.readTimeS,
  };
}

/** Per-weight supply currents of a binary read, A. */
export interface BinaryReadCurrents {
  /** I_div, A. */
  readonly dividerCurrentA: number;
  /** I_ts, A. */
  readonly inferenceCurrentA: number;
}

/**
 * I_div and I_ts of a binary read from the MTT circuit: {@link unitReadCurrentsUA} (both branches of the
 * differential unit, W_h → conductances as the unit maps them) averaged over `hiddenWeights`, the levels the
 * stored weights take, each equally likely; µA → A.
 */
export function meanBinaryReadCurrentsA(unit: MttUnit & { readonly negativeCircuit?: MttCircuitParams }, hiddenWeights: readonly number[]): BinaryReadCurrents {
  if (hiddenWeights.length === 0) throw new RangeError("hiddenWeights: need at least one level, got none");
  let divider = 0;
  let inference = 0;
  for (const w of hiddenWeights) {
    requireFinite("hiddenWeights[]", w);
    const c = unitReadCurrentsUA(unit, w);
    divider += c.dividerUA;
    inference += c.inferenceUA;
  }
  const n = hiddenWeights.length;
  return { dividerCurrentA: (divider / n) * 1e-6, inferenceCurrentA: (inference / n) * 1e-6 };
}

/** Energy of one quantization pass over `weights` weights on a square MTT array, J. */
export function mttPassEnergy(stats: WriteVerifyStats, periphery: MttPeriphery, weights: number): MttEnergyBreakdown {
  requirePositive("weights", weights);
  const w = perWeightEnergy(stats, periphery);
  const cellsPerRow = Math.sqrt(weights);
  const rows = weights / cellsPerRow;
  const rowDriversJ = rows * rowSteps(stats, cellsPerRow) * periphery.rowDriverPowerW * stats.pulseWidthS;
  const devicePulsesJ = weights * w.devicePulsesJ;
  const stepPeripheryJ = weights * w.stepPeripheryJ;
  const verifyReadsJ = weights * w.verifyReadsJ;
  const binaryReadsJ = weights * w.binaryReadsJ;
  return {
    devicePulsesJ,
    stepPeripheryJ,
    verifyReadsJ,
    binaryReadsJ,
    rowDriversJ,
    totalJ: devicePulsesJ + stepPeripheryJ + verifyReadsJ + binaryReadsJ + rowDriversJ,
  };
}

/** Statistics with every pulse count (and so the pulse energy and reads) scaled by `factor`. */
export function scalePulseCounts(stats: WriteVerifyStats, factor: number): WriteVerifyStats {
  requirePositive("factor", factor);
  return {
    ...stats,
    meanPulses: stats.meanPulses * factor,
    meanReads: 1 + (stats.meanReads - 1) * factor,
    meanDeviceEnergyJ: stats.meanDeviceEnergyJ * factor,
    pulsesUp: stats.pulsesUp.map((p) => p * factor),
    pulsesDown: stats.pulsesDown.map((p) => p * factor),
    source: `${stats.source} (pulse counts ×${factor})`,
  };
}
