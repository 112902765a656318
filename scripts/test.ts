/**
 * `npm test`: the unit tests (uvu) and the quick notebook regression (every notebook re-executed in quick
 * mode, every registry entry checked in quick mode). Prints one closing line `N passed, N failed`:
 *   passed = uvu tests passed + notebooks that ran ok + registry entries that pass in quick mode;
 *   failed = uvu tests failed (or 1 for a crash before any count) + notebooks that failed + registry
 *            regressions (undeclared fails, declared known misses that pass or lie beyond their declared
 *            limit, and entries whose notebook ran but did not record them; a known miss that passes counts
 *            as failed, not passed); plus 1
 *            when every notebook ran but no fresh report was written, or the runner stopped without a
 *            failing notebook.
 * Declared known misses, entries declared notReproduced and entries checked in full mode only count on
 * neither side. The runner stops at the first failing notebook: the notebooks it never started and the
 * registry entries it then never judged are printed as "not run: K" just before the closing line.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { loadRegistry } from "../src/registry/checker";

const root = path.resolve(__dirname, "..");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

/** What the two stages produced, as {@link tally} needs it. */
export interface TallyInput {
  unit: { code: number; total: number; passed: number; skipped: number };
  /** Notebooks in notebooks/ (NN-*.ipynb). */
  notebooks: number;
  notebooksOk: number;
  notebooksFailed: number;
  /** The summary of a report this run wrote, or null (runner stopped, or the report is stale). */
  report: { pass: number; regressions: number; knownMiss: number; unrecorded?: number; unexpectedPasses?: number; beyondKnownMiss?: number } | null;
  /** Registry entries judged in quick mode (checked in quick mode and not declared notReproduced). */
  quickEntries: number;
  /** Recorded values that moved since the previous quick run (the report's `moves`), when the report is fresh. */
  moved?: number;
  /** IMC_STRICT_MOVES=1: count each moved value as a failure (a CI on a fixed machine, against the committed metrics). */
  strictMoves?: boolean;
}

export interface Tally {
  passed: number;
  failed: number;
  /** Notebooks never started plus registry entries never judged (counted on neither side). */
  notRun: number;
  /** Lines printed before the closing line. */
  lines: string[];
}

/** The closing counts of `npm test` (pure, so a unit test can check them). */
export function tally(t: TallyInput): Tally {
  let passed = t.unit.passed;
  const unitFailed = Math.max(0, t.unit.total - t.unit.passed - t.unit.skipped);
  let failed = unitFailed + (t.unit.code !== 0 && unitFailed === 0 ? 1 : 0); // a crash before any count
  passed += t.notebooksOk;
  failed += t.notebooksFailed;
  const notebooksNotRun = Math.max(0, t.notebooks - t.notebooksOk - t.notebooksFailed);
  const lines = [`unit tests: ${t.unit.passed}/${t.unit.total} passed; notebooks: ${t.notebooksOk} ok, ${t.notebooksFailed} failed`];
  let entriesNotRun = 0;
  if (t.report && t.notebooksFailed === 0 && notebooksNotRun === 0) {
    const unexpected = t.report.unexpectedPasses ?? 0;
    passed += t.report.pass - unexpected;
    failed += t.report.regressions;
    if (unexpected) lines.push(`registry: ${unexpected} declared known miss(es) now pass (counted as failed until the declaration is removed or the change found; see figures/report.md)`);
    const beyond = t.report.beyondKnownMiss ?? 0;
    if (beyond) lines.push(`registry: ${beyond} declared known miss(es) beyond their declared limit (counted as failed; see figures/report.md)`);
    if (t.report.knownMiss) lines.push(`registry: ${t.report.knownMiss} published number(s) declared as known misses (verdict fail, not counted as regressions; see figures/report.md)`);
    const u = t.report.unrecorded ?? 0;
    if (u) lines.push(`registry: ${u} entr${u === 1 ? "y" : "ies"} not recorded by a notebook that ran (counted as failed; see figures/report.md)`);
    if (t.moved && t.strictMoves) {
      failed += t.moved;
      lines.push(`registry: ${t.moved} recorded value(s) moved since the previous quick run (counted as failed: IMC_STRICT_MOVES=1; figures/report.md lists them; commit the new metrics with the change that moved them)`);
    } else if (t.moved) lines.push(`registry: ${t.moved} recorded value(s) moved since the previous quick run (not counted; IMC_STRICT_MOVES=1 counts them; figures/report.md lists them)`);
  } else {
    entriesNotRun = t.quickEntries;
    if (t.notebooksFailed === 0) {
      failed += 1;
      lines.push(notebooksNotRun ? "test: reproduce stopped before running every notebook" : "test: reproduce did not write a fresh report");
    }
  }
  const notRun = notebooksNotRun + entriesNotRun;
  if (notRun > 0) lines.push(`not run: ${notRun} (${notebooksNotRun} notebook(s) never started, ${entriesNotRun} quick-mode registry entries not judged)`);
  return { passed, failed, notRun, lines };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const out = (r.stdout ?? "") + (r.stderr ?? "");
  process.stdout.write(out);
  return { code: r.status ?? 1, out };
}

/**
 * `npm test` runs everything, as CI does, and takes no arguments; a user who types `npm test -- 01` expecting one
 * notebook gets this message (and a failing closing line) instead of a silent 10-minute run of everything.
 */
export function argumentsProblem(argv: readonly string[]): string | null {
  if (argv.length === 0) return null;
  return [
    `npm test takes no arguments (it always runs every unit test and every notebook in quick mode, as CI does); got: ${argv.join(" ")}`,
    "  one notebook, checked against the registry:  npx tsx scripts/reproduce.ts 01   (add --full for full mode)",
    "  unit tests whose file name matches a pattern: npx uvu test <pattern> -r tsx",
  ].join("\n");
}

function main(): number {
  const problem = argumentsProblem(process.argv.slice(2));
  if (problem) {
    console.error(problem);
    console.log("0 passed, 1 failed");
    return 2;
  }
  const startedAt = Date.now() - 1000;

  // 1. Unit tests.
  const unitRun = run(bin("uvu"), ["-r", "tsx", "test"]);
  const plain = unitRun.out.replace(/\x1b\[[0-9;]*m/g, "");
  const unit = {
    code: unitRun.code,
    total: Number(/Total:\s+(\d+)/.exec(plain)?.[1] ?? 0),
    passed: Number(/Passed:\s+(\d+)/.exec(plain)?.[1] ?? 0),
    skipped: Number(/Skipped:\s+(\d+)/.exec(plain)?.[1] ?? 0),
  };

  // 2. Quick notebook regression.
  const repro = run(bin("tsx"), [path.join("scripts", "reproduce.ts"), "--quick"], { IMC_MODE: "quick" });
  const notebooksOk = (repro.out.match(/^\s+ok\s+\d\d-\S+ \(/gm) ?? []).length;
  const notebooksFailed = (repro.out.match(/^\s+FAIL\s+\d\d-\S+ \(/gm) ?? []).length;
  const notebooks = fs.readdirSync(path.join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).length;

  // The registry verdicts count only when this run wrote the report (not a stale one from before).
  const reportPath = path.join(root, "figures", "report.quick.json");
  const stored = fs.existsSync(reportPath) ? (JSON.parse(fs.readFileSync(reportPath, "utf8")) as { generatedAt: string; summary: NonNullable<TallyInput["report"]>; moves?: { moved: unknown[] } }) : null;
  const fresh = stored && Date.parse(stored.generatedAt) >= startedAt ? stored : null;
  const report = fresh ? fresh.summary : null;
  const moved = fresh?.moves?.moved.length ?? 0;

  let quickEntries = 0;
  let registryBroken = 0;
  try {
    quickEntries = loadRegistry(path.join(root, "data", "published")).filter((e) => e.modes.includes("quick") && e.notReproduced === undefined).length;
  } catch (err) {
    registryBroken = 1;
    console.error(`test: the registry does not load: ${err instanceof Error ? err.message : String(err)}`);
  }

  const t = tally({ unit, notebooks, notebooksOk, notebooksFailed, report, quickEntries, moved, strictMoves: process.env.IMC_STRICT_MOVES === "1" });
  const failed = t.failed + registryBroken;
  console.log("\n" + t.lines.join("\n"));
  console.log(`${t.passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (require.main === module) process.exit(main());
