/**
 * Runs the full-mode (paper-scale) jobs of notebook 02, 06 or 07 outside Jupyter, over worker threads. For 06
 * and 07 a checkpoint is written after every epoch in the same folder the notebook uses, and each completed run's
 * result is written as a finished-run record into figures/<notebook>/full/runs/ (commit those: they carry the
 * finished runs to the next session or machine, where the untracked checkpoints are gone); for 02 (two-task
 * runs of a few minutes each, no checkpoints) every finished run's result is stored in figures/02-mtt-transfer/full/runs/
 * (commit those too). Stop it any time (Ctrl-C) and start it again: each run of 06 and 07 resumes bit-identically
 * where its last checkpoint left it (a run of 02 starts again). When every run is complete, executing the notebook
 * in full mode (IMC_MODE=full) reads the finished runs instead of training.
 * 02 also writes, once all its runs are finished, figures/02-mtt-transfer/section10-full-mode-runs.jsonl (one
 * result per line in plan order, src/experiments/mtt-continual-runs.ts), which quick-mode notebook 02 reads.
 *
 * Options: `--help` prints them (USAGE, scripts/run-parallel-full-args.ts, which parses them strictly: a mistyped
 * option, a value option without its value, or an --only that picks no run stops the script before it trains or
 * writes anything). 02 ignores --backend and --only: its runs use tfjs-wasm on two worker threads, as the notebook does.
 * The storage folders are resolved against the project root, so the script finds the same runs from any directory.
 * The notebooks' full mode uses --backend pool (the default here): one run at a time on the engine's two-thread
 * pool (its SIMD optimizer). Two `--backend simd --workers 1` processes side by side train more per hour (README)
 * and share its checkpoints: fully connected runs have the same key and bit-identical results on one or two threads.
 * `--backend wasm` computes on another path, with checkpoint keys of its own.
 * `--only <prefix>` picks runs by label (e.g. `--only table-s3`), so two processes can share the work. A run
 * another live process is training (a lock file next to its checkpoint) is skipped with a line saying so, and the
 * process goes on to the next run; the closing line lists the skipped runs. That holds when this process trains one
 * run at a time (`--backend pool` on fully connected runs, or `--backend simd --workers 1`); with worker threads
 * (07's convolutional runs, `--workers 2`) a busy run stops the process with the message instead.
 * Prints one line per finished run: label, wall time here, training time in all, final accuracy. 06's runs go in
 * `trainingOrder` (continual-large.ts): the one-run panels first, Fig 7c's further seeds last.
 *
 * `--status` trains nothing. For 02 it lists which runs of the plan have a stored result, with its accuracies. For 06
 * and 07 it reads every run's checkpoint and prints how far each has got (epochs, training time, the test accuracy
 * of every task at the latest evaluation, whether a process holds its lock), the checkpoint files no present run owns,
 * and the training time still to go, estimated from the fastest and the slowest seconds per training sample of the
 * runs of the same kind (fully connected or convolutional) that have recorded times (a run that shared the two cores
 * with other work is slower, so one pooled rate would mislead).
 * `--status --prune` also deletes those orphan checkpoints (files of older settings; a file that a run of the
 * present settings owns on either compute path, pool or wasm, is never an orphan, and neither is one a live
 * process holds).
 */
import * as fs from "fs";
import * as path from "path";
import { oneRunAtATimeBackend, runJobs, runJobsSkippingBusy } from "../src/runs/parallel-runs";
import { orphanCheckpoints } from "../src/nn/checkpoint";
import { runLockHolder } from "../src/util/run-lock";
import { jobProgress, type Job, type JobResult } from "../src/runs/task-sequence-jobs";
import { CONTINUAL_LARGE_FULL, continualLargeFullStorage, continualLargeJobs, trainingOrder } from "../src/experiments/continual-large";
import { STREAM_LEARNING_FULL, streamLearningFullStorage, streamLearningJobs } from "../src/experiments/stream-learning";
import { loadRetentionResult, MTT_CONTINUAL_FULL, mttContinualFullRunsDir, runSweeps, specKey, sweepJobs } from "../src/experiments/mtt-continual";
import { MTT_CONTINUAL_FULL_RUNS_FILE, writeSweepRuns } from "../src/experiments/mtt-continual-runs";
import { parseFullRunArgs, selectRuns, USAGE, UsageError, type FullBackend } from "./run-parallel-full-args";

/** A folder as the user can type it from here (the storage folders are absolute: resolved against the project root). */
const shown = (dir: string) => path.relative(process.cwd(), dir) || dir;

async function main(): Promise<void> {
  // Every command-line mistake (UsageError) is thrown here, before anything trains or writes.
  const args = parseFullRunArgs(process.argv.slice(2));
  if (args === null) {
    console.log(USAGE);
    return;
  }
  const { notebook: which, backend, workers, only, status, prune } = args;
  if (which === "02" && status) return printMttStatus();
  if (which === "02") return runMttSweeps(workers);
  const all = which === "06" ? trainingOrder(continualLargeJobs(CONTINUAL_LARGE_FULL)) : streamLearningJobs(STREAM_LEARNING_FULL);
  const jobs = selectRuns(all, only, which);
  const { checkpointDir, finishedRunsDir } = which === "06" ? continualLargeFullStorage() : streamLearningFullStorage();
  if (status) return printStatus(jobs, checkpointDir, finishedRunsDir, backend, prune, only === undefined);
  const t0 = Date.now();
  console.log(`# ${jobs.length} full-mode runs of notebook ${which}, checkpoints in ${shown(checkpointDir)}, finished runs recorded in ${shown(finishedRunsDir)} (commit them)`);
  const onResult = (r: JobResult, done: number, total: number) => {
    const rows = r.result.rows;
    const last = rows[rows.length - 1];
    const trained = r.result.trainingSeconds === null ? "training time not recorded" : `${r.result.trainingSeconds.toFixed(0)} s of training in all`;
    console.log(`${done}/${total} ${r.label}: ${r.wallS.toFixed(0)} s here${r.result.resumedAfter !== null ? ` (resumed after epoch ${r.result.resumedAfter})` : ""}, ${trained}, last ${last.eval} ${(100 * last.accuracy).toFixed(2)} %`);
  };
  const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  // When this process trains one run at a time (oneRunAtATimeBackend), a run another process is training is
  // skipped, not a reason to stop.
  const serial = oneRunAtATimeBackend(jobs, backend, workers);
  if (serial !== null) {
    const { busy } = await runJobsSkippingBusy(jobs, {
      backend: serial,
      checkpointDir,
      finishedRunsDir,
      onResult,
      onBusy: (b) => console.log(`skipped ${b.label}: being trained by process ${b.pid}`),
    });
    if (busy.length === 0) console.log(`# all done in ${elapsed()}`);
    else console.log(`# done in ${elapsed()} except ${busy.length} run(s) other processes were training: ${busy.map((b) => b.label).join(", ")} (run again to pick up any they did not finish)`);
    return;
  }
  await runJobs(jobs, { workers, backend, checkpointDir, finishedRunsDir, onResult });
  console.log(`# all done in ${elapsed()}`);
}

function duration(s: number): string {
  return s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(0)} min` : `${s.toFixed(0)} s`;
}

/** One line per run from its checkpoint, then the training time still to go per kind of run. */
function printStatus(jobs: Job[], checkpointDir: string, finishedRunsDir: string, backend: FullBackend, prune: boolean, allRuns: boolean): void {
  const kind = (j: Job) => (j.run.architecture !== undefined ? "convolutional" : "fully connected");
  // Per kind: samples left, and the fastest and slowest recorded rate (s per training sample) of any run.
  const byKind = new Map<string, { fastest: number; slowest: number; leftSamples: number }>();
  let done = 0;
  let started = 0;
  const owned: string[] = [];
  console.log(`# ${jobs.length} full-mode runs, checkpoints in ${shown(checkpointDir)}`);
  for (const j of jobs) {
    const p = jobProgress(j, checkpointDir, backend, finishedRunsDir);
    owned.push(...p.ownFiles);
    const k = byKind.get(kind(j)) ?? { fastest: Infinity, slowest: 0, leftSamples: 0 };
    byKind.set(kind(j), k);
    if (p.trainingSeconds !== null && p.samplesDone > 0) {
      const rate = p.trainingSeconds / p.samplesDone;
      k.fastest = Math.min(k.fastest, rate);
      k.slowest = Math.max(k.slowest, rate);
    }
    k.leftSamples += p.samplesTotal - p.samplesDone;
    if (p.epochsDone === p.totalEpochs) done++;
    else if (p.epochsDone > 0) started++;
    // Every task evaluated at the latest evaluated epoch (for a finished continual run: its final accuracies).
    const lastEpoch = p.rows.length ? p.rows[p.rows.length - 1].globalEpoch : 0;
    const latest = p.rows.filter((r) => r.globalEpoch === lastEpoch).map((r) => `${r.eval} ${(100 * r.accuracy).toFixed(2)}`).join(", ");
    const time = p.trainingSeconds === null ? "time not recorded" : `${duration(p.trainingSeconds)} of training`;
    const state = p.epochsDone === p.totalEpochs ? "done" : p.epochsDone === 0 ? "not started" : `epoch ${p.epochsDone} of ${p.totalEpochs}`;
    console.log(`${j.label}: ${state}${p.epochsDone > 0 ? `, ${time}${latest ? `, test accuracy after epoch ${lastEpoch}: ${latest} %` : ""}` : ""}${p.lockedBy !== null ? ` [being trained by process ${p.lockedBy}]` : ""}`);
  }
  console.log(`# ${done} done, ${started} part-way, ${jobs.length - done - started} not started`);
  if (allRuns) {
    const orphans = orphanCheckpoints(checkpointDir, owned);
    if (orphans.length > 0) {
      console.log(`# ${orphans.length} checkpoint file${orphans.length > 1 ? "s" : ""} in the folder belong${orphans.length > 1 ? "" : "s"} to no run of the present settings (older settings): ${orphans.join(", ")}${prune ? "" : " (--status --prune deletes them)"}`);
      if (prune) pruneOrphans(checkpointDir, orphans);
    }
  }
  for (const [name, k] of byKind) {
    if (k.leftSamples === 0) continue;
    const ms = (rate: number) => (1e3 * rate).toFixed(2);
    const estimate = k.slowest === 0 ? "no recorded run to estimate the time from"
      : k.slowest - k.fastest < 0.05 * k.slowest ? `about ${duration(k.leftSamples * k.slowest)} of training to go on this machine (${ms(k.slowest)} ms per training sample, evaluation included, from the recorded runs)`
      : `${duration(k.leftSamples * k.fastest)} to ${duration(k.leftSamples * k.slowest)} of training to go on this machine (${ms(k.fastest)} to ${ms(k.slowest)} ms per training sample, evaluation included, over the recorded runs: runs that shared the cores with other work are the slow ones)`;
    console.log(`# ${name} runs: ${(k.leftSamples / 1e6).toFixed(2)} M training samples left, ${estimate}`);
  }
}

/** Delete orphan checkpoint files (and their stale lock files); a file a live process holds is kept. */
function pruneOrphans(checkpointDir: string, orphans: string[]): void {
  for (const f of orphans) {
    const file = path.join(checkpointDir, f);
    const holder = runLockHolder(file);
    if (holder !== null) {
      console.log(`# kept ${f}: process ${holder} holds it`);
      continue;
    }
    const mb = fs.statSync(file).size / 1e6;
    fs.rmSync(file);
    fs.rmSync(`${file}.lock`, { force: true });
    console.log(`# deleted ${f} (${mb.toFixed(1)} MB)`);
  }
}

/** Notebook 02: which runs of the full plan have a stored result (02's runs have no checkpoints: stored or not). */
function printMttStatus(): void {
  const dir = mttContinualFullRunsDir();
  const jobs = sweepJobs(MTT_CONTINUAL_FULL);
  console.log(`# ${jobs.length} full-mode runs of notebook 02, finished runs stored in ${shown(dir)}`);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  let stored = 0;
  for (const job of jobs) {
    const r = loadRetentionResult(dir, job);
    if (r !== null) stored++;
    console.log(`${specKey(job.spec)} seed ${job.seed}: ${r === null ? "not stored" : `stored, task A ${pct(r.aAfterA)} → ${pct(r.aAfterB)} after B, task B ${pct(r.b)}`}`);
  }
  const left = jobs.length - stored;
  console.log(`# ${stored} stored, ${left} to train${left > 0 ? " (scripts/run-parallel-full.ts 02 trains them, a few minutes each)" : ""}`);
}

/** Notebook 02's full-mode network sweeps: every finished two-task run is stored, so a restart skips it. */
async function runMttSweeps(workers: number | undefined): Promise<void> {
  const dir = mttContinualFullRunsDir();
  console.log(`# full-mode network sweeps of notebook 02, finished runs stored in ${shown(dir)} (commit them)`);
  const t0 = Date.now();
  const { results } = await runSweeps(MTT_CONTINUAL_FULL, {
    workers,
    cacheDir: dir,
    onResult: (r, done, total) => console.log(`${done}/${total} ${specKey(r.spec)} seed ${r.seed}: task A ${(100 * r.aAfterA).toFixed(1)} % → ${(100 * r.aAfterB).toFixed(1)} % after B, task B ${(100 * r.b).toFixed(1)} %, ${r.wallS.toFixed(0)} s`),
  });
  console.log(`# all done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  // runSweeps returns only when every run is finished (stored or trained), so the export holds the whole plan.
  const file = writeSweepRuns(results, MTT_CONTINUAL_FULL_RUNS_FILE, MTT_CONTINUAL_FULL);
  console.log(`# wrote the ${[...results.values()].reduce((s, rs) => s + rs.length, 0)} runs, one JSON line each in plan order, to ${path.relative(process.cwd(), file) || file} (commit it: quick-mode notebook 02 reads it)`);
}

main().catch((e) => {
  console.error(e instanceof UsageError ? `run-parallel-full: ${e.message}\n${USAGE}` : e instanceof Error ? e.message : e);
  process.exit(1);
});
