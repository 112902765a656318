import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFullRunArgs, selectRuns, UsageError, type FullRunArgs } from "../scripts/run-parallel-full-args";
import { parseTypecheckArgs } from "../scripts/typecheck-notebooks";
import { projectRoot } from "../src/util/project-root";
import { CONTINUAL_LARGE_FULL, CONTINUAL_LARGE_FULL_STORAGE, continualLargeFullStorage, continualLargeJobs, trainingOrder } from "../src/experiments/continual-large";
import { STREAM_LEARNING_FULL, STREAM_LEARNING_FULL_STORAGE, streamLearningFullStorage, streamLearningJobs } from "../src/experiments/stream-learning";
import { WRITE_MODELS_LONG_STORAGE, writeModelsLongStorage } from "../src/experiments/programming-error-writes";
import { loadRetentionResult, MTT_CONTINUAL_FULL, MTT_CONTINUAL_FULL_RUNS_DIR, mttContinualFullRunsDir, sweepJobs } from "../src/experiments/mtt-continual";
import { runsWithoutRecord } from "../src/runs/task-sequence-jobs";

const ROOT = path.resolve(__dirname, "..");
const defaults: FullRunArgs = { notebook: "06", backend: "pool", workers: undefined, only: undefined, status: false, prune: false };

/** The UsageError message `parseFullRunArgs(argv)` throws (fails when it returns). */
function usageError(argv: string[]): string {
  try {
    parseFullRunArgs(argv);
  } catch (e) {
    assert.instance(e, UsageError, `${argv.join(" ")}: ${String(e)}`);
    return (e as Error).message;
  }
  assert.unreachable(`${argv.join(" ")} was accepted`);
  return "";
}

/** Run `fn` with the working directory in a fresh temporary folder outside the project. */
function inTmpCwd<T>(fn: () => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "imc-cwd-"));
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(cwd);
    fs.rmSync(dir, { recursive: true });
  }
}

// ---------------------------------------------------------------------------------------------------
// scripts/run-parallel-full.ts

test("run-parallel-full: the invocations README.md and the script document parse as before; the notebook may stand anywhere", () => {
  const cases: [string[], Partial<FullRunArgs>][] = [
    [["02"], { notebook: "02" }],
    [["06"], {}],
    [["07"], { notebook: "07" }],
    [["06", "--only", "prog-error/"], { only: "prog-error/" }],
    [["07", "--only", "cnn"], { notebook: "07", only: "cnn" }],
    [["07", "--only", "table-s3"], { notebook: "07", only: "table-s3" }],
    [["06", "--backend", "simd", "--workers", "1"], { backend: "simd", workers: 1 }],
    [["07", "--workers", "2"], { notebook: "07", workers: 2 }],
    [["06", "--backend", "wasm"], { backend: "wasm" }],
    [["06", "--status"], { status: true }],
    [["02", "--status"], { notebook: "02", status: true }],
    [["06", "--status", "--prune"], { status: true, prune: true }],
    [["--status", "06"], { status: true }],
    [["--only", "cnn", "07"], { notebook: "07", only: "cnn" }],
    [["02", "--only", "x", "--backend", "simd"], { notebook: "02", only: "x", backend: "simd" }], // 02 ignores both
  ];
  for (const [argv, want] of cases) assert.equal(parseFullRunArgs(argv), { ...defaults, ...want }, argv.join(" "));
  assert.is(parseFullRunArgs(["--help"]), null);
  assert.is(parseFullRunArgs(["06", "-h"]), null);
});

test("run-parallel-full: a value option without its value (at the end, or followed by another option) is an error", () => {
  assert.match(usageError(["06", "--backend"]), /--backend needs a value/);
  assert.match(usageError(["07", "--only"]), /--only needs a value/);
  assert.match(usageError(["06", "--only", "--status"]), /--only needs a value, got "--status"/);
  assert.match(usageError(["06", "--workers", "--backend", "simd"]), /--workers needs a value/);
  assert.match(usageError(["06", "--only", ""]), /--only needs a value/);
  assert.match(usageError(["06", "--only", "a", "--only", "b"]), /given twice/);
});

test("run-parallel-full: unknown or mistyped options are errors that list the valid ones", () => {
  for (const argv of [["06", "--stauts"], ["--worker", "1", "06"], ["06", "--backend=simd"], ["06", "-x"], ["06", "--Status"]]) {
    const m = usageError(argv);
    assert.ok(m.includes(`unknown option ${argv.find((a) => a.startsWith("-"))}`), m);
    for (const o of ["--backend", "--workers", "--only", "--status", "--prune", "--help"]) assert.ok(m.includes(o), `${m} lists ${o}`);
  }
});

test("run-parallel-full: exactly one notebook, 02, 06 or 07", () => {
  assert.match(usageError([]), /name the notebook/);
  assert.match(usageError(["--status"]), /name the notebook/);
  assert.match(usageError(["06", "07"]), /one notebook.*06, 07/);
  assert.match(usageError(["05"]), /02, 06 or 07, got "05"/);
  assert.match(usageError(["6"]), /got "6"/);
  assert.match(usageError(["06-continual-large"]), /got "06-continual-large"/);
});

test("run-parallel-full: --workers must be a whole number >= 1 whenever given, --backend one of the three", () => {
  for (const nb of ["02", "06", "07"]) {
    for (const w of ["0", "abc", "1.5", "-1", "2x", " 1"]) assert.match(usageError([nb, "--workers", w]), /--workers must be a whole number >= 1/, `${nb} --workers ${w}`);
  }
  assert.match(usageError(["07", "--backend", "wasm", "--workers", "0"]), /--workers must be/);
  assert.match(usageError(["06", "--backend", "foo"]), /--backend must be pool, simd or wasm, got "foo"/);
});

test("run-parallel-full: --prune needs --status (every notebook), the whole set of runs, and a notebook with checkpoints", () => {
  assert.match(usageError(["02", "--prune"]), /--prune goes with --status/);
  assert.match(usageError(["06", "--prune"]), /--prune goes with --status/);
  assert.match(usageError(["02", "--status", "--prune"]), /02 has none/);
  assert.match(usageError(["06", "--status", "--prune", "--only", "x"]), /without --only/);
});

test("run-parallel-full: --only picks runs by label prefix; a prefix matching no run is an error naming it and the label prefixes", () => {
  const six = trainingOrder(continualLargeJobs(CONTINUAL_LARGE_FULL));
  const seven = streamLearningJobs(STREAM_LEARNING_FULL);
  assert.is(selectRuns(six, undefined, "06").length, 39);
  assert.is(selectRuns(seven, undefined, "07").length, 45);
  assert.is(selectRuns(six, "prog-error/", "06").length, 7);
  assert.ok(selectRuns(seven, "cnn", "07").every((j) => j.label.startsWith("cnn")));
  assert.throws(() => selectRuns(six, "zzz", "06"), (e: Error) => e instanceof UsageError && /"zzz" matches none of notebook 06's 39 runs/.test(e.message) && /prog-error\/, prog-error-every-epoch\//.test(e.message) && /bits\//.test(e.message));
  assert.throws(() => selectRuns(seven, "table-s4", "07"), (e: Error) => e instanceof UsageError && /"table-s4"/.test(e.message) && /table-s3\//.test(e.message) && /cnn-stream\//.test(e.message));
});

test("run-parallel-full.ts reads its command line only through parseFullRunArgs (so every mistake stops it before it trains)", () => {
  const src = fs.readFileSync(path.join(ROOT, "scripts", "run-parallel-full.ts"), "utf8");
  assert.equal(src.match(/process\.argv[^\n]*/g), ["process.argv.slice(2));"], "one read of process.argv, in the parseFullRunArgs call");
  assert.match(src, /const args = parseFullRunArgs\(process\.argv\.slice\(2\)\);/);
  assert.match(src, /selectRuns\(all, only, which\)/);
});

// ---------------------------------------------------------------------------------------------------
// Storage paths and projectRoot, from another working directory

test("projectRoot: the project from a working directory outside it; a folder with package.json and src/ above the cwd still wins", () => {
  assert.is(projectRoot(), ROOT);
  assert.is(inTmpCwd(() => projectRoot()), ROOT);
  const fake = inTmpCwd(() => {
    fs.writeFileSync("package.json", "{}");
    fs.mkdirSync(path.join("src", "x"), { recursive: true });
    process.chdir(path.join("src", "x"));
    return [projectRoot(), path.resolve("..", "..")];
  });
  assert.is(fake[0], fake[1]);
});

test("full-mode storage folders resolve to absolute folders inside the project root, whatever the working directory", () => {
  const resolved = () => [
    [continualLargeFullStorage(), CONTINUAL_LARGE_FULL_STORAGE],
    [streamLearningFullStorage(), STREAM_LEARNING_FULL_STORAGE],
    [writeModelsLongStorage(), WRITE_MODELS_LONG_STORAGE],
    [{ dir: mttContinualFullRunsDir() }, { dir: MTT_CONTINUAL_FULL_RUNS_DIR }],
  ] as [Record<string, string>, Record<string, string>][];
  for (const sets of [resolved(), inTmpCwd(resolved)]) {
    for (const [abs, rel] of sets) {
      for (const k of Object.keys(rel)) {
        assert.ok(path.isAbsolute(abs[k]) && abs[k].startsWith(ROOT + path.sep), `${k}: ${abs[k]}`);
        assert.is(abs[k], path.join(ROOT, rel[k]));
        assert.not.ok(path.isAbsolute(rel[k]), `the stored relative form ${rel[k]} is unchanged`);
      }
    }
  }
});

test("from another working directory the committed full-mode runs of 02, 06 and 07 are found through the resolved folders", () => {
  inTmpCwd(() => {
    assert.equal(runsWithoutRecord(continualLargeJobs(CONTINUAL_LARGE_FULL), continualLargeFullStorage().finishedRunsDir), []);
    assert.equal(runsWithoutRecord(streamLearningJobs(STREAM_LEARNING_FULL), streamLearningFullStorage().finishedRunsDir), []);
    const missing = sweepJobs(MTT_CONTINUAL_FULL).filter((job) => loadRetentionResult(mttContinualFullRunsDir(), job) === null);
    assert.is(missing.length, 0);
    assert.equal(fs.readdirSync("."), [], "nothing written into the working directory");
  });
});

// ---------------------------------------------------------------------------------------------------
// scripts/typecheck-notebooks.ts

test("typecheck-notebooks: selectors as reproduce.ts takes them; unmatched, ambiguous and unknown options are errors", () => {
  assert.equal(parseTypecheckArgs(["01"], ROOT), ["01-ecram-device"]);
  assert.equal(parseTypecheckArgs(["notebooks/01-ecram-device.ipynb"], ROOT), ["01-ecram-device"]);
  assert.equal(parseTypecheckArgs(["06-continual-large", "01"], ROOT), ["06-continual-large", "01-ecram-device"]);
  assert.is(parseTypecheckArgs([], ROOT)!.length, fs.readdirSync(path.join(ROOT, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).length);
  assert.is(parseTypecheckArgs(["--help"], ROOT), null);
  assert.is(parseTypecheckArgs(["01", "-h"], ROOT), null);
  assert.throws(() => parseTypecheckArgs(["11"], ROOT), /notebook "11" matches 0 notebooks \(none\); known: 01-ecram-device/);
  assert.throws(() => parseTypecheckArgs(["0"], ROOT), /notebook "0" matches \d+ notebooks \(01-ecram-device, 02-mtt-transfer, /);
  assert.throws(() => parseTypecheckArgs(["--foo"], ROOT), /unknown option --foo/);
  assert.throws(() => parseTypecheckArgs(["01", "--full"], ROOT), /unknown option --full/);
});

test("typecheck-notebooks.ts: an unmatched selector exits 1 with the usage, --help prints the usage and exits 0", () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(ROOT, "scripts", "typecheck-notebooks.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const bad = run("11");
  assert.is(bad.status, 1, bad.stdout + bad.stderr);
  assert.match(bad.stderr, /notebook "11" matches 0 notebooks/);
  assert.match(bad.stderr, /usage: npx tsx scripts\/typecheck-notebooks.ts/);
  const help = run("--help");
  assert.is(help.status, 0, help.stdout + help.stderr);
  assert.match(help.stdout, /usage: npx tsx scripts\/typecheck-notebooks.ts/);
  assert.not.match(help.stdout, /notebook\(s\)/);
});

test("npm test refuses arguments before running anything: exit 2, the alternatives, a failing closing line", () => {
  // Spawned as npm runs it (`tsx scripts/test.ts 01`); a run that ignored the argument would start uvu instead.
  const r = spawnSync(path.join(ROOT, "node_modules", ".bin", "tsx"), [path.join("scripts", "test.ts"), "01"], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /npm test takes no arguments .*got: 01/);
  assert.match(r.stderr, /npx tsx scripts\/reproduce\.ts 01/);
  assert.not.match(r.stdout, /Total:/);
  assert.is(r.stdout.trim().split("\n").pop(), "0 passed, 1 failed");
});

test.run();
