/**
 * Training-speed benchmark of the metaplastic BNN engine: 784-1000-500-10, batch 100, Fashion-MNIST,
 * 3-bit hidden weights, ideal sign, m = 12, lr 0.005. Prints one line
 *   bnn_train_samples_per_s=<N>
 * (steady state: timed after warm-up batches), the peak resident memory, and where the time goes.
 *
 * Usage: npm run bench [-- --backend js|wasm] [--batches N] [--warmup N] [--workers N]
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
import { profiled } from "../src/nn/profile";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const backendName = arg("backend", "wasm");
  const batches = Number(arg("batches", "40"));
  const warmup = Number(arg("warmup", "5"));
  const batchSize = 100;
  const base: MatMulBackend = backendName === "js" ? jsMatMul : await wasmMatMul();
  const { backend, report } = profiled(base);
  const data = loadFashionMnist("train", (batches + warmup) * batchSize);
  const rng = createRng("bench");
  const net = createNetwork({ layerSizes: [784, 1000, 500, 10], transfer: idealSign, hiddenBits: 3 }, rng);
  const trainer = new Trainer(net, { lr: 0.005, meta: 12, backend });
  trainer.startTask(0);
  let peakRss = process.memoryUsage().rss;
  const times: number[] = [];
  let t0 = performance.now();
  let last = t0;
  // One "epoch" over (warmup + batches) batches, timing each optimizer step.
  trainer.trainEpoch(data, batchSize, 0, rng.fork("epoch"), ({ batch }) => {
    const now = performance.now();
    if (batch >= warmup) times.push(now - last);
    if (batch === warmup - 1) report(true);
    last = now;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  const total = times.reduce((a, b) => a + b, 0);
  const perSample = total / (times.length * batchSize);
  const samplesPerS = 1000 / perSample;
  const split = report(false);
  console.log(`# backend=${backend.name} batch=${batchSize} timed_batches=${times.length} cores=${os.cpus().length} loadavg=${os.loadavg().map((v) => v.toFixed(2)).join(",")}`);
  console.log(`bnn_train_samples_per_s=${samplesPerS.toFixed(0)}`);
  console.log(`peak_rss_mb=${(peakRss / 2 ** 20).toFixed(0)}`);
  console.log(`# ms per batch: total ${(total / times.length).toFixed(1)}, matmul ${(split.matmulMs / times.length).toFixed(1)} (${split.calls / times.length} calls), other ${((total - split.matmulMs) / times.length).toFixed(1)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
