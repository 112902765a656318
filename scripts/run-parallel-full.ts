/**
 * Runs the full-mode (paper-scale) jobs of notebook 06 or 07 outside Jupyter, over worker threads, with a
 * checkpoint after every epoch in the same folder the notebook uses. Stop it any time (Ctrl-C) and start it
 * again: each run resumes bit-identically where its last checkpoint left it. When every run is complete,
 * executing the notebook in full mode (IMC_MODE=full) reads the finished checkpoints instead of training.
 *
 * Usage: npx tsx scripts/run-parallel-full.ts 06|07 [--backend pool|wasm] [--workers N] [--only <label prefix>]
 * The notebooks' full mode uses --backend pool (the default here): one run at a time on the engine's
 * two-thread pool, about twice the throughput of two single-threaded workers on the 784×1000×500×10 network
 * (its SIMD optimizer). The checkpoint key includes the backend path, so keep the default to share them.
 * Prints one line per finished run: label, wall time, final accuracy of the last evaluation.
 */
import { runJobs } from "../src/experiments/parallel-runs";
import { CONTINUAL_LARGE_FULL, continualLargeJobs } from "../src/experiments/continual-large";
import { STREAM_LEARNING_FULL, streamLearningJobs } from "../src/experiments/stream-learning";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const which = process.argv[2];
  if (which !== "06" && which !== "07") throw new RangeError(`first argument must be 06 or 07, got ${String(which)}`);
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
      console.log(`${done}/${total} ${r.label}: ${r.wallS.toFixed(0)} s${r.result.resumedAfter !== null ? ` (resumed after epoch ${r.result.resumedAfter})` : ""}, last ${last.eval} ${(100 * last.accuracy).toFixed(2)} %`);
    },
  });
  console.log(`# all done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
