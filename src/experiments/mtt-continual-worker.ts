/**
 * Worker-thread entry for {@link runRetentionJobs} (src/experiments/mtt-continual.ts): receives two-task
 * jobs one at a time, runs each with {@link runRetentionJob}, posts the result back. Loaded through tsx's
 * CommonJS hook.
 */
import { runRetentionJob, type RetentionJob } from "./mtt-continual";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";
import { serveJobs } from "../util/worker-jobs";

serveJobs<RetentionJob, ReturnType<typeof runRetentionJob>, MatMulBackend>(
  async (data) => ((data as { backend: "js" | "wasm" }).backend === "wasm" ? await wasmMatMul() : jsMatMul),
  (job, backend) => runRetentionJob(job, backend),
);
