/**
 * Worker-thread entry for {@link runJobs} (src/experiments/parallel-runs.ts): receives jobs one at a time,
 * runs each with {@link executeJob}, posts the result back. Loaded through tsx's CommonJS hook.
 */
import { parentPort, workerData } from "worker_threads";
import { executeJob, type Job } from "./task-sequence-jobs";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";
import { createParallelPool } from "../nn/parallel";

interface Init {
  backend: "js" | "wasm" | "simd";
  checkpointDir?: string;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("parallel-worker.ts must run as a worker thread");
  const init = workerData as Init;
  const backend: MatMulBackend = init.backend === "js" ? jsMatMul : await wasmMatMul();
  port.on("message", async (msg: { index: number; job: Job } | { stop: true }) => {
    if ("stop" in msg) {
      port.close();
      return;
    }
    try {
      let result;
      if (init.backend === "simd") {
        // A fresh single-thread SIMD accelerator per run (its arena is a bump allocator sized for one network).
        const pool = await createParallelPool({ threads: 1 });
        try {
          result = executeJob(msg.job, { accelerator: pool, checkpointDir: init.checkpointDir });
        } finally {
          await pool.close();
        }
      } else result = executeJob(msg.job, { backend, checkpointDir: init.checkpointDir });
      port.postMessage({ index: msg.index, result });
    } catch (e) {
      port.postMessage({ index: msg.index, error: (e as Error).stack ?? String(e) });
    }
  });
  port.postMessage({ ready: true });
}

main().catch((e) => {
  parentPort?.postMessage({ index: -1, error: (e as Error).stack ?? String(e) });
});
