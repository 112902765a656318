/**
 * Re-executes notebooks headless on the project's tslab kernel, collects the metrics they record, compares
 * them with the registry of published values and writes figures/report.json and figures/report.md.
 *
 * Options: `--help` prints them (USAGE below).
 *
 * --report-only: run no notebook; rebuild the report of the mode from the metrics already in
 * figures/metrics/ (after editing the registry, or to turn a finished full run into its report again).
 *
 * NOTEBOOK is a name or a prefix ("01", "02-mtt-transfer"); none means all of notebooks/*.ipynb.
 * Before any kernel starts, the chosen notebooks' code cells are type-checked (scripts/typecheck-notebooks.ts):
 * an error is printed with its notebook, cell and line, and nothing runs.
 * Mode: --full, or IMC_MODE=full; quick otherwise. Each notebook runs in its own kernel with IMC_MODE and
 * IMC_METRICS_FILE set. A notebook's metrics are promoted to figures/metrics/ only when it finishes; on the
 * first failure the run stops, prints the failing cell and its error, exits 1 and leaves the report of
 * the last good run untouched. Otherwise the report is written and the exit code is 1 when it has
 * regressions: fails not declared as known misses (`knownMiss`), known misses beyond their declared limit
 * (`knownMissLimit`), declared misses that pass, or entries whose notebook ran in this mode but did not record
 * them. Declared known misses, entries declared `notReproduced` and entries whose notebook has no metrics in this
 * mode (not run) do not fail the run.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { buildReport, formatValue, loadMetricsFiles, loadRegistry, metricMoves, metricsFileMismatch, readJsonFile, rerunCommand, type MetricMove, type Report } from "../src/registry/checker";
import { reportMarkdown } from "../src/registry/report-markdown";
import { parseMode, type MetricsFile, type RunMode } from "../src/notebook/session";
import { frame, frameToText } from "../src/notebook/tables";
import { formatDiagnostics, typecheckNotebooks } from "./typecheck-notebooks";
import { listNotebooks } from "./notebook-selection";
import { writeFileAtomic } from "../src/util/atomic-write";
import { notebookSources, staleReason, type NotebookSources } from "./notebook-sources";

const root = path.resolve(__dirname, "..");

interface Options {
  mode: RunMode;
  jobs: number;
  timeoutS: number;
  selectors: string[];
  reportOnly: boolean;
}

/** The largest per-notebook limit the kill timer (limit + 60 s, in ms) can hold: 2^31 − 1 ms. */
const MAX_TIMEOUT_S = Math.floor((2 ** 31 - 1) / 1000) - 60;

/** Per-notebook time limit when --timeout is not given, in seconds. Full mode: notebook 06 alone trains for many hours
 * (README gives the current figure), longer beside notebook 07; the limit only catches a hung kernel (an interrupted
 * full run resumes from its checkpoints anyway). */
const DEFAULT_TIMEOUT_S: Record<RunMode, number> = { quick: 900, full: 72 * 3600 };

const USAGE = `usage: npx tsx scripts/reproduce.ts [--full | --quick] [--jobs N] [--timeout SECONDS] [--report-only] [NOTEBOOK ...]
  (npm run reproduce -- <the same options>)
  --full          paper scale (or IMC_MODE=full); quick mode otherwise
  --jobs N        notebooks run at once (default 2)
  --timeout S     per-notebook limit in seconds (default ${DEFAULT_TIMEOUT_S.quick} quick, ${DEFAULT_TIMEOUT_S.full} full)
  --report-only   run nothing; rebuild the mode's report from figures/metrics/
  NOTEBOOK        a name or prefix, e.g. 01 or 06-continual-large; none means every notebook`;

/** The options, or null when the user asked for the usage text. */
function parseArgs(argv: string[]): Options | null {
  // An explicit --full/--quick wins over IMC_MODE, which is read (and validated) only when neither is given.
  let flagMode: RunMode | undefined;
  let jobs = 2;
  let timeoutS = 0;
  const selectors: string[] = [];
  let reportOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") return null;
    if (a === "--full") flagMode = "full";
    else if (a === "--quick") flagMode = "quick";
    else if (a === "--jobs") jobs = Number(argv[++i]);
    else if (a === "--timeout") {
      const v = argv[++i];
      timeoutS = Number(v);
      if (v === undefined || v.trim() === "" || !Number.isFinite(timeoutS) || timeoutS <= 0) throw new Error(`--timeout needs a positive number of seconds, got ${v === undefined ? "nothing" : `"${v}"`}`);
      // Node's setTimeout fires at once beyond 2^31 − 1 ms, which would kill the notebook immediately.
      if (timeoutS > MAX_TIMEOUT_S) throw new Error(`--timeout must be at most ${MAX_TIMEOUT_S} s (about 24 days), got ${v}`);
    }
    else if (a === "--report-only") reportOnly = true;
    else if (a.startsWith("--")) throw new Error(`unknown option ${a} (--help lists the options)`);
    else selectors.push(a);
  }
  const mode = flagMode ?? parseMode(process.env.IMC_MODE, "quick", "the environment variable IMC_MODE");
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive integer`);
  if (!timeoutS) timeoutS = DEFAULT_TIMEOUT_S[mode];
  if (reportOnly && selectors.length) throw new Error("--report-only rebuilds the whole report: give no notebook names");
  return { mode, jobs, timeoutS, selectors, reportOnly };
}

interface RunResult {
  name: string;
  ok: boolean;
  seconds: number;
  output: string;
  /** Recorded values that differ from the previous metrics file of this notebook and mode; null: it had none. */
  moved?: MetricMove[] | null;
  /** Whether the notebook's code cells differ from those of its previous run in this mode (as far as its digests tell). */
  cellsEdited?: boolean;
}

/**
 * The values of `fresh` that differ from the metrics file it is about to replace (null when there is none, or it
 * does not parse as this notebook's: then there is nothing to compare with).
 */
function movesSincePrevious(previousFile: string, fresh: MetricsFile): { moved: MetricMove[]; cellsEdited: boolean } | null {
  if (!fs.existsSync(previousFile)) return null;
  try {
    const previous = readJsonFile(previousFile);
    if (metricsFileMismatch(previous, fresh.notebook, fresh.mode)) return null;
    const before = previous as MetricsFile;
    const cellsEdited = before.sources !== undefined && fresh.sources !== undefined && before.sources.cells !== fresh.sources.cells;
    return { moved: metricMoves(before, fresh), cellsEdited };
  } catch {
    return null;
  }
}

function runNotebook(name: string, opts: Options): Promise<RunResult> {
  const staging = path.join(root, "figures", ".staging");
  fs.mkdirSync(staging, { recursive: true });
  // Names of this run only: a session opened interactively (Jupyter) stages to `<name>.<mode>.json`, and a second
  // runner has another pid, so neither can overwrite the metrics this run promotes.
  const metricsFile = path.join(staging, `${name}.${opts.mode}.run-${process.pid}.json`);
  fs.rmSync(metricsFile, { force: true });
  const src = path.join(root, "notebooks", `${name}.ipynb`);
  const out = path.join(staging, `${name}.${opts.mode}.run-${process.pid}.executed.ipynb`);
  const env = {
    ...process.env,
    IMC_MODE: opts.mode,
    IMC_METRICS_FILE: metricsFile,
    IMC_NOTEBOOK: name,
    JUPYTER_PATH: [path.join(root, ".jupyter"), process.env.JUPYTER_PATH].filter(Boolean).join(":"),
  };
  // Digests of what this run computes from, taken before it starts; stored with the metrics it promotes.
  const sources: NotebookSources = notebookSources(root, name);
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn("/usr/bin/python3", [path.join(root, "scripts", "execute_notebook.py"), src, out, String(opts.timeoutS)], { env, cwd: root });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const killer = setTimeout(() => {
      output += `\nNOTEBOOK FAILED: ${name}: exceeded the ${opts.timeoutS} s per-notebook timeout`;
      child.kill("SIGKILL");
    }, (opts.timeoutS + 60) * 1000);
    child.on("close", (code) => {
      clearTimeout(killer);
      const seconds = (Date.now() - started) / 1000;
      let ok = code === 0 && fs.existsSync(out) && fs.existsSync(metricsFile);
      let moved: MetricMove[] | null = null;
      let cellsEdited = false;
      let staged: unknown = null;
      if (ok) {
        // The staging file must be this notebook's, in this mode: anything else would be misattributed or skipped.
        let problem: string | null;
        try {
          staged = readJsonFile(metricsFile);
          problem = metricsFileMismatch(staged, name, opts.mode);
        } catch (err) {
          problem = err instanceof Error ? err.message : String(err);
        }
        if (problem) {
          ok = false;
          output += `\nNOTEBOOK FAILED: ${name}: its metrics file ${path.relative(root, metricsFile)} does not belong to this run (${problem}); nothing was promoted`;
        }
      }
      if (ok) {
        // Promote: executed notebook (with outputs) replaces the source; metrics become the last good run.
        // Atomically: another runner may be reading this notebook (its type check, the report's source digests).
        writeFileAtomic(src, fs.readFileSync(out));
        const metricsDir = path.join(root, "figures", "metrics");
        fs.mkdirSync(metricsDir, { recursive: true });
        const promoted = path.join(metricsDir, `${name}.${opts.mode}.json`);
        const fresh: MetricsFile = { ...(staged as MetricsFile), sources };
        const since = movesSincePrevious(promoted, fresh);
        moved = since?.moved ?? null;
        cellsEdited = since?.cellsEdited ?? false;
        writeFileAtomic(promoted, JSON.stringify(fresh, null, 2) + "\n");
        fs.rmSync(metricsFile, { force: true });
      } else if (code === 0 && !fs.existsSync(metricsFile)) {
        output += `\nNOTEBOOK FAILED: ${name}: it ran but recorded no metrics (did it call openNotebook?)`;
      }
      fs.rmSync(out, { force: true });
      resolve({ name, ok, seconds, output, moved, cellsEdited });
    });
  });
}

/** The mode's metrics files, each tagged with its path (a syntax error or a mode/notebook mismatch names the file). */
function loadMetrics(mode: RunMode): MetricsFile[] {
  return loadMetricsFiles(path.join(root, "figures", "metrics"), mode);
}

/** Notebooks whose stored metrics were computed from other sources than the present ones, with the reason. */
function staleNotebooks(metrics: MetricsFile[]): Map<string, string> {
  const stale = new Map<string, string>();
  for (const m of metrics) {
    if (!fs.existsSync(path.join(root, "notebooks", `${m.notebook}.ipynb`))) continue;
    const reason = staleReason(m.sources, notebookSources(root, m.notebook));
    if (reason !== null) stale.set(m.notebook, reason);
  }
  return stale;
}

/** The `moves` of the mode's last report, which a report rebuilt from stored metrics keeps (it ran nothing to compare). */
function previousMoves(mode: RunMode): Report["moves"] {
  try {
    return (readJsonFile(path.join(root, "figures", `report.${mode}.json`)) as Report).moves;
  } catch {
    return undefined;
  }
}

function writeReport(report: Report): void {
  const dir = path.join(root, "figures");
  for (const [file, text] of [
    [`report.json`, JSON.stringify(report, null, 2) + "\n"],
    [`report.md`, reportMarkdown(report)],
    [`report.${report.mode}.json`, JSON.stringify(report, null, 2) + "\n"],
    [`report.${report.mode}.md`, reportMarkdown(report)],
  ] as const) {
    writeFileAtomic(path.join(dir, file), text);
  }
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts === null) {
    console.log(USAGE);
    return 0;
  }
  const registry = loadRegistry(path.join(root, "data", "published"));
  const notebooks = opts.reportOnly ? [] : listNotebooks(opts.selectors, root);
  if (notebooks.length) {
    // tslab reports a cell that does not compile with an empty error (sometimes on a later cell): compile first.
    const diagnostics = typecheckNotebooks(notebooks.map((n) => path.join(root, "notebooks", `${n}.ipynb`)), root);
    if (diagnostics.length) {
      for (const n of notebooks) {
        const k = diagnostics.filter((d) => d.notebook === n).length;
        if (k) console.log(`  FAIL ${n} (type check: ${k} error${k === 1 ? "" : "s"})`);
      }
      console.error(`\n${formatDiagnostics(diagnostics)}\nreproduce: ${diagnostics.length} TypeScript error(s) in the notebooks' code cells (cells counted from 0); nothing was run.`);
      return 1;
    }
  }
  console.log(`reproduce: ${notebooks.length} notebook(s) in ${opts.mode} mode, ${opts.jobs} at a time, timeout ${opts.timeoutS} s each; code cells type-check`);
  const queue = [...notebooks];
  const results: RunResult[] = [];
  let failed: RunResult | null = null;
  const worker = async () => {
    while (queue.length && !failed) {
      const name = queue.shift()!;
      const r = await runNotebook(name, opts);
      results.push(r);
      console.log(`  ${r.ok ? "ok  " : "FAIL"} ${name} (${r.seconds.toFixed(1)} s)`);
      if (!r.ok && !failed) failed = r;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.jobs, notebooks.length) }, worker));
  if (failed) {
    const f = failed as RunResult;
    console.error(`\n${f.output.trim()}\n`);
    console.error(`reproduce: stopped at ${f.name}; figures/report.json keeps the last good run.`);
    return 1;
  }
  const metrics = loadMetrics(opts.mode);
  const report = buildReport(registry, metrics, opts.mode, new Date().toISOString(), staleNotebooks(metrics));
  if (opts.reportOnly) {
    const kept = previousMoves(opts.mode);
    if (kept) report.moves = kept;
  }
  if (results.length) {
    const byName = [...results].sort((a, b) => a.name.localeCompare(b.name));
    report.moves = {
      ranAt: report.generatedAt,
      compared: byName.filter((r) => r.moved).map((r) => r.name),
      firstRuns: byName.filter((r) => !r.moved).map((r) => r.name),
      moved: byName.flatMap((r) => r.moved ?? []),
    };
  }
  writeReport(report);
  const s = report.summary;
  const judged = report.entries.filter((e) => e.verdict !== "missing");
  // With notebooks named, the table shows theirs; the rest of the registry (other notebooks' last runs) is in the report.
  const shown = opts.selectors.length ? judged.filter((e) => results.some((r) => r.name === e.notebook)) : judged;
  if (shown.length) {
    const rows = shown.map((e) => ({ verdict: e.verdict, id: e.id, kind: e.kind, published: String(e.published).slice(0, 28), measured: e.measured === null ? "" : formatValue(e.measured), unit: e.unit.slice(0, 16) }));
    const title = shown.length < judged.length ? `Registry entries of the notebooks run here (${report.mode} mode; all ${judged.length} judged entries are in figures/report.md)` : `Registry entries judged in ${report.mode} mode`;
    console.log("\n" + frameToText(frame(rows), title) + "\n");
  }
  // Known misses of notebooks not run here are in the report; an undeclared fail is printed whichever notebook it is from.
  for (const e of report.entries.filter((x) => x.verdict === "fail" && (!x.knownMiss || x.beyondKnownMiss || shown.includes(x)))) {
    const tag = e.beyondKnownMiss ? "BEYOND KNOWN MISS" : e.knownMiss ? "known miss" : "FAIL";
    const calibration = !e.knownMiss && e.calibratedBy ? `\n      a calibration target: ${e.calibratedBy}` : "";
    const remedy = e.beyondKnownMiss
      ? `\n      a regression: ${e.beyondKnownMiss}\n      find the change that moved it, or, if it is understood, re-declare the miss and its limit in data/published/`
      : e.knownMiss
        ? ""
        : `\n      a regression: mend the model (or the notebook), or, if the miss is understood, declare it with knownMiss in its data/published/*.json entry (README there)`;
    console.error(`  ${tag} ${e.id} (${e.figure}): measured ${formatValue(e.measured)} ${e.unit}, published ${e.published}; check ${e.rule}${e.stale ? ` [stale: ${e.notebook}: ${e.stale}]` : ""}${calibration}${remedy}`);
  }
  for (const e of report.entries.filter((x) => x.verdict === "unrecorded")) {
    console.error(`  NOT RECORDED ${e.id} (${e.figure}): ${e.notebook} ran in ${report.mode} mode but did not record it (restore its nb.record, or declare the gap in data/published/)`);
  }
  for (const e of report.entries.filter((x) => x.verdict !== "missing" && x.notReproduced)) {
    console.log(`  note: ${e.id} is declared notReproduced but ${e.notebook} now records it: remove its notReproduced in data/published/`);
  }
  for (const e of report.entries.filter((x) => x.verdict === "pass" && x.knownMiss)) {
    console.error(`  UNEXPECTED PASS ${e.id} (${e.figure}): declared a known miss in ${report.mode} mode, measured ${formatValue(e.measured)} ${e.unit} passes (${e.rule}); a regression until explained: if a mend made it pass, remove its knownMiss in data/published/, otherwise find the change that moved it`);
  }
  console.log(`reproduce: ${s.pass} pass, ${s.fail} fail (${s.knownMiss} known misses), ${s.unrecorded} not recorded, ${s.regressions} regressions; ${s.missing} missing (${s.notRun} notebook not run in this mode, ${s.notReproduced} declared not reproduced, ${s.missing - s.notRun - s.notReproduced} checked in another mode only) of ${report.entries.length} entries -> figures/report.md`);
  if (s.notRun) {
    const notRun = [...new Set(report.entries.filter((e) => e.verdict === "missing" && e.rule.includes("not run in this mode")).map((e) => e.notebook))];
    console.log(`reproduce: no ${report.mode}-mode metrics yet for ${notRun.join(", ")} (figures/metrics/<notebook>.${report.mode}.json): its entries are missing, not failed`);
  }
  if (report.moves && results.length) {
    const { compared, moved } = report.moves;
    if (moved.length) {
      console.log(`reproduce: ${moved.length} recorded value(s) moved since the previous ${report.mode}-mode run (same seeds, so a change of the notebook's cells or settings, of src/, data or dependencies moved them; figures/report.md lists them):`);
      for (const m of moved) console.log(`  moved ${m.id}: ${m.before ?? "not recorded"} -> ${m.after ?? "not recorded"}`);
      const edited = results.filter((r) => r.cellsEdited && moved.some((m) => m.notebook === r.name)).map((r) => r.name);
      if (edited.length)
        console.log(`reproduce: the code cells of ${edited.join(", ")} differ from their previous run's; to return to the project's values: git checkout -- ${edited.map((n) => `notebooks/${n}.ipynb figures/${n}/ figures/metrics/${n}.*.json`).join(" ")} figures/report*`);
    } else if (compared.length) console.log(`reproduce: no recorded value moved since the previous ${report.mode}-mode run of ${compared.length} notebook(s)`);
  }
  if (report.stale?.length) {
    const names = report.stale.map((x) => x.notebook);
    console.log(`reproduce: the stored ${report.mode}-mode metrics of ${names.join(", ")} were recorded from other sources than the present ones (their entries are marked stale in figures/report.md); run them again: ${rerunCommand(report.mode, names)}`);
  }
  if (results.length) console.log(`reproduce: notebook wall times: ${results.map((r) => `${r.name} ${r.seconds.toFixed(0)} s`).join(", ")}`);
  return s.regressions > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`reproduce: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
