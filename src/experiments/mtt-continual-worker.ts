/**
 * Worker-thread entry for {@link runRetentionJobs} (src/experiments/mtt-continual.ts): receives two-task
 * jobs one at a time, runs each with {@link runRetentionJob}, posts the result back. Loaded through tsx's
 * CommonJS hook.
 */
import { parentPort, workerData } from "worker_threads";
import { runRetentionJob, type RetentionJob } from "./mtt-continual";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error("mtt-continual-worker.ts must run as a worker thread");
  const init = workerData as { backend: "js" | "wasm" };
  const backend: MatMulBackend = init.backend === "wasm" ? await wasmMatMul() : jsMatMul;
  port.on("message", (msg: { index: number; job: RetentionJob } | { stop: true }) => {
    if ("stop" in msg) {
      port.close();
      return;
    }
    try {
      port.postMessage({ index: msg.index, result: runRetentionJob(msg.job, backend) });
    } catch (e) {
      port.postMessage({ index: msg.index, error: (e as Error).stack ?? String(e) });
    }
  });
  port.postMessage({ ready: true });
}

main().catch((e) => {
  parentPort?.postMessage({ index: -1, error: (e as Error).stack ?? String(e) });
});
