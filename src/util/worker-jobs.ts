/**
 * Independent jobs spread over worker threads (seeds, sweep points): the parent feeds one job at a time to
 * each worker as it becomes free and collects results in job order; a worker runs a handler per job. Both
 * sides speak one protocol: worker → parent `{ ready }`, `{ index, result }` or `{ index, error }`;
 * parent → worker `{ index, job }` or `{ stop }`. Workers run TypeScript through tsx's CommonJS hook.
 */
import * as path from "path";
import { Worker, parentPort, workerData } from "worker_threads";
import { requireInteger } from "./validate";

export interface WorkerJobsOptions<J, R> {
  /** Project root (to resolve tsx) and the worker's entry file, relative to it. */
  root: string;
  entry: string;
  jobs: J[];
  workers: number;
  /** Passed to every worker as `workerData`. */
  workerData?: unknown;
  /** A label for job `index` in error messages. */
  describe?: (index: number) => string;
  /** Called as each result arrives (completion order); `index` is the job's position in `jobs`. */
  onResult?: (result: R, done: number, total: number, index: number) => void;
}

/** Run `jobs` on `workers` threads started from `entry`; resolves with the results in job order. */
export function runJobsInWorkers<J, R>(o: WorkerJobsOptions<J, R>): Promise<R[]> {
  requireInteger("workers", o.workers, 1);
  const results: R[] = new Array(o.jobs.length);
  if (o.jobs.length === 0) return Promise.resolve(results);
  const tsxHook = require.resolve("tsx/cjs", { paths: [o.root] });
  const code = `require(${JSON.stringify(tsxHook)}); require(${JSON.stringify(path.join(o.root, o.entry))});`;
  const count = Math.min(o.workers, o.jobs.length);
  let next = 0;
  let done = 0;
  return new Promise<R[]>((resolve, reject) => {
    let alive = count;
    let failed = false;
    const pool: Worker[] = [];
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      pool.forEach((p) => void p.terminate());
      reject(e);
    };
    const feed = (w: Worker) => {
      if (failed) return;
      if (next < o.jobs.length) {
        const index = next++;
        w.postMessage({ index, job: o.jobs[index] });
        return;
      }
      w.postMessage({ stop: true });
      if (--alive === 0) resolve(results);
    };
    for (let k = 0; k < count; k++) {
      const w = new Worker(code, { eval: true, workerData: o.workerData });
      pool.push(w);
      w.on("message", (msg: { ready?: boolean; index?: number; result?: R; error?: string }) => {
        if (msg.ready) return feed(w);
        if (msg.error !== undefined) {
          const what = msg.index !== undefined && msg.index >= 0 ? `job ${msg.index}${o.describe ? ` (${o.describe(msg.index)})` : ""}` : "worker start-up";
          return fail(new Error(`${what} failed in a worker: ${msg.error}`));
        }
        results[msg.index!] = msg.result!;
        o.onResult?.(msg.result!, ++done, o.jobs.length, msg.index!);
        feed(w);
      });
      w.on("error", fail);
    }
  });
}

/**
 * The worker side: prepare once (`setup`, e.g. load a backend), then answer every job with `handle`.
 * Call it as the whole body of a worker entry file.
 */
export function serveJobs<J, R, C>(setup: (data: unknown) => Promise<C> | C, handle: (job: J, context: C) => Promise<R> | R): void {
  const port = parentPort;
  if (!port) throw new Error("serveJobs must run in a worker thread");
  (async () => {
    const context = await setup(workerData);
    port.on("message", async (msg: { index: number; job: J } | { stop: true }) => {
      if ("stop" in msg) {
        port.close();
        return;
      }
      try {
        port.postMessage({ index: msg.index, result: await handle(msg.job, context) });
      } catch (e) {
        port.postMessage({ index: msg.index, error: (e as Error).stack ?? String(e) });
      }
    });
    port.postMessage({ ready: true });
  })().catch((e) => port.postMessage({ index: -1, error: (e as Error).stack ?? String(e) }));
}
