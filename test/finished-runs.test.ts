import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRng } from "../src/util/rng";
import { makeDataset, type Dataset } from "../src/nn/datasets/dataset";
import { FinishedRunError, loadFinishedRun } from "../src/experiments/finished-runs";
import { runSchedule, scheduleProgress, type EvalTarget, type NetworkRunConfig, type Phase } from "../src/experiments/task-sequence-runner";

/** A tiny 6-feature, 2-class task from a seeded stream (class = sign of a fixed projection). */
function tinyTask(name: string, seed: string, n: number): Dataset {
  const r = createRng(seed);
  const proj = Array.from({ length: 6 }, () => r.normal());
  const x = new Float32Array(n * 6);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < 6; j++) {
      const v = r.uniform();
      x[i * 6 + j] = v;
      s += (v - 0.5) * proj[j];
    }
    y[i] = s > 0 ? 1 : 0;
  }
  return makeDataset(name, x, y, 6, 2);
}

const cfg: NetworkRunConfig = { seed: "finished-run-test", layerSizes: [6, 12, 2], transfer: "sign", hiddenBits: 3, lr: 0.005, meta: 12, batchSize: 20, programmingNoiseRel: 0, evalEvery: 1 };
const A = tinyTask("A", "fr-A", 160);
const B = tinyTask("B", "fr-B", 160);
const phases: Phase[] = [
  { name: "A", train: A, bnTask: 0, epochs: 2 },
  { name: "B", train: B, bnTask: 1, epochs: 2 },
];
const evals: EvalTarget[] = [
  { name: "A", data: A, bnTask: 0, fromPhase: 0 },
  { name: "B", data: B, bnTask: 1, fromPhase: 1 },
];
const where = { accelerated: false };

function dirs(): { ckpt: string; runs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "imc-finished-"));
  return { ckpt: path.join(root, "ckpt"), runs: path.join(root, "runs") };
}

const recordIn = (dir: string) => {
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  assert.is(files.length, 1, `one record in ${dir}, found ${files.join(", ")}`);
  return path.join(dir, files[0]);
};

test("a completed run writes a record; with the checkpoints gone the record alone returns the same result without training", () => {
  const d = dirs();
  const first = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs });
  assert.ok(first.completed);
  const file = recordIn(d.runs);
  // A new machine: the untracked checkpoints are gone, only the (committed) records are there.
  fs.rmSync(d.ckpt, { recursive: true });
  let epochsTrained = 0;
  const again = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs, onEpoch: () => epochsTrained++ });
  assert.is(epochsTrained, 0, "no epoch was trained");
  assert.is(fs.existsSync(d.ckpt), false, "no checkpoint was written");
  assert.is(again.resumedAfter, 4, "reported as resumed after the last epoch");
  assert.equal(again.rows, first.rows);
  assert.equal(again.hiddenHistogram, first.hiddenHistogram);
  assert.is(again.hiddenDigest, first.hiddenDigest);
  assert.is(again.trainingSeconds, first.trainingSeconds);
  // Progress reads the record too.
  const p = scheduleProgress(cfg, phases, evals, d.ckpt, where, d.runs);
  assert.is(p.epochsDone, 4);
  assert.is(p.samplesDone, p.samplesTotal);
  assert.equal(p.rows, first.rows);
  assert.ok(file.endsWith(".json"));
});

test("a run stopped part-way writes no record, and a record is not used for other settings", () => {
  const d = dirs();
  const part = runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs, stopAfterEpochs: 3 });
  assert.is(part.completed, false);
  assert.is(fs.existsSync(d.runs), false, "no record for an unfinished run");
  runSchedule(cfg, phases, evals, { checkpointDir: d.ckpt, finishedRunsDir: d.runs });
  recordIn(d.runs);
  // Another seed is another configuration key: it trains (and writes its own record).
  let trained = 0;
  runSchedule({ ...cfg, seed: "another" }, phases, evals, { finishedRunsDir: d.runs, onEpoch: () => trained++ });
  assert.is(trained, 4);
  assert.is(fs.readdirSync(d.runs).filter((f) => f.endsWith(".json")).length, 2);
});

test("a damaged or foreign record is refused with the reason, and kept", () => {
  const d = dirs();
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

test.run();
