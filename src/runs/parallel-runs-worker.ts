/**
 * Worker-thread entry for {@link runJobs} (src/runs/parallel-runs.ts): receives jobs one at a time,
 * runs each with {@link executeJob}, posts the result back. Loaded through tsx's CommonJS hook.
 */
import { executeJob, type Job, type JobResult } from "./task-sequence-jobs";
import { jsMatMul, type MatMulBackend } from "../nn/matmul";
import { wasmMatMul } from "../nn/wasm-backend";
import { createParallelPool } from "../nn/parallel";
import { serveJobs } from "../util/worker-jobs";

interface Init {
  backend: "js" | "wasm" | "simd";
  checkpointDir?: string;
  finishedRunsDir?: string;
}

serveJobs<Job, JobResult, { init: Init; backend: MatMulBackend }>(
  async (data) => {
    const init = data as Init;
    return { init, backend: init.backend === "js" ? jsMatMul : await wasmMatMul() };
  },
  async (job, { init, backend }) => {
    if (init.backend !== "simd") return executeJob(job, { backend, checkpointDir: init.checkpointDir, finishedRunsDir: init.finishedRunsDir });
    // A fresh single-thread SIMD accelerator per run (its arena is a bump allocator sized for one network).
    const pool = await createParallelPool({ threads: 1 });
    try {
      return executeJob(job, { accelerator: pool, checkpointDir: init.checkpointDir, finishedRunsDir: init.finishedRunsDir });
    } finally {
      await pool.close();
    }
  },
);
