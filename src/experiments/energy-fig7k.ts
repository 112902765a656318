/**
 * Fig 7k of the MTT paper: energy of in-situ quantization on ECRAM-MTT and RRAM-MTT arrays against the
 * A100 GPU + Samsung 980 PRO SSD platform, as the array grows, with the ratio at 4 Mb and a sensitivity
 * view. Write-verify statistics are measured from the device models (src/devices/ecram.ts,
 * src/devices/taox-rram.ts) with the generic write-verify (src/array/write-verify.ts).
 */
import { isDeepStrictEqual } from "util";
import { EcramDevice, WOX_LIPON_ECRAM, sampleEcram, type EcramParams } from "../devices/ecram";
import { ECRAM_WRITE_VERIFY } from "../devices/ecram-schemes";
import { TAOX_RRAM, TaoxRramDevice, type TaoxRramParams } from "../devices/taox-rram";
import { RRAM_WRITE_VERIFY } from "../mtt/rram-programming";
import { createRng } from "../util/rng";
import { requireInteger } from "../util/validate";
import { digitalPassEnergy, type DigitalPlatform } from "../energy/digital-platform";
import { perWeightEnergy, rowSteps, scalePulseCounts, type MttPeriphery } from "../energy/mtt-platform";
import { CALIBRATED_DIGITAL_PLATFORM, ECRAM_MTT_PERIPHERY, RRAM_MTT_PERIPHERY } from "../energy/presets";
import {
  FOUR_MEGABIT_WEIGHTS,
  compareAt,
  powerOfTwoSizes,
  sensitivity,
  solveMonotone,
  sweep,
  type MttEnergyInputs,
  type SensitivityKnob,
} from "../energy/quantization-energy";
import { measureWriteVerify, type WriteVerifyProtocol } from "../energy/write-verify-stats";

/** Hidden-weight windows: ECRAM operated up to 50 µS (§4.7); RRAM over its whole window (Fig S19). */
export const ECRAM_PROTOCOL_WINDOW = Object.freeze({ windowLoUS: 0, windowHiUS: 50 });
/** The RRAM protocol window of a TaOx device preset: its whole window. */
export function rramProtocolWindow(device: TaoxRramParams): { windowLoUS: number; windowHiUS: number } {
  return { windowLoUS: device.gMinUS, windowHiUS: device.gMaxUS };
}
export const RRAM_PROTOCOL_WINDOW = Object.freeze(rramProtocolWindow(TAOX_RRAM));

export interface EnergyFig7kConfig {
  /** Weights (devices) programmed per technology to measure the write-verify statistics. */
  readonly samples: number;
  /** Hidden-weight bits (3, §4.5). */
  readonly bits: number;
  /** Sweep sizes 2^lo … 2^hi weights. */
  readonly sizeExponentLo: number;
  readonly sizeExponentHi: number;
  readonly seed: number;
  readonly digital: DigitalPlatform;
  readonly ecramPeriphery: MttPeriphery;
  readonly rramPeriphery: MttPeriphery;
  /** The hidden-weight devices whose write-verify statistics are measured (a lab variant: `{ ...WOX_LIPON_ECRAM, … }`). */
  readonly ecramDevice: EcramParams;
  readonly rramDevice: TaoxRramParams;
}

export const DEFAULT_FIG7K_CONFIG: EnergyFig7kConfig = Object.freeze({
  samples: 2000,
  bits: 3,
  sizeExponentLo: 10,
  sizeExponentHi: 26,
  seed: 7,
  digital: CALIBRATED_DIGITAL_PLATFORM,
  ecramPeriphery: ECRAM_MTT_PERIPHERY,
  rramPeriphery: RRAM_MTT_PERIPHERY,
  ecramDevice: WOX_LIPON_ECRAM,
  rramDevice: TAOX_RRAM,
});

/**
 * Measure write-verify statistics of both hidden-weight devices. The source label names the shipped preset when
 * the config's device has its values (a spread copy included), else "a variant".
 */
export function measureTechnologies(config: EnergyFig7kConfig): { ecram: MttEnergyInputs; rram: MttEnergyInputs; converged: { ecram: number; rram: number } } {
  requireInteger("samples", config.samples, 2);
  const rng = createRng(config.seed);
  const protocol = (w: { windowLoUS: number; windowHiUS: number }): WriteVerifyProtocol => ({ samples: config.samples, bits: config.bits, ...w });
  const e = measureWriteVerify(
    (r) => new EcramDevice(sampleEcram(config.ecramDevice, r)),
    ECRAM_WRITE_VERIFY,
    protocol(ECRAM_PROTOCOL_WINDOW),
    rng.fork("ecram"),
    `measured: ${isDeepStrictEqual(config.ecramDevice, WOX_LIPON_ECRAM) ? "WOx/LiPON" : "a variant of the"} ECRAM model (device-to-device spread) with ECRAM_WRITE_VERIFY`,
  );
  const r = measureWriteVerify(
    () => new TaoxRramDevice(config.rramDevice),
    RRAM_WRITE_VERIFY,
    protocol(rramProtocolWindow(config.rramDevice)),
    rng.fork("rram"),
    `measured: ${isDeepStrictEqual(config.rramDevice, TAOX_RRAM) ? "TaOx" : "a variant of the TaOx"} RRAM model with RRAM_WRITE_VERIFY (src/mtt/rram-programming.ts)`,
  );
  return {
    ecram: { label: "ECRAM-MTT", stats: e.stats, periphery: config.ecramPeriphery },
    rram: { label: "RRAM-MTT", stats: r.stats, periphery: config.rramPeriphery },
    converged: { ecram: e.convergedFraction, rram: r.convergedFraction },
  };
}

/**
 * Calibrate the digital side's storage granularity (weights per SSD command) so that `tech` shows
 * `targetRatio` at 4 Mb. For declared calibrations only: the caller supplies the published target.
 */
export function calibrateWeightsPerAccess(digital: DigitalPlatform, tech: MttEnergyInputs, targetRatio: number): number {
  const ratioFor = (k: number) => compareAt({ ...digital, workload: { ...digital.workload, weightsPerAccess: k } }, tech, FOUR_MEGABIT_WEIGHTS).ratio;
  return solveMonotone((k) => -ratioFor(k), -targetRatio, 1, FOUR_MEGABIT_WEIGHTS, "weightsPerAccess");
}

/** Per-weight energy table of a technology at 4 Mb (every term), J per weight. */
export function perWeightRows(tech: MttEnergyInputs) {
  const w = perWeightEnergy(tech.stats, tech.periphery);
  const c = Math.sqrt(FOUR_MEGABIT_WEIGHTS);
  const rowJ = (rowSteps(tech.stats, c) * tech.periphery.rowDriverPowerW * tech.stats.pulseWidthS) / c;
  return [
    { platform: tech.label, term: "device programming pulses", energyPerWeightJ: w.devicePulsesJ },
    { platform: tech.label, term: "column driver + verify sense", energyPerWeightJ: w.stepPeripheryJ },
    { platform: tech.label, term: "verify reads (device)", energyPerWeightJ: w.verifyReadsJ },
    { platform: tech.label, term: "binary read in place", energyPerWeightJ: w.binaryReadsJ },
    { platform: tech.label, term: "row drivers (shared by √N cells)", energyPerWeightJ: rowJ },
  ];
}

/** Sensitivity knobs for one technology at 4 Mb. */
export function sensitivityKnobs(digital: DigitalPlatform, tech: MttEnergyInputs): SensitivityKnob[] {
  const at = (d: DigitalPlatform, t: MttEnergyInputs) => compareAt(d, t, FOUR_MEGABIT_WEIGHTS).ratio;
  const withPeriphery = (patch: (p: MttPeriphery, f: number) => Partial<MttPeriphery>) => (f: number) =>
    at(digital, { ...tech, periphery: { ...tech.periphery, ...patch(tech.periphery, f) } });
  const withWorkload = (patch: (f: number) => Partial<DigitalPlatform["workload"]>) => (f: number) =>
    at({ ...digital, workload: { ...digital.workload, ...patch(f) } }, tech);
  const withSsd = (patch: (f: number) => Partial<DigitalPlatform["ssd"]>) => (f: number) => at({ ...digital, ssd: { ...digital.ssd, ...patch(f) } }, tech);
  const withGpu = (patch: (f: number) => Partial<DigitalPlatform["gpu"]>) => (f: number) => at({ ...digital, gpu: { ...digital.gpu, ...patch(f) } }, tech);
  return [
    { parameter: "write-verify pulses per weight", side: "MTT", ratioWith: (f) => at(digital, { ...tech, stats: scalePulseCounts(tech.stats, f) }) },
    { parameter: "device energy per pulse", side: "MTT", ratioWith: (f) => at(digital, { ...tech, stats: { ...tech.stats, meanDeviceEnergyJ: tech.stats.meanDeviceEnergyJ * f } }) },
    { parameter: "periphery energy per step", side: "MTT", ratioWith: withPeriphery((p, f) => ({ stepPeripheryEnergyJ: p.stepPeripheryEnergyJ * f })) },
    { parameter: "row driver static power", side: "MTT", ratioWith: withPeriphery((p, f) => ({ rowDriverPowerW: p.rowDriverPowerW * f })) },
    { parameter: "read time", side: "MTT", ratioWith: withPeriphery((p, f) => ({ readTimeS: p.readTimeS * f })) },
    { parameter: "weights per SSD command (calibrated)", side: "digital", ratioWith: withWorkload((f) => ({ weightsPerAccess: digital.workload.weightsPerAccess * f })) },
    { parameter: "SSD active power", side: "digital", ratioWith: withSsd((f) => ({ readPowerW: digital.ssd.readPowerW * f, writePowerW: digital.ssd.writePowerW * f })) },
    { parameter: "SSD random IOPS", side: "digital", ratioWith: withSsd((f) => ({ randomIops: digital.ssd.randomIops * f })) },
    { parameter: "SSD sequential bandwidth", side: "digital", ratioWith: withSsd((f) => ({ readBandwidthBytesPerS: digital.ssd.readBandwidthBytesPerS * f, writeBandwidthBytesPerS: digital.ssd.writeBandwidthBytesPerS * f })) },
    { parameter: "GPU board power", side: "digital", ratioWith: withGpu((f) => ({ powerW: digital.gpu.powerW * f })) },
    { parameter: "GPU memory bandwidth", side: "digital", ratioWith: withGpu((f) => ({ memoryBandwidthBytesPerS: digital.gpu.memoryBandwidthBytesPerS * f })) },
  ];
}

/** The whole figure: statistics, sweep, ratios at 4 Mb, trend, sensitivity. */
export function runEnergyFig7k(config: EnergyFig7kConfig = DEFAULT_FIG7K_CONFIG) {
  const techs = measureTechnologies(config);
  const list = [techs.ecram, techs.rram];
  const sizes = powerOfTwoSizes(config.sizeExponentLo, config.sizeExponentHi);
  const rows = sweep(config.digital, list, sizes);
  const ecram4 = compareAt(config.digital, techs.ecram, FOUR_MEGABIT_WEIGHTS);
  const rram4 = compareAt(config.digital, techs.rram, FOUR_MEGABIT_WEIGHTS);
  const series = (label: string) => rows.filter((r) => r.platform === label);
  const increasing = (xs: number[]) => xs.every((x, i) => i === 0 || x > xs[i - 1]);
  const trend = list.map((t) => {
    const s = series(t.label);
    return {
      platform: t.label,
      savedGrows: increasing(s.map((r) => r.savedJ)),
      ratioSmallest: s[0].ratio,
      ratioAt4Mb: compareAt(config.digital, t, FOUR_MEGABIT_WEIGHTS).ratio,
      ratioLargest: s[s.length - 1].ratio,
    };
  });
  const stats = list.map((t) => ({
    platform: t.label,
    meanPulses: t.stats.meanPulses,
    meanReads: t.stats.meanReads,
    deviceEnergyPerPulseJ: t.stats.meanDeviceEnergyJ / Math.max(1, t.stats.meanPulses),
    deviceEnergyPerWeightJ: t.stats.meanDeviceEnergyJ,
    pulseWidthS: t.stats.pulseWidthS,
    rowStepsAt4Mb: rowSteps(t.stats, Math.sqrt(FOUR_MEGABIT_WEIGHTS)),
  }));
  const digital4 = digitalPassEnergy(config.digital, FOUR_MEGABIT_WEIGHTS);
  const pulseRows = list.flatMap((t) => [...t.stats.pulsesUp, ...t.stats.pulsesDown].map((p) => ({ platform: t.label, pulses: p })));
  const trendHolds = trend.every((t) => t.savedGrows) && list.every((t) => series(t.label)[0].savedJ > 0);
  return {
    techs,
    parameters: energyParameterTable(config, techs),
    pulseRows,
    trendHolds,
    stats,
    rows,
    digitalAt4Mb: digital4,
    perWeight: [...perWeightRows(techs.ecram), ...perWeightRows(techs.rram)],
    ratioEcram4Mb: ecram4.ratio,
    ratioRram4Mb: rram4.ratio,
    trend,
    sensitivityEcram: sensitivity(sensitivityKnobs(config.digital, techs.ecram)),
    sensitivityRram: sensitivity(sensitivityKnobs(config.digital, techs.rram)),
  };
}

/** One row of the energy-parameter table. */
export interface ParameterRow {
  [key: string]: string | number;
  side: string;
  parameter: string;
  value: number;
  unit: string;
  source: string;
}

/** Every energy parameter of the comparison with value, unit and source (measured ones from `techs`). */
export function energyParameterTable(config: EnergyFig7kConfig, techs: { ecram: MttEnergyInputs; rram: MttEnergyInputs }): ParameterRow[] {
  const { gpu, ssd, workload } = config.digital;
  const rows: ParameterRow[] = [
    { side: "digital", parameter: "GPU board power", value: gpu.powerW, unit: "W", source: gpu.source },
    { side: "digital", parameter: "GPU FP32 throughput", value: gpu.fp32FlopsPerS, unit: "FLOP/s", source: gpu.source },
    { side: "digital", parameter: "GPU memory bandwidth", value: gpu.memoryBandwidthBytesPerS, unit: "B/s", source: gpu.source },
    { side: "digital", parameter: "SSD read power", value: ssd.readPowerW, unit: "W", source: ssd.source },
    { side: "digital", parameter: "SSD write power", value: ssd.writePowerW, unit: "W", source: ssd.source },
    { side: "digital", parameter: "SSD sequential read bandwidth", value: ssd.readBandwidthBytesPerS, unit: "B/s", source: ssd.source },
    { side: "digital", parameter: "SSD sequential write bandwidth", value: ssd.writeBandwidthBytesPerS, unit: "B/s", source: ssd.source },
    { side: "digital", parameter: "SSD random IOPS", value: ssd.randomIops, unit: "1/s", source: ssd.source },
    { side: "digital", parameter: "SSD logical block", value: ssd.blockBytes, unit: "B", source: "assumed: default 512 B LBA format" },
    { side: "digital", parameter: "analog weight width", value: workload.analogBits, unit: "bit", source: "assumed: FP32 hidden weights" },
    { side: "digital", parameter: "binary weight width", value: workload.binaryBits, unit: "bit", source: "paper text: binary weights" },
    { side: "digital", parameter: "FLOPs per weight", value: workload.flopsPerWeight, unit: "FLOP", source: "assumed: clip, 3-bit round, sign" },
    { side: "digital", parameter: "GPU memory traffic per weight", value: workload.hbmBytesPerWeight, unit: "B", source: "assumed: read 4 B, write 4 B + 1 bit" },
    { side: "digital", parameter: "binary read-backs per pass", value: workload.binaryReadbacks, unit: "1", source: "assumed: next forward pass" },
    { side: "digital", parameter: "weights per SSD command", value: workload.weightsPerAccess, unit: "weights", source: workload.source },
  ];
  for (const t of [techs.ecram, techs.rram]) {
    const p = t.periphery;
    const s = t.stats;
    rows.push(
      { side: t.label, parameter: "write-verify pulses per weight", value: s.meanPulses, unit: "pulses", source: s.source },
      { side: t.label, parameter: "verify reads per weight", value: s.meanReads, unit: "reads", source: s.source },
      { side: t.label, parameter: "device energy per pulse (mean)", value: s.meanDeviceEnergyJ / Math.max(1, s.meanPulses), unit: "J", source: `${s.source}; device model pulseEnergyJ` },
      { side: t.label, parameter: "programming pulse width", value: s.pulseWidthS, unit: "s", source: t.label.startsWith("ECRAM") ? "paper text Fig 3d: 2 ms (ECRAM_WRITE_VERIFY)" : "fitted to Fig 7k (calibration): TAOX_RRAM.referenceWidthS, used by RRAM_WRITE_VERIFY" },
      { side: t.label, parameter: "mean conductance at verify", value: s.meanReadConductanceUS, unit: "µS", source: s.source },
      { side: t.label, parameter: "verify read voltage", value: p.verifyReadVoltageV, unit: "V", source: p.provenance.verifyReadVoltageV },
      { side: t.label, parameter: "read time", value: p.readTimeS, unit: "s", source: p.provenance.readTimeS },
      { side: t.label, parameter: "periphery energy per step per cell", value: p.stepPeripheryEnergyJ, unit: "J", source: p.provenance.stepPeripheryEnergyJ },
      { side: t.label, parameter: "row driver static power", value: p.rowDriverPowerW, unit: "W", source: p.provenance.rowDriverPowerW },
      { side: t.label, parameter: "V_read_H (binary read)", value: p.hiddenBiasV, unit: "V", source: p.provenance.hiddenBiasV },
      { side: t.label, parameter: "divider current (binary read)", value: p.dividerCurrentA, unit: "A", source: p.provenance.dividerCurrentA },
      { side: t.label, parameter: "inference drain voltage", value: p.inferenceDrainV, unit: "V", source: p.provenance.inferenceDrainV },
      { side: t.label, parameter: "inference read current", value: p.inferenceCurrentA, unit: "A", source: p.provenance.inferenceCurrentA },
    );
  }
  return rows;
}

/**
 * What-if: the RRAM-MTT ratio at 4 Mb when the TaOx cell is programmed with wider pulses (the paper's
 * RRAM pulse widths are not in our text; lab measurements often use µs pulses). For width w the ladder is
 * shifted down by V_s·ln(w/w₀) (V_s the device's amplitude scale, w₀ the scheme's width), so each rung keeps
 * the same switching strength s = (w/w_ref)·e^((V−V_ref)/V_s); rungs are kept above the switching
 * threshold, so for pulses wide enough that a shifted ladder would start below it (the RESET ladder first) the
 * ladder is clamped there, its rungs are stronger than the reference ones and may collapse to one amplitude
 * (start = max). Write-verify statistics are re-measured for every width; the digital side and the ECRAM
 * calibration are unchanged. The digital platform and periphery come from `config`. `deviceEnergyPerPulseJ` is
 * the device energy per weight over max(1, mean pulses), so it understates the per-pulse energy when most
 * weights need no pulse at all.
 */
export function rramPulseWidthScan(config: EnergyFig7kConfig, widthsS: readonly number[]) {
  const base = RRAM_WRITE_VERIFY;
  const device = config.rramDevice;
  const vs = device.amplitudeScaleV;
  const floorV = device.thresholdV + base.potentiation.stepV;
  return widthsS.map((w, i) => {
    const shift = vs * Math.log(w / base.potentiation.widthS);
    const ladder = (l: typeof base.potentiation) => {
      const startV = Math.max(floorV, l.startV - shift);
      return { startV, stepV: l.stepV, maxV: Math.max(startV, l.maxV - shift), widthS: w };
    };
    const scheme = { ...base, potentiation: ladder(base.potentiation), depression: ladder(base.depression) };
    const m = measureWriteVerify(
      () => new TaoxRramDevice(device),
      scheme,
      { samples: config.samples, bits: config.bits, ...rramProtocolWindow(device) },
      createRng(config.seed).fork(`rram-width-${i}`),
      `measured: TaOx RRAM, ladder shifted for ${w} s pulses`,
    );
    const tech: MttEnergyInputs = { label: "RRAM-MTT", stats: m.stats, periphery: config.rramPeriphery };
    return {
      pulseWidthS: w,
      setStartV: scheme.potentiation.startV,
      resetStartV: scheme.depression.startV,
      meanPulses: m.stats.meanPulses,
      deviceEnergyPerPulseJ: m.stats.meanDeviceEnergyJ / Math.max(1, m.stats.meanPulses),
      convergedFraction: m.convergedFraction,
      ratioAt4Mb: compareAt(config.digital, tech, FOUR_MEGABIT_WEIGHTS).ratio,
    };
  });
}
