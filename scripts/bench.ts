/**
 * Training-speed benchmark of the metaplastic BNN engine: 784-1000-500-10, batch 100, Fashion-MNIST,
 * 3-bit hidden weights, ideal sign, m = 12, lr 0.005. Prints one line
 *   bnn_train_samples_per_s=<N>
 * (steady state: timed after warm-up batches), the peak resident memory, and where the time goes.
 *
 * Usage: npm run bench [-- --backend parallel|wasm|js] [--batches N] [--warmup N]
 *   parallel (default): tfjs-wasm products and the Adam step split over the main thread and one worker
 *   wasm: tfjs-wasm products on the main thread only;  js: plain JavaScript loops
 * The machine's cores are shared: run `uptime` first and compare numbers only on a quiet machine.
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

async function main(): Promise<void> {
  const backendName = arg("backend", "parallel");
  const batches = Number(arg("batches", "40"));
  const warmup = Number(arg("warmup", "5"));
  const batchSize = 100;
  const pool = backendName === "parallel" ? await createParallelPool() : null;
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
  const perSample = total / (times.length * batchSize);
  const samplesPerS = 1000 / perSample;
  const split = report(false);
  console.log(`# backend=${backend.name} batch=${batchSize} timed_batches=${times.length} cores=${os.cpus().length} loadavg=${os.loadavg().map((v) => v.toFixed(2)).join(",")}`);
  console.log(`bnn_train_samples_per_s=${samplesPerS.toFixed(0)}`);
  console.log(`peak_rss_mb=${(peakRss / 2 ** 20).toFixed(0)}`);
  // CPU time of this process (all threads): on a shared machine, samples per CPU-second per thread used
  // estimates the uncontended rate.
  console.log(`# cpu_s=${cpuS.toFixed(2)} wall_s=${(total / 1000).toFixed(2)} samples_per_cpu_s=${((times.length * batchSize) / cpuS).toFixed(0)}`);
  // On a shared machine the fastest batches are the least disturbed ones: report the fastest decile too.
  const sorted = [...times].sort((a, b) => a - b);
  const decile = sorted.slice(0, Math.max(1, Math.floor(sorted.length / 10)));
  const fast = decile.reduce((a, b) => a + b, 0) / decile.length;
  console.log(`# fastest-decile batch ${fast.toFixed(1)} ms = ${((1000 * batchSize) / fast).toFixed(0)} samples/s; median batch ${sorted[sorted.length >> 1].toFixed(1)} ms`);
  await pool?.close();
  const per = (v: number) => (v / times.length).toFixed(1);
  const ph = trainer.phaseMs;
  console.log(`# ms per batch: total ${per(total)} = binarize ${per(ph.binarize)} + forward ${per(ph.forward)} + backward ${per(ph.backward)} + optimizer ${per(ph.optimizer)} + rest ${per(total - ph.binarize - ph.forward - ph.backward - ph.optimizer)}; of which matrix products ${per(split.matmulMs)} (${split.calls / times.length} calls)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
