/**
 * Runs the full-mode (paper-scale) jobs of notebook 02, 06 or 07 outside Jupyter, over worker threads. For 06
 * and 07 a checkpoint is written after every epoch in the same folder the notebook uses; for 02 (two-task
 * runs of a few minutes each) every finished run is stored in .checkpoints/02-mtt-transfer. Stop it any time (Ctrl-C) and start it
 * again: each run resumes bit-identically where its last checkpoint left it. When every run is complete,
 * executing the notebook in full mode (IMC_MODE=full) reads the finished checkpoints instead of training.
 *
 * Usage: npx tsx scripts/run-parallel-full.ts 02|06|07 [--backend pool|wasm] [--workers N] [--only <label prefix>]
 * (02 ignores --backend and --only: its runs use tfjs-wasm on two worker threads, as the notebook does.)
 * The notebooks' full mode uses --backend pool (the default here): one run at a time on the engine's
 * two-thread pool, about twice the throughput of two single-threaded workers on the 784×1000×500×10 network
 * (its SIMD optimizer). The checkpoint key includes the backend path, so keep the default to share them.
 * `--only <prefix>` picks runs by label (e.g. `--only table-s3`), so two processes can share the work; a run
 * being trained by another live process stops this one with a message (a lock file next to its checkpoint).
 * Prints one line per finished run: label, wall time here, training time in all, final accuracy.
 */
import { runJobs } from "../src/experiments/parallel-runs";
import { CONTINUAL_LARGE_FULL, continualLargeJobs } from "../src/experiments/continual-large";
import { STREAM_LEARNING_FULL, streamLearningJobs } from "../src/experiments/stream-learning";
import { MTT_CONTINUAL_FULL, MTT_CONTINUAL_CACHE_DIR, runSweeps, specKey } from "../src/experiments/mtt-continual";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const which = process.argv[2];
  if (which === "02") return runMttSweeps();
  if (which !== "06" && which !== "07") throw new RangeError(`first argument must be 02, 06 or 07, got ${String(which)}`);
  const all = which === "06" ? continualLargeJobs(CONTINUAL_LARGE_FULL) : streamLearningJobs(STREAM_LEARNING_FULL);
  const only = arg("only");
  const jobs = only ? all.filter((j) => j.label.startsWith(only)) : all;
  const checkpointDir = which === "06" ? ".checkpoints/06-continual-large" : ".checkpoints/07-stream-learning";
  const t0 = Date.now();
  console.log(`# ${jobs.length} full-mode runs of notebook ${which}, checkpoints in ${checkpointDir}`);
  await runJobs(jobs, {
    workers: arg("workers") ? Number(arg("workers")) : undefined,
    backend: (arg("backend") ?? "pool") as "pool" | "wasm",
    checkpointDir,
    onResult: (r, done, total) => {
      const rows = r.result.rows;
      const last = rows[rows.length - 1];
      const trained = r.result.trainingSeconds === null ? "training time not recorded" : `${r.result.trainingSeconds.toFixed(0)} s of training in all`;
      console.log(`${done}/${total} ${r.label}: ${r.wallS.toFixed(0)} s here${r.result.resumedAfter !== null ? ` (resumed after epoch ${r.result.resumedAfter})` : ""}, ${trained}, last ${last.eval} ${(100 * last.accuracy).toFixed(2)} %`);
    },
  });
  console.log(`# all done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

/** Notebook 02's full-mode network sweeps: every finished two-task run is stored, so a restart skips it. */
async function runMttSweeps(): Promise<void> {
  const workers = arg("workers") ? Number(arg("workers")) : undefined;
  console.log(`# full-mode network sweeps of notebook 02, finished runs stored in ${MTT_CONTINUAL_CACHE_DIR}`);
  const t0 = Date.now();
  await runSweeps(MTT_CONTINUAL_FULL, {
    workers,
    cacheDir: MTT_CONTINUAL_CACHE_DIR,
    onResult: (r, done, total) => console.log(`${done}/${total} ${specKey(r.spec)} seed ${r.seed}: task A ${(100 * r.aAfterA).toFixed(1)} % → ${(100 * r.aAfterB).toFixed(1)} % after B, task B ${(100 * r.b).toFixed(1)} %, ${r.wallS.toFixed(0)} s`),
  });
  console.log(`# all done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
