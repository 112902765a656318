/**
 * Worker-thread entry for {@link runJobs} (src/experiments/parallel-runs.ts): receives jobs one at a time,
 * runs each with {@link executeJob}, posts the result back. Loaded through tsx's CommonJS hook.
 */
import { parentPort, workerData } from "worker_threads";
import { executeJob, type Job } from "./task-sequence-jobs";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";

interface Init {
  backend: "js" | "wasm";
  checkpointDir?: string;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("parallel-worker.ts must run as a worker thread");
  const init = workerData as Init;
  const backend: MatMulBackend = init.backend === "wasm" ? await wasmMatMul() : jsMatMul;
  port.on("message", (msg: { index: number; job: Job } | { stop: true }) => {
    if ("stop" in msg) {
      port.close();
      return;
    }
    try {
      const result = executeJob(msg.job, { backend, checkpointDir: init.checkpointDir });
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
