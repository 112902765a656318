import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRng } from "../src/util/rng";
import { makeDataset, type Dataset } from "../src/nn/datasets/dataset";
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, loadCheckpoint, saveCheckpoint } from "../src/nn/checkpoint";
import { lockRun, processIdentity, runLockHolder, RunLockedError } from "../src/util/run-lock";
import { configKey } from "../src/util/json-key";
import { spawnSync } from "child_process";
import { createNetwork } from "../src/nn/network";
import { Trainer } from "../src/nn/train";
import { idealSign } from "../src/mtt/transfer-function";
import { createParallelPool } from "../src/nn/parallel";
import { HISTOGRAM_BINS, runSchedule, scheduleProgress, type EvalTarget, type NetworkRunConfig, type Phase } from "../src/runs/task-sequence-runner";
import { checkRecordedTransfer, FinishedRunError, loadFinishedRun, saveFinishedRun, TRANSFER_FUNCTIONS_FILE, TransferChangedError, transferSamples } from "../src/runs/finished-runs";
import { ecramMttTransfer } from "../src/mtt/network-transfer";

/** Two tiny 8-feature, 3-class tasks drawn from a seeded stream (class = argmax of a fixed projection). */
function tinyTask(name: string, seed: string, n: number): Dataset {
  const r = createRng(seed);
  const proj = Array.from({ length: 24 }, () => r.normal());
  const x = new Float32Array(n * 8);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = [0, 0, 0];
    for (let j = 0; j < 8; j++) {
      const v = r.uniform();
      x[i * 8 + j] = v;
      for (let c = 0; c < 3; c++) s[c] += v * proj[c * 8 + j];
    }
    y[i] = s.indexOf(Math.max(...s));
  }
  return makeDataset(name, x, y, 8, 3);
}

const cfg: NetworkRunConfig = { seed: "ckpt-test", layerSizes: [8, 16, 3], transfer: "sign", hiddenBits: 3, lr: 0.005, meta: 12, batchSize: 20, programmingNoiseRel: 0.05, evalEvery: 1 };
const A = tinyTask("A", "task-A", 200);
const B = tinyTask("B", "task-B", 200);
const phases: Phase[] = [
  { name: "A", train: A, bnTask: 0, epochs: 3 },
  { name: "B", train: B, bnTask: 1, epochs: 3 },
];
const evals: EvalTarget[] = [
  { name: "A", data: A, bnTask: 0, fromPhase: 0 },
  { name: "B", data: B, bnTask: 1, fromPhase: 1 },
];

function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "imc-ckpt-"));
}

test("resume: stop after epoch k, resume from the checkpoint, bit-identical to an uninterrupted run", () => {
  const straight = runSchedule(cfg, phases, evals);
  assert.ok(straight.completed);
  // k = 2 stops inside task A; k = 3 stops exactly at the task boundary (Adam must reset on resume into B).
  for (const k of [2, 3, 4]) {
    const dir = tmpDir();
    const first = runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: k });
    assert.is(first.completed, false, `k=${k}: stopped early`);
    assert.is(Math.max(...first.rows.map((r) => r.globalEpoch)), k);
    const resumed = runSchedule(cfg, phases, evals, { checkpointDir: dir });
    assert.is(resumed.resumedAfter, k, `k=${k}: resumed after epoch ${k}`);
    assert.ok(resumed.completed);
    assert.equal(resumed.rows, straight.rows, `k=${k}: identical accuracy history`);
    assert.is(resumed.hiddenDigest, straight.hiddenDigest, `k=${k}: bit-identical hidden weights`);
    fs.rmSync(dir, { recursive: true });
  }
});

test("resume is bit-identical under every programming-error write model, and the model is part of the key", () => {
  for (const writes of ["level-change", "every-epoch"] as const) {
    const c: NetworkRunConfig = { ...cfg, programmingNoiseRel: 0.3, programmingErrorWrites: writes };
    const straight = runSchedule(c, phases, evals);
    const dir = tmpDir();
    runSchedule(c, phases, evals, { checkpointDir: dir, stopAfterEpochs: 2 });
    const resumed = runSchedule(c, phases, evals, { checkpointDir: dir });
    assert.is(resumed.resumedAfter, 2, writes);
    assert.equal(resumed.rows, straight.rows, `${writes}: identical accuracy history`);
    assert.is(resumed.hiddenDigest, straight.hiddenDigest, `${writes}: bit-identical hidden weights`);
    // The same σ under the default model is another run: it must not resume from this checkpoint.
    assert.is(runSchedule({ ...c, programmingErrorWrites: undefined }, phases, evals, { checkpointDir: dir, stopAfterEpochs: 1 }).resumedAfter, null, writes);
    fs.rmSync(dir, { recursive: true });
  }
});

test("training time is summed over the processes that worked on a run", () => {
  const dir = tmpDir();
  const first = runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 5 });
  assert.ok(first.trainingSeconds !== null && first.trainingSeconds > 0);
  // One epoch of six is left: the resumed process alone spends about a fifth of the first one's time.
  const resumed = runSchedule(cfg, phases, evals, { checkpointDir: dir });
  assert.ok(resumed.trainingSeconds !== null && resumed.trainingSeconds > first.trainingSeconds, `${resumed.trainingSeconds} s after resuming vs ${first.trainingSeconds} s before`);
  fs.rmSync(dir, { recursive: true });
});

test("resume on the engine's two-thread pool (the full-mode path) is bit-identical too", async () => {
  const pool = await createParallelPool({ arenaBytes: 16 * 2 ** 20 });
  try {
    const straight = runSchedule(cfg, phases, evals, { accelerator: pool });
    const dir = tmpDir();
    runSchedule(cfg, phases, evals, { accelerator: pool, checkpointDir: dir, stopAfterEpochs: 4 });
    const resumed = runSchedule(cfg, phases, evals, { accelerator: pool, checkpointDir: dir });
    assert.is(resumed.resumedAfter, 4);
    assert.equal(resumed.rows, straight.rows);
    assert.is(resumed.hiddenDigest, straight.hiddenDigest);
    // One and two threads give the same fully connected run, bit for bit (why its key ignores the thread count).
    const single = await createParallelPool({ threads: 1, arenaBytes: 16 * 2 ** 20 });
    try {
      const one = runSchedule(cfg, phases, evals, { accelerator: single });
      assert.equal(one.rows, straight.rows);
      assert.is(one.hiddenDigest, straight.hiddenDigest);
    } finally {
      await single.close();
    }
    // A serial run must not resume from the pool's checkpoint (different optimizer implementation).
    assert.is(runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 1 }).resumedAfter, null);
    fs.rmSync(dir, { recursive: true });
  } finally {
    await pool.close();
  }
});

/** A tiny 1×28×28 task for the convolutional path: class = which image half is brighter. */
function tinyImages(seed: string, n: number): Dataset {
  const r = createRng(seed);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = r.int(2);
    for (let p = 0; p < 784; p++) x[i * 784 + p] = r.uniform() * ((p < 392) === (y[i] === 0) ? 1 : 0.6);
  }
  return makeDataset("halves", x, y, 784, 2);
}

test("a convolutional run (architecture preset) resumes bit-identically too, and has its own key", async () => {
  const pool = await createParallelPool({ threads: 1, arenaBytes: 32 * 2 ** 20 });
  try {
    const conv: NetworkRunConfig = { ...cfg, architecture: "compact-cnn-28", batchSize: 10, meta: 10 };
    const images = tinyImages("conv-ckpt", 30);
    const ph: Phase[] = [
      { name: "s1", train: images, bnTask: 0, epochs: 2 },
      { name: "s2", train: images, bnTask: 0, epochs: 1 },
    ];
    const ev: EvalTarget[] = [{ name: "halves", data: images, bnTask: 0, fromPhase: 0 }];
    const straight = runSchedule(conv, ph, ev, { accelerator: pool });
    const dir = tmpDir();
    runSchedule(conv, ph, ev, { accelerator: pool, checkpointDir: dir, stopAfterEpochs: 2 });
    const resumed = runSchedule(conv, ph, ev, { accelerator: pool, checkpointDir: dir });
    assert.is(resumed.resumedAfter, 2);
    assert.equal(resumed.rows, straight.rows);
    assert.is(resumed.hiddenDigest, straight.hiddenDigest);
    // On the two-thread pool a convolutional run is another run (its products sum in another order): fresh start.
    const pool2 = await createParallelPool({ threads: 2, arenaBytes: 32 * 2 ** 20 });
    try {
      assert.is(runSchedule(conv, ph, ev, { accelerator: pool2, checkpointDir: dir, stopAfterEpochs: 1 }).resumedAfter, null);
    } finally {
      await pool2.close();
    }
    // Another architecture with otherwise equal settings is another run: it starts fresh.
    assert.is(runSchedule({ ...conv, architecture: "small-cnn-28" }, ph, ev, { accelerator: pool, checkpointDir: dir, stopAfterEpochs: 1 }).resumedAfter, null);
    fs.rmSync(dir, { recursive: true });
  } finally {
    await pool.close();
  }
  assert.throws(() => runSchedule({ ...cfg, architecture: "resnet" as never }, phases, evals), /architecture must be one of .*compact-cnn-28.*got "resnet"/);
});

test("a different configuration is a different run: it does not pick up another's checkpoint", () => {
  const dir = tmpDir();
  runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 2 });
  const other = runSchedule({ ...cfg, lr: 0.01 }, phases, evals, { checkpointDir: dir });
  assert.is(other.resumedAfter, null);
  fs.rmSync(dir, { recursive: true });
});

function smallSnapshot() {
  const net = createNetwork({ layerSizes: [4, 5, 2], transfer: idealSign, hiddenBits: 3, tasks: 2 }, createRng(7));
  const tr = new Trainer(net, { lr: 0.01, meta: 3 });
  return tr.snapshot();
}

test("encode/decode round trip preserves every array bit for bit and the progress record", () => {
  const s = smallSnapshot();
  s.adam.m[0][3] = 1.2345678e-7;
  s.adam.step = 17;
  const buf = encodeCheckpoint("k1", s, { phase: 1, note: "x" });
  const back = decodeCheckpoint<{ phase: number; note: string }>(buf, "mem", "k1");
  assert.equal(back.progress, { phase: 1, note: "x" });
  assert.is(back.snapshot.adam.step, 17);
  assert.equal(Array.from(back.snapshot.adam.m[0]), Array.from(s.adam.m[0]));
  assert.equal(back.snapshot.hidden.map((h) => Array.from(h)), s.hidden.map((h) => Array.from(h)));
  assert.equal(back.snapshot.bn.length, 2);
});

test("a corrupted checkpoint is refused with the reason, and the file is kept", () => {
  const dir = tmpDir();
  const file = path.join(dir, "run.ckpt");
  saveCheckpoint(file, "k1", smallSnapshot(), { phase: 0 });
  const good = fs.readFileSync(file);
  // One flipped bit in the payload.
  const flipped = Buffer.from(good);
  flipped[flipped.length - 40] ^= 0x01;
  fs.writeFileSync(file, flipped);
  assert.throws(() => loadCheckpoint(file, "k1"), (e: Error) => e instanceof CheckpointError && /checksum mismatch/.test(e.message) && e.message.includes(file));
  assert.ok(fs.existsSync(file), "corrupted file kept");
  // Truncation.
  fs.writeFileSync(file, good.subarray(0, good.length - 100));
  assert.throws(() => loadCheckpoint(file, "k1"), (e: Error) => e instanceof CheckpointError && /checksum|truncated/.test(e.message));
  // Not a checkpoint at all.
  fs.writeFileSync(file, Buffer.from("hello world, this is not a checkpoint file at all, no no no"));
  assert.throws(() => loadCheckpoint(file, "k1"), (e: Error) => e instanceof CheckpointError && /magic/.test(e.message));
  // Intact but from another configuration.
  fs.writeFileSync(file, good);
  assert.throws(() => loadCheckpoint(file, "other"), (e: Error) => e instanceof CheckpointError && /another configuration/.test(e.message));
  assert.ok(fs.existsSync(file));
  assert.is(loadCheckpoint(path.join(dir, "absent.ckpt"), "k1"), null);
  fs.rmSync(dir, { recursive: true });
});

test("runSchedule refuses to resume from a corrupted checkpoint (and leaves it in place)", () => {
  const dir = tmpDir();
  runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 1 });
  const [name] = fs.readdirSync(dir).filter((f) => f.endsWith(".ckpt"));
  const file = path.join(dir, name);
  const b = fs.readFileSync(file);
  b[20] ^= 0xff;
  fs.writeFileSync(file, b);
  assert.throws(() => runSchedule(cfg, phases, evals, { checkpointDir: dir }), /refused/);
  assert.ok(fs.existsSync(file));
  fs.rmSync(dir, { recursive: true });
});

test("a run is locked while a process trains it; a dead holder's lock is taken over; runSchedule releases it", () => {
  const dir = tmpDir();
  const file = path.join(dir, "run.ckpt");
  // A live other process (our parent) holds the lock: refused, with its pid in the message.
  fs.writeFileSync(`${file}.lock`, String(process.ppid));
  assert.throws(() => lockRun(file), (e: Error) => e instanceof RunLockedError && e.message.includes(String(process.ppid)));
  assert.is(runLockHolder(file), process.ppid);
  // The holder has exited: the lock file is stale (no holder), it is taken over, and release removes it.
  const gone = spawnSync(process.execPath, ["-e", ""]).pid!;
  fs.writeFileSync(`${file}.lock`, String(gone));
  assert.is(runLockHolder(file), null);
  const release = lockRun(file);
  // The lock names this process: its pid, then this boot's id and the process's start time from /proc.
  const [pid, identity] = fs.readFileSync(`${file}.lock`, "utf8").split(" ");
  assert.is(pid, String(process.pid));
  const bootId = fs.readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
  const stat = fs.readFileSync(`/proc/${process.pid}/stat`, "utf8");
  assert.is(identity, `${bootId}:${stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]}`);
  assert.equal(fs.readdirSync(dir), ["run.ckpt.lock"], "the staged copy of the lock is gone");
  release();
  assert.not.ok(fs.existsSync(`${file}.lock`));
  // A live pid that is not the process that wrote the lock (a pid reused after a reboot): the lock is stale. Our
  // parent's pid with another start time stands for it; with the parent's own identity the lock holds.
  const parentIdentity = processIdentity(process.ppid)!;
  fs.writeFileSync(`${file}.lock`, `${process.ppid} ${parentIdentity.replace(/:(\d+)$/, (_, t) => `:${Number(t) + 1}`)}`);
  assert.is(runLockHolder(file), null, "reused pid");
  lockRun(file)();
  fs.writeFileSync(`${file}.lock`, `${process.ppid} ${parentIdentity}`);
  assert.is(runLockHolder(file), process.ppid, "the same process");
  fs.rmSync(`${file}.lock`);
  // runSchedule leaves no lock behind, after a normal run and after a refused (corrupted) checkpoint.
  runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 1 });
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".lock")), []);
  const [ck] = fs.readdirSync(dir).filter((f) => f.endsWith(".ckpt") && f !== "run.ckpt");
  const b = fs.readFileSync(path.join(dir, ck));
  b[20] ^= 0xff;
  fs.writeFileSync(path.join(dir, ck), b);
  assert.throws(() => runSchedule(cfg, phases, evals, { checkpointDir: dir }), /refused/);
  assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith(".lock")), []);
  fs.rmSync(dir, { recursive: true });
});

test("progress is read from the checkpoint without training: nothing, part-way (epochs and samples), done", () => {
  const dir = tmpDir();
  const where = { accelerated: false };
  const none = scheduleProgress(cfg, phases, evals, dir, where);
  assert.equal([none.epochsDone, none.samplesDone, none.totalEpochs, none.samplesTotal, none.lockedBy], [0, 0, 6, 6 * 200, null]);
  // Stop after 4 epochs: task A's 3 and one of B's.
  const part = runSchedule(cfg, phases, evals, { checkpointDir: dir, stopAfterEpochs: 4 });
  const p4 = scheduleProgress(cfg, phases, evals, dir, where);
  assert.is(p4.file, none.file);
  assert.equal([p4.epochsDone, p4.samplesDone], [4, 4 * 200]);
  assert.equal(p4.rows, part.rows);
  assert.is(p4.trainingSeconds, part.trainingSeconds);
  // Another compute path has another key: its run has not started.
  assert.is(scheduleProgress(cfg, phases, evals, dir, { accelerated: true }).epochsDone, 0);
  runSchedule(cfg, phases, evals, { checkpointDir: dir });
  const p6 = scheduleProgress(cfg, phases, evals, dir, where);
  assert.equal([p6.epochsDone, p6.samplesDone], [6, 6 * 200]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("configKey ignores key order and sees every value", () => {
  assert.is(configKey({ a: 1, b: [1, 2] }), configKey({ b: [1, 2], a: 1 }));
  assert.is.not(configKey({ a: 1, b: [1, 2] }), configKey({ a: 1, b: [2, 1] }));
  // JSON writes NaN and ±Infinity as null and a Map as {}: such a configuration would share its key with another.
  for (const bad of [{ lr: NaN }, { epochs: [1, Infinity] }, { nested: { x: -Infinity } }, { m: new Map([[1, 2]]) }, { s: new Set([1]) }]) {
    assert.throws(() => configKey(bad), (e: unknown) => e instanceof RangeError && /configuration key: value\./.test((e as Error).message), JSON.stringify(bad));
  }
  assert.ok(configKey({ a: null, b: undefined }), "null and undefined are fine (JSON keeps null and drops undefined)");
});

test("a checkpoint's progress and a finished-run record refuse values JSON would turn into null", () => {
  const d = recordDirs();
  const trainer = new Trainer(createNetwork({ layerSizes: [8, 4, 3], transfer: idealSign }, createRng("json")), { lr: 0.01, meta: 0 });
  assert.throws(() => encodeCheckpoint("k", trainer.snapshot(), { loss: NaN }), /checkpoint progress: value\.loss is NaN/);
  const ok = runSchedule(cfg, phases, evals, {});
  assert.throws(() => saveFinishedRun(path.join(d.runs, "x.json"), "k", { ...ok, trainingSeconds: Infinity }), /value\.trainingSeconds is Infinity/);
  assert.is(fs.existsSync(path.join(d.runs, "x.json")), false, "nothing written");
});

test("evaluation schedule: every evalEvery-th epoch (1-based) and after each phase's last epoch, each task from its phase on", () => {
  // Phase A: 3 epochs, phase B: 4; evalEvery 2 → A after its 2nd and 3rd (last) epoch, B after its 2nd and 4th.
  const two: Phase[] = [
    { name: "A", train: A, bnTask: 0, epochs: 3 },
    { name: "B", train: B, bnTask: 1, epochs: 4 },
  ];
  const r = runSchedule({ ...cfg, evalEvery: 2 }, two, evals);
  assert.equal(r.rows.map((x) => `${x.phaseName}${x.epoch}:${x.eval}@${x.globalEpoch}`), ["A1:A@2", "A2:A@3", "B1:A@5", "B1:B@5", "B3:A@7", "B3:B@7"]);
  // An evalEvery longer than every phase still evaluates after each phase's last epoch.
  const sparse = runSchedule({ ...cfg, evalEvery: 10 }, two, evals);
  assert.equal(sparse.rows.map((x) => `${x.phaseName}${x.epoch}:${x.eval}`), ["A2:A", "B3:A", "B3:B"]);
});

test("hidden-weight histogram: bins of width 2·bound/HISTOGRAM_BINS over [−bound, bound], every first-layer weight counted once", () => {
  // A negligible learning rate and no programming error leave the weights at their start, U(−0.05, 0.05) (NETWORK_DEFAULTS.initScale):
  // with 56 bins of width 1/28 over [−1, 1] they fall in bins 26 ([−0.05, −1/28)) to 29 ([1/28, 0.05]), the inner
  // two holding 1/28 of the 0.1 range each (together 5/7 of the weights), the outer two the rest (1/7 each).
  const still = runSchedule({ ...cfg, lr: 1e-12, programmingNoiseRel: 0 }, [phases[0]], [evals[0]]);
  const h = still.hiddenHistogram;
  assert.equal([h.lo, h.hi, h.counts.length], [-1, 1, HISTOGRAM_BINS]);
  const n = 8 * 16;
  assert.is(h.counts.reduce((a, b) => a + b, 0), n, "each of the 8×16 first-layer weights once");
  assert.equal(h.counts.map((c, k) => (c > 0 ? k : -1)).filter((k) => k >= 0), [26, 27, 28, 29]);
  const inner = (h.counts[27] + h.counts[28]) / n;
  // Binomial: p = 5/7, n = 128, std ≈ 0.04.
  assert.ok(Math.abs(inner - 5 / 7) < 4 * Math.sqrt((5 / 7) * (2 / 7) / n), `inner share ${inner}`);
});

/* ---- Finished-run records (src/runs/finished-runs.ts): what carries a full run across machines. ---- */

const serial = { accelerated: false };

function recordDirs(): { ckpt: string; runs: string } {
  const root = tmpDir();
  return { ckpt: path.join(root, "ckpt"), runs: path.join(root, "runs") };
}

const recordIn = (dir: string) => {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== TRANSFER_FUNCTIONS_FILE) : [];
  assert.is(files.length, 1, `one record in ${dir}, found ${files.join(", ")}`);
  return path.join(dir, files[0]);
};

test("a completed run writes a record; with the checkpoints gone the record alone returns the same result without training", () => {
  const d = recordDirs();
  const first = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs });
  assert.ok(first.completed);
  const file = recordIn(d.runs);
  // A new machine: the untracked checkpoints are gone, only the (committed) records are there.
  fs.rmSync(d.ckpt, { recursive: true });
  let epochsTrained = 0;
  const again = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs, onEpoch: () => epochsTrained++ });
  assert.is(epochsTrained, 0, "no epoch was trained");
  assert.is(fs.existsSync(d.ckpt), false, "no checkpoint was written");
  assert.is(again.resumedAfter, 6, "reported as resumed after the last epoch");
  assert.equal(again.rows, first.rows);
  assert.equal(again.hiddenHistogram, first.hiddenHistogram);
  assert.is(again.hiddenDigest, first.hiddenDigest);
  assert.is(again.trainingSeconds, first.trainingSeconds);
  // Progress reads the record too.
  const p = scheduleProgress(cfg, phases, evals, d.ckpt, serial, d.runs);
  assert.is(p.epochsDone, 6);
  assert.is(p.samplesDone, p.samplesTotal);
  assert.equal(p.rows, first.rows);
  assert.ok(file.endsWith(".json"));
});

test("a run stopped part-way writes no record, and a record is not used for other settings", () => {
  const d = recordDirs();
  const part = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs, stopAfterEpochs: 3 });
  assert.is(part.completed, false);
  assert.is(fs.existsSync(d.runs), false, "no record for an unfinished run");
  runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs });
  recordIn(d.runs);
  // Another seed is another configuration key: it trains (and writes its own record).
  let trained = 0;
  runSchedule({ ...cfg, seed: "another" }, phases, evals, { finishedRunsDir: d.runs, onEpoch: () => trained++ });
  assert.is(trained, 6);
  assert.is(fs.readdirSync(d.runs).filter((f) => f.endsWith(".json")).length, 2);
});

test("a damaged or foreign record is refused with the reason, and kept", () => {
  const d = recordDirs();
  runSchedule(cfg, phases, evals, { finishedRunsDir: d.runs });
  const file = recordIn(d.runs);
  const good = fs.readFileSync(file, "utf8");
  const key = (JSON.parse(good) as { key: string }).key;
  const refuse = (text: string, reason: RegExp) => {
    fs.writeFileSync(file, text);
    assert.throws(() => runSchedule(cfg, phases, evals, { finishedRunsDir: d.runs }), (e: unknown) => e instanceof FinishedRunError && reason.test((e as Error).message) && (e as Error).message.includes(file));
    assert.ok(fs.existsSync(file), "the file is kept");
  };
  // An edited accuracy no longer matches the stored checksum.
  const rec = JSON.parse(good) as { result: { rows: { accuracy: number }[] } };
  rec.result.rows[0].accuracy = rec.result.rows[0].accuracy === 1 ? 0.5 : 1;
  refuse(JSON.stringify(rec), /SHA-256 mismatch/);
  refuse(good.slice(0, good.length / 2), /not valid JSON/);
  refuse(good.replace(`"key":"${key}"`, `"key":"0000000000000000"`), /another configuration/);
  refuse(good.replace("imc-finished-run/1", "imc-finished-run/0"), /format/);
  // The intact file is accepted again.
  fs.writeFileSync(file, good);
  assert.ok(loadFinishedRun(file, key));
});

test("a finished-run record holds accuracies over the closed range [0, 1]: a task learned perfectly (1) or not at all (0) loads", () => {
  const d = recordDirs();
  const r = runSchedule(cfg, [phases[0]], [evals[0]], {});
  for (const accuracy of [0, 1]) {
    const file = path.join(d.runs, `edge-${accuracy}.json`);
    const edge = { ...r, rows: r.rows.map((x, i) => (i === 0 ? { ...x, accuracy } : x)) };
    saveFinishedRun(file, "k", edge);
    assert.is(loadFinishedRun(file, "k")!.rows[0].accuracy, accuracy);
  }
  const file = path.join(d.runs, "over.json");
  saveFinishedRun(file, "k", { ...r, rows: r.rows.map((x, i) => (i === 0 ? { ...x, accuracy: 1.5 } : x)) });
  assert.throws(() => loadFinishedRun(file, "k"), (e: unknown) => e instanceof FinishedRunError && /row 0 is malformed/.test((e as Error).message));
});

test("an MTT run notes its transfer function beside its record; after a preset change it refuses the folder's record and checkpoint", () => {
  const d = recordDirs();
  const ecram = { ...cfg, transfer: "ecram" as const };
  const first = runSchedule(ecram, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs });
  const fpFile = path.join(d.runs, TRANSFER_FUNCTIONS_FILE);
  const noted = JSON.parse(fs.readFileSync(fpFile, "utf8")) as Record<string, number[]>;
  assert.equal(Object.keys(noted), ["ecram"], "only the function this folder's runs used");
  // W_h = −1, −0.9, …, 1, through the network's ECRAM-MTT function: W_b(0) = 0 and odd-looking saturating values.
  assert.equal(noted.ecram, Array.from({ length: 21 }, (_, i) => ecramMttTransfer().apply(-1 + i / 10)));
  // The same presets: the record is read (no training).
  let trained = 0;
  assert.equal(runSchedule(ecram, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs, onEpoch: () => trained++ }).rows, first.rows);
  assert.is(trained, 0);
  // A preset edit that moves W_b(0.3) by 1e-6 (simulated by editing the noted function): record, progress and a
  // resume from the checkpoint are all refused, naming the function and where it differs; the files are kept.
  const edited = { ...noted, ecram: noted.ecram.map((v, i) => (i === 13 ? v + 1e-6 : v)) };
  fs.writeFileSync(fpFile, JSON.stringify(edited));
  const changed = (e: unknown) => e instanceof TransferChangedError && /ecram transfer function differs/.test((e as Error).message) && /W_h = 0\.3/.test((e as Error).message);
  assert.throws(() => runSchedule(ecram, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs }), changed);
  assert.throws(() => scheduleProgress(ecram, phases, evals, d.ckpt, serial, d.runs), changed);
  fs.rmSync(recordIn(d.runs));
  assert.throws(() => runSchedule(ecram, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs }), changed, "the checkpoint is refused too");
  assert.ok(fs.existsSync(fpFile));
  // Runs without an MTT function do not depend on the presets: an ideal-sign run in the same folder trains and records.
  runSchedule(cfg, phases, evals, { finishedRunsDir: d.runs });
  assert.is(fs.readdirSync(d.runs).filter((f) => f.startsWith("sign-")).length, 1);
  // A difference of 1e-10 is the same function; a damaged file is refused as a record is.
  fs.writeFileSync(fpFile, JSON.stringify({ ecram: noted.ecram.map((v) => v + 1e-10) }));
  checkRecordedTransfer(d.runs, "ecram", noted.ecram, { record: false });
  fs.writeFileSync(fpFile, "{");
  assert.throws(() => checkRecordedTransfer(d.runs, "ecram", noted.ecram, { record: false }), (e: unknown) => e instanceof FinishedRunError && /not valid JSON/.test((e as Error).message));
  // With no entry, a check notes nothing unless asked to.
  const fresh = recordDirs().runs;
  checkRecordedTransfer(fresh, "rram", transferSamples((w) => w), { record: false });
  assert.is(fs.existsSync(path.join(fresh, TRANSFER_FUNCTIONS_FILE)), false);
  checkRecordedTransfer(fresh, "rram", transferSamples((w) => w), { record: true });
  assert.equal(JSON.parse(fs.readFileSync(path.join(fresh, TRANSFER_FUNCTIONS_FILE), "utf8")), { rram: Array.from({ length: 21 }, (_, i) => -1 + i / 10) });
});

test.run();
