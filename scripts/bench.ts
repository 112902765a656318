/**
 * Training-speed benchmark of the metaplastic BNN engine: 784-1000-500-10, batch 100, Fashion-MNIST,
 * 3-bit hidden weights, ideal sign, m = 12, lr 0.005. Prints one line
 *   bnn_train_samples_per_s=<N>
 * (steady state: timed after warm-up batches), the peak resident memory, and where the time goes.
 *
 * Usage: npm run bench [-- --backend auto|parallel|simd|wasm|js] [--batches N] [--warmup N]
 *   auto (default): runs parallel and simd, prints the faster one in the bnn_train_samples_per_s line
 *   parallel: tfjs-wasm products split by columns of the result, SIMD Adam and binarization split by element
 *             ranges, over the main thread and one worker
 *   simd: the same kernels on the main thread only
 *   wasm: tfjs-wasm products, JavaScript optimizer;  js: plain JavaScript loops
 * The machine's cores are shared: run `uptime` first and compare numbers only on a quiet machine.
 * The "products by shape" line names each product m×k×n (ᵀ after a dimension: that operand is used
 * transposed in place, see src/nn/wasm-backend.ts for why the layout decides the cost).
 */
import * as os from "os";
import { createRng } from "../src/util/rng";
import { idealSign } from "../src/mtt/transfer-function";
import { createNetwork } from "../src/nn/network";
import { Trainer } from "../src/nn/train";
import { loadFashionMnist } from "../src/nn/datasets/idx";
import { jsMatMul, type MatMulBackend } from "../src/nn/matmul";
import { wasmMatMul } from "../src/nn/wasm-backend";
import { createParallelPool, type OptimizerBackend } from "../src/nn/parallel";
import { profiled } from "../src/nn/profile";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

interface BenchResult {
  backend: string;
  samplesPerS: number;
  lines: string[];
  peakRssMb: number;
}

async function runOnce(backendName: string, batches: number, warmup: number): Promise<BenchResult> {
  const batchSize = 100;
  const pool = backendName === "parallel" ? await createParallelPool() : backendName === "simd" ? await createParallelPool({ threads: 1 }) : null;
  const base: MatMulBackend = pool ? pool.matmul : backendName === "js" ? jsMatMul : await wasmMatMul();
  const optimizer: OptimizerBackend | undefined = pool?.optimizer;
  const { backend, report } = profiled(base);
  const data = loadFashionMnist("train", (batches + warmup) * batchSize);
  const rng = createRng("bench");
  const net = createNetwork({ layerSizes: [784, 1000, 500, 10], transfer: idealSign, hiddenBits: 3 }, rng, pool ? { allocate: pool.allocate } : {});
  const trainer = new Trainer(net, { lr: 0.005, meta: 12, backend, optimizer, ...(pool ? { accelerator: pool } : {}) });
  trainer.startTask(0);
  let peakRss = process.memoryUsage().rss;
  const times: number[] = [];
  let last = performance.now();
  let cpuStart = process.cpuUsage();
  // One "epoch" over (warmup + batches) batches, timing each optimizer step.
  trainer.trainEpoch(data, batchSize, 0, rng.fork("epoch"), ({ batch }) => {
    const now = performance.now();
    if (batch >= warmup) times.push(now - last);
    if (batch === warmup - 1) {
      report(true);
      for (const k of Object.keys(trainer.phaseMs) as (keyof typeof trainer.phaseMs)[]) trainer.phaseMs[k] = 0;
      cpuStart = process.cpuUsage();
    }
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  const cpu = process.cpuUsage(cpuStart);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  const total = times.reduce((a, b) => a + b, 0);
  const samplesPerS = (1000 * times.length * batchSize) / total;
  const split = report(false);
  await pool?.close();
  const sorted = [...times].sort((a, b) => a - b);
  const decile = sorted.slice(0, Math.max(1, Math.floor(sorted.length / 10)));
  const fast = decile.reduce((a, b) => a + b, 0) / decile.length;
  const per = (v: number) => (v / times.length).toFixed(1);
  const ph = trainer.phaseMs;
  return {
    backend: backend.name,
    samplesPerS,
    peakRssMb: peakRss / 2 ** 20,
    lines: [
      `# backend=${backend.name} batch=${batchSize} timed_batches=${times.length} cores=${os.cpus().length} loadavg=${os.loadavg().map((v) => v.toFixed(2)).join(",")}`,
      `#   ${samplesPerS.toFixed(0)} samples/s; peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
      // CPU time of this process (all threads) and the least-disturbed batches: estimates on a shared machine.
      `#   cpu_s=${cpuS.toFixed(2)} wall_s=${(total / 1000).toFixed(2)} samples_per_cpu_s=${((times.length * batchSize) / cpuS).toFixed(0)}`,
      `#   fastest-decile batch ${fast.toFixed(1)} ms = ${((1000 * batchSize) / fast).toFixed(0)} samples/s; median batch ${sorted[sorted.length >> 1].toFixed(1)} ms`,
      `#   ms per batch: total ${per(total)} = binarize ${per(ph.binarize)} + forward ${per(ph.forward)} + backward ${per(ph.backward)} + optimizer ${per(ph.optimizer)} + rest ${per(total - ph.binarize - ph.forward - ph.backward - ph.optimizer)}; of which matrix products ${per(split.matmulMs)} (${split.calls / times.length} calls)`,
      `#   products by shape m×k×n (ms per batch): ${[...split.byShape].map(([k, v]) => `${k} ${per(v.ms)}`).join(", ")}`,
    ],
  };
}

async function main(): Promise<void> {
  // auto (default): measure the two-thread pool and the single-thread SIMD path, report the faster one
  // (on a busy machine the second core is often taken and one thread wins).
  const known = ["--backend", "--batches", "--warmup"];
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    if (!known.includes(argv[i]) || argv[i + 1] === undefined || argv[i + 1].startsWith("--")) {
      throw new RangeError(`bench: expected --backend auto|parallel|simd|wasm|js, --batches N, --warmup N (each with a value), got ${argv.slice(i, i + 2).join(" ")}`);
    }
  }
  const backendName = arg("backend", "auto");
  if (!["auto", "parallel", "simd", "wasm", "js"].includes(backendName)) throw new RangeError(`bench: --backend must be auto, parallel, simd, wasm or js, got ${backendName}`);
  const batches = Number(arg("batches", "40"));
  const warmup = Number(arg("warmup", "5"));
  if (!(Number.isInteger(batches) && batches >= 1) || !(Number.isInteger(warmup) && warmup >= 0)) throw new RangeError(`bench: --batches must be a whole number ≥ 1 and --warmup ≥ 0, got ${batches} and ${warmup}`);
  const names = backendName === "auto" ? ["parallel", "simd"] : [backendName];
  const results: BenchResult[] = [];
  for (const n of names) {
    const r = await runOnce(n, batches, warmup);
    results.push(r);
    for (const line of r.lines) console.log(line);
  }
  const best = results.reduce((a, b) => (b.samplesPerS > a.samplesPerS ? b : a));
  console.log(`bnn_train_samples_per_s=${best.samplesPerS.toFixed(0)}`);
  console.log(`peak_rss_mb=${best.peakRssMb.toFixed(0)}`);
  console.log(`# reached with: ${best.backend}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
