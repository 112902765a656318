/**
 * The digital reference platform of Yang et al. (Fig 7k, §2.4): an NVIDIA A100 GPU computes the weight
 * quantization and a Samsung 980 PRO NVMe SSD stores the analog (hidden) and binary weights.
 *
 * One quantization pass over N weights, as the paper's text describes the conventional flow (Fig 1b):
 *   1. read the N analog weights from the SSD,
 *   2. quantize them on the GPU (3-bit hidden quantization in ±1 and binarization W_b = sign(W_h)),
 *   3. write both the quantized analog and the binary weights back to the SSD,
 *   4. read the binary weights back for the next forward pass (`binaryReadbacks` times).
 *
 * Energy model (Note S1 is lost; this is our own derivation from the components' public specs):
 *   E_ssd,read  = P_read  · Σ_streams max(bytes / B_read,  commands / IOPS)   (active power × time)
 *   E_ssd,write = P_write · Σ_streams max(bytes / B_write, commands / IOPS)
 * where the weights move in accesses of k weights (one command per access and stream; k = weightsPerAccess).
 *   E_gpu       = P_gpu · max(FLOPs / R_fp32, bytes_hbm / B_hbm)   (roofline time at board power)
 * Each access is rounded up to whole logical blocks (analog and binary weights are separate streams); when k does
 * not divide N the last access carries only the remaining N mod k weights.
 * All terms are linear in N except this rounding, which matters only for small N or small k.
 * The optional `fixedOverheadJ` (kernel launch, SSD command latency) is 0 by default: the paper counts
 * "quantization computation and storage", and the sensitivity view shows what a non-zero value does.
 */
import { requireInteger, requireNonNegative, requirePositive } from "../util/validate";

/** A GPU described by its board power and its roofline. */
export interface GpuSpec {
  readonly name: string;
  /** Board power while the kernel runs, W (we take the maximum TDP: an upper, conservative value). */
  readonly powerW: number;
  /** Peak FP32 (non-tensor) throughput, FLOP/s. */
  readonly fp32FlopsPerS: number;
  /** Device memory bandwidth, bytes/s. */
  readonly memoryBandwidthBytesPerS: number;
  /** Where each number comes from. */
  readonly source: string;
}

/** An SSD described by its active power and sequential bandwidths. */
export interface SsdSpec {
  readonly name: string;
  /** Average active power while reading, W. */
  readonly readPowerW: number;
  /** Average active power while writing, W. */
  readonly writePowerW: number;
  /** Sequential read bandwidth, bytes/s. */
  readonly readBandwidthBytesPerS: number;
  /** Sequential write bandwidth, bytes/s. */
  readonly writeBandwidthBytesPerS: number;
  /** Logical block size, bytes: transfers are rounded up to whole blocks. */
  readonly blockBytes: number;
  /** Random 4 KiB I/O rate at deep queue, commands/s (read and write alike): the command-rate roof. */
  readonly randomIops: number;
  readonly source: string;
}

/** What one quantization pass does per weight on the digital platform. */
export interface DigitalWorkload {
  /** Bits of one analog (hidden) weight as stored digitally: FP32 → 32. */
  readonly analogBits: number;
  /** Bits of one binary weight: 1. */
  readonly binaryBits: number;
  /**
   * GPU floating-point operations per weight for the quantization: clip to ±1 (2), scale, round and
   * rescale to the 3-bit grid (3), sign (1), plus address/compare slack (2) → 8 FLOP. Assumed.
   */
  readonly flopsPerWeight: number;
  /**
   * GPU memory traffic per weight, bytes: read the analog weight, write the quantized analog weight
   * and the binary weight (4 + 4 + 1/8). Assumed (a streaming, element-wise kernel).
   */
  readonly hbmBytesPerWeight: number;
  /** How many times the binary weights are read back from the SSD per pass (the next forward pass): 1. */
  readonly binaryReadbacks: number;
  /**
   * Weights per SSD command k: the training loop reads and writes its weights in accesses of k weights
   * (one command per access and per stream). Small k makes the pass command-rate bound (P/IOPS per
   * access), large k bandwidth bound. The paper does not say how its digital baseline touches storage;
   * this is the digital side's one calibrated parameter (see the registry entry yang.energy.ecram).
   */
  readonly weightsPerAccess: number;
  /** Fixed energy per pass independent of N (kernel launch, SSD command latency), J. Default 0. */
  readonly fixedOverheadJ: number;
  readonly source: string;
}

export interface DigitalPlatform {
  readonly gpu: GpuSpec;
  readonly ssd: SsdSpec;
  readonly workload: DigitalWorkload;
}

/**
 * NVIDIA A100 SXM4 40 GB. Public model: NVIDIA A100 data sheet (nvidia-a100-datasheet-us-nvidia-1758950-r4):
 * 400 W max TDP (SXM4), 19.5 TFLOPS FP32, 1,555 GB/s HBM2. Confirmed against the spec listings of
 * glennklockwood.com/garden/processors/A100 and the Paderborn PC2 cluster wiki (A100 40GB: 19.5 TFLOPS
 * FP32, 1,555 GB/s, TDP 400 W).
 */
export const A100_SXM4_40GB: GpuSpec = Object.freeze({
  name: "NVIDIA A100 SXM4 40 GB",
  powerW: 400,
  fp32FlopsPerS: 19.5e12,
  memoryBandwidthBytesPerS: 1555e9,
  source: "public fact: NVIDIA A100 data sheet: 400 W max TDP (SXM4), 19.5 TFLOPS FP32, 1,555 GB/s HBM2 (40 GB)",
});

/**
 * Samsung 980 PRO 1 TB (MZ-V8P1T0). Public specs: sequential read 7,000 MB/s, sequential write
 * 5,000 MB/s, random 4 KB read/write up to 1,000,000 IOPS (Samsung product page; PugetSystems part page
 * for the 1 TB model; techbriefly launch report "exceed 1 million 4K IOPS"); average active power
 * 6.2 W (Samsung data sheet, "average power consumption, system level"; PugetSystems lists 6.2 W for the
 * 2 TB model); the drive's highest NVMe power state is 8.49 W (AnandTech review, power states table),
 * so 6.2 W is a mid value. 512-byte logical blocks (the drive's default LBA format).
 */
export const SAMSUNG_980_PRO_1TB: SsdSpec = Object.freeze({
  name: "Samsung 980 PRO 1 TB NVMe",
  readPowerW: 6.2,
  writePowerW: 6.2,
  readBandwidthBytesPerS: 7000e6,
  writeBandwidthBytesPerS: 5000e6,
  blockBytes: 512,
  randomIops: 1e6,
  source: "public fact: Samsung 980 PRO data sheet: 7,000/5,000 MB/s seq. read/write, 1,000K random 4 KB IOPS (1 TB), 6.2 W average active power; AnandTech: PS0 max 8.49 W",
});

/** The quantization pass of the metaplastic BNN (3-bit hidden weights, binary inference weights). */
export const BNN_QUANTIZATION_WORKLOAD: DigitalWorkload = Object.freeze({
  analogBits: 32,
  binaryBits: 1,
  flopsPerWeight: 8,
  hbmBytesPerWeight: 4 + 4 + 1 / 8,
  binaryReadbacks: 1,
  weightsPerAccess: 4096,
  fixedOverheadJ: 0,
  source:
    "assumed: FP32 hidden weights, element-wise quantization kernel (clip, 3-bit round, sign), binary weights read once by the next forward pass; weightsPerAccess 4096 is a placeholder granularity: 4096 one-bit weights fill exactly one 512 B logical block and 4096 FP32 weights are a 16 KiB transfer, so the analog stream is bandwidth-bound. Fig 7k does not use it: CALIBRATED_DIGITAL_WORKLOAD (energy/presets.ts) replaces it by the calibrated k (CALIBRATED_WEIGHTS_PER_ACCESS)",
});

/** The paper's digital platform: A100 + 980 PRO running the BNN quantization pass. */
export const YANG_DIGITAL_PLATFORM: DigitalPlatform = Object.freeze({
  gpu: A100_SXM4_40GB,
  ssd: SAMSUNG_980_PRO_1TB,
  workload: BNN_QUANTIZATION_WORKLOAD,
});

/** Energy of one quantization pass, split by component, J. */
export interface DigitalEnergyBreakdown {
  readonly ssdReadJ: number;
  readonly gpuJ: number;
  readonly ssdWriteJ: number;
  readonly fixedJ: number;
  readonly totalJ: number;
}

function checkPlatform(p: DigitalPlatform): void {
  requirePositive("gpu.powerW", p.gpu.powerW);
  requirePositive("gpu.fp32FlopsPerS", p.gpu.fp32FlopsPerS);
  requirePositive("gpu.memoryBandwidthBytesPerS", p.gpu.memoryBandwidthBytesPerS);
  requireNonNegative("ssd.readPowerW", p.ssd.readPowerW);
  requireNonNegative("ssd.writePowerW", p.ssd.writePowerW);
  requirePositive("ssd.readBandwidthBytesPerS", p.ssd.readBandwidthBytesPerS);
  requirePositive("ssd.writeBandwidthBytesPerS", p.ssd.writeBandwidthBytesPerS);
  requireInteger("ssd.blockBytes", p.ssd.blockBytes, 1);
  requirePositive("workload.analogBits", p.workload.analogBits);
  requirePositive("workload.binaryBits", p.workload.binaryBits);
  requireNonNegative("workload.flopsPerWeight", p.workload.flopsPerWeight);
  requireNonNegative("workload.hbmBytesPerWeight", p.workload.hbmBytesPerWeight);
  requireNonNegative("workload.binaryReadbacks", p.workload.binaryReadbacks);
  requirePositive("workload.weightsPerAccess", p.workload.weightsPerAccess);
  requirePositive("ssd.randomIops", p.ssd.randomIops);
  requireNonNegative("workload.fixedOverheadJ", p.workload.fixedOverheadJ);
}

/** Bytes of a stream of `count` items of `bits` each, rounded up to whole blocks of `blockBytes`. */
export function blockAlignedBytes(count: number, bits: number, blockBytes: number): number {
  requireNonNegative("count", count);
  const bytes = (count * bits) / 8;
  return Math.ceil(bytes / blockBytes - 1e-12) * blockBytes;
}

/** GPU energy of the quantization kernel over `weights` weights: board power × roofline time, J. */
export function gpuQuantizationEnergyJ(gpu: GpuSpec, workload: DigitalWorkload, weights: number): number {
  const computeS = (weights * workload.flopsPerWeight) / gpu.fp32FlopsPerS;
  const memoryS = (weights * workload.hbmBytesPerWeight) / gpu.memoryBandwidthBytesPerS;
  return gpu.powerW * Math.max(computeS, memoryS);
}

/** Energy of one quantization pass over `weights` weights on the digital platform, J. */
export function digitalPassEnergy(platform: DigitalPlatform, weights: number): DigitalEnergyBreakdown {
  checkPlatform(platform);
  requirePositive("weights", weights);
  const { ssd, gpu, workload } = platform;
  const k = workload.weightsPerAccess;
  // ⌊N/k⌋ full accesses of k weights and, when k does not divide N, one last access of the remainder.
  const fullAccesses = Math.floor(weights / k + 1e-12);
  const remainder = Math.max(0, weights - fullAccesses * k);
  const lastAccess = remainder > 1e-9 * k ? 1 : 0;
  const accesses = fullAccesses + lastAccess;
  const streamBytes = (bits: number) => fullAccesses * blockAlignedBytes(k, bits, ssd.blockBytes) + lastAccess * blockAlignedBytes(remainder, bits, ssd.blockBytes);
  const analogBytes = streamBytes(workload.analogBits);
  const binaryBytes = streamBytes(workload.binaryBits);
  // Each stream (analog read, binary read-backs, analog write, binary write) takes the longer of its
  // bandwidth time and its command time at the random-IOPS roof.
  const streamS = (bytes: number, bandwidth: number, commands: number) => Math.max(bytes / bandwidth, commands / ssd.randomIops);
  const readS = streamS(analogBytes, ssd.readBandwidthBytesPerS, accesses) + workload.binaryReadbacks * streamS(binaryBytes, ssd.readBandwidthBytesPerS, accesses);
  const writeS = streamS(analogBytes, ssd.writeBandwidthBytesPerS, accesses) + streamS(binaryBytes, ssd.writeBandwidthBytesPerS, accesses);
  const ssdReadJ = ssd.readPowerW * readS;
  const ssdWriteJ = ssd.writePowerW * writeS;
  const gpuJ = gpuQuantizationEnergyJ(gpu, workload, weights);
  const fixedJ = workload.fixedOverheadJ;
  return { ssdReadJ, gpuJ, ssdWriteJ, fixedJ, totalJ: ssdReadJ + gpuJ + ssdWriteJ + fixedJ };
}
