/**
 * The checker: the only module that reads the registry of published values (data/published/*.json). It
 * validates entries, judges recorded metrics against them, and builds the report. Two callers: the runner
 * (scripts/reproduce.ts) builds the report with it, and the notebook session (src/notebook/session.ts) calls
 * {@link compareOne} on every `record()` so that a notebook cell prints the checker's verdict for the value it
 * just recorded (models and experiment code never see published values).
 */
import * as fs from "fs";
import * as path from "path";
import type { MetricsFile, Measured, RunMode } from "../notebook/session";

export type EntryKind = "calibration" | "prediction" | "qualitative";

export type Check =
  | { type: "relative"; tol: number }
  | { type: "absolute"; tol: number }
  | { type: "atLeast"; bound: number }
  | { type: "atMost"; bound: number }
  | { type: "between"; lo: number; hi: number }
  | { type: "true" };

export interface RegistryEntry {
  id: string;
  paper: string;
  figure: string;
  statement: string;
  published: number | string;
  unit: string;
  kind: EntryKind;
  check: Check;
  quickCheck?: Check;
  tolerance: string;
  predicate?: string;
  calibratedBy?: string;
  modes: RunMode[];
  notebook: string;
  /**
   * Set when the model is known not to reproduce this number yet: why it misses. The verdict stays "fail"
   * in the report, but a run fails only on regressions, i.e. on a fail without this declaration. A declared
   * miss that passes is a regression too (the report summary's `unexpectedPasses`): the same seed gives the same
   * value, so something changed it, and either a mend removes the declaration or the change is found.
   */
  knownMiss?: string;
  /** The run modes in which `knownMiss` holds (default: every mode); in the others a fail is a regression. */
  knownMissModes?: RunMode[];
  /**
   * How far the declared miss goes: a bound (`atLeast`, `atMost` or `between`) the measured value still satisfies
   * while it misses the published number, and why it sits there. A known miss is the one place where the
   * registry's tolerance cannot catch a change (the entry fails anyway), so a value beyond this limit is a
   * regression (the report summary's `beyondKnownMiss`): the miss got worse, or moved the wrong way.
   */
  knownMissLimit?: { check: Check; why: string };
  /**
   * Set when no notebook computes this number at all (e.g. it needs a model or corpus the project cannot run):
   * why. The entry stays "missing" in every mode instead of counting as "not recorded", and the report lists it
   * under "Declared not reproduced".
   */
  notReproduced?: string;
  /**
   * Set when the check holds by the model's construction, whatever the run: why (e.g. the device law is linear by
   * assumption, so "linear updates" only checks that noise does not spoil it). Such an entry still runs and can
   * still catch a broken implementation, but its pass is a conformance check, not evidence for the paper's claim;
   * the report marks it and lists the reasons.
   */
  byConstruction?: string;
}

/**
 * `missing`: not judged, and not a failure (checked in another mode only, the notebook has not run in this
 * mode, or the entry is declared `notReproduced`). `unrecorded`: the entry's notebook ran in this mode and
 * finished but recorded no value for it: counted with the regressions.
 */
export type Verdict = "pass" | "fail" | "missing" | "unrecorded";

export interface ReportEntry {
  id: string;
  paper: string;
  figure: string;
  published: number | string;
  measured: Measured | null;
  unit: string;
  tolerance: string;
  kind: EntryKind;
  verdict: Verdict;
  /** How the verdict was reached: the check applied, or why it is missing. */
  rule: string;
  note?: string;
  notebook: string;
  /** The registry's reason why this entry is a known miss (present only on declared misses). */
  knownMiss?: string;
  /** The declared miss's limit as a rule, and why (present only on declared misses that declare one). */
  knownMissLimit?: string;
  /**
   * Present on a declared miss whose value lies beyond its `knownMissLimit`: the limit (as a rule) and why it
   * was set. Such an entry is a regression, not a known miss.
   */
  beyondKnownMiss?: string;
  /** The registry's reason why no notebook computes this entry (present only on declared gaps). */
  notReproduced?: string;
  /** The registry's reason why the check holds by the model's construction (present only on such entries). */
  byConstruction?: string;
  /** The registry's predicate: what the measured value is (present on entries that state one). */
  predicate?: string;
  /** The registry's account of the model parameter fitted to this number (calibration entries). */
  calibratedBy?: string;
  /**
   * Present when the value comes from a run of its notebook whose code cells or src/ modules differ from the
   * present ones (the runner's source digests): why. Its verdict is that of the earlier sources.
   */
  stale?: string;
}

/** A recorded value that differs from the one the previous run of its notebook (same mode) recorded. */
export interface MetricMove {
  id: string;
  notebook: string;
  /** The previous run's value; null when it did not record the id. */
  before: Measured | null;
  /** This run's value; null when it no longer records the id. */
  after: Measured | null;
}

/**
 * What moved since the previous run of the notebooks this run executed: `compared` lists the notebooks that
 * had an earlier metrics file in this mode (the committed one, on a fresh clone), `firstRuns` those that had none.
 */
export interface MetricMoves {
  /** When the run that compared them wrote its report (a report rebuilt from stored metrics keeps that run's moves). */
  ranAt?: string;
  compared: string[];
  firstRuns: string[];
  moved: MetricMove[];
}

export interface Report {
  mode: RunMode;
  generatedAt: string;
  /** Set by a run that executed notebooks; a report rebuilt from stored metrics keeps the last run's. */
  moves?: MetricMoves;
  /** Notebooks whose stored metrics were recorded from other sources than the present ones, and why (none: absent). */
  stale?: { notebook: string; reason: string }[];
  summary: {
    pass: number;
    fail: number;
    /** Entries not judged and not failing: `notRun` + `notReproduced` + those checked in another mode only. */
    missing: number;
    /** Missing because the entry's notebook has no metrics file in this mode (it has not run, or not finished). */
    notRun: number;
    /** Missing because the registry declares that no notebook computes it (`notReproduced`). */
    notReproduced: number;
    /** Entries whose notebook ran in this mode but did not record them (counted in `regressions`). */
    unrecorded: number;
    /** Fails declared as known misses and within their declared limit (included in `fail`). */
    knownMiss: number;
    /** Fails declared as known misses whose value lies beyond the miss's declared limit (counted in `regressions`). */
    beyondKnownMiss: number;
    /** Entries declared as known misses in this mode that pass (counted in `regressions`). */
    unexpectedPasses: number;
    /** Entries whose check holds by the model's construction (`byConstruction`), whatever their verdict. */
    byConstruction: number;
    /** Undeclared fails, `beyondKnownMiss`, `unexpectedPasses` and `unrecorded` entries. A run exits non-zero when this is > 0. */
    regressions: number;
    calibration: number;
    prediction: number;
    qualitative: number;
  };
  entries: ReportEntry[];
}

const KINDS: EntryKind[] = ["calibration", "prediction", "qualitative"];

function fail(file: string, id: string, msg: string): never {
  throw new Error(`registry ${file}: entry "${id}": ${msg}`);
}

/** The fields an entry may have (data/published/README.md); any other key is a typo and is rejected. */
const ENTRY_KEYS = new Set(["id", "paper", "figure", "statement", "published", "unit", "kind", "check", "quickCheck", "tolerance", "predicate", "calibratedBy", "modes", "notebook", "knownMiss", "knownMissModes", "knownMissLimit", "notReproduced", "byConstruction"]);

/** The fields each check type takes besides `type`. */
const CHECK_KEYS: Record<Check["type"], string[]> = { relative: ["tol"], absolute: ["tol"], atLeast: ["bound"], atMost: ["bound"], between: ["lo", "hi"], true: [] };

/**
 * Read and parse a JSON file, naming the file in a syntax error (JSON.parse's own message does not) and
 * ignoring a leading byte-order mark (some editors write one).
 */
export function readJsonFile(file: string): unknown {
  const text = fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function validateCheck(file: string, id: string, c: Check | undefined, field: string): void {
  if (!c || typeof c !== "object") fail(file, id, `${field} is missing`);
  const num = (v: unknown, name: string) => {
    if (typeof v !== "number" || !Number.isFinite(v)) fail(file, id, `${field}.${name} must be a finite number`);
  };
  switch (c.type) {
    case "relative":
    case "absolute":
      num(c.tol, "tol");
      if (c.tol < 0) fail(file, id, `${field}.tol must be ≥ 0`);
      break;
    case "atLeast":
    case "atMost":
      num(c.bound, "bound");
      break;
    case "between":
      num(c.lo, "lo");
      num(c.hi, "hi");
      if (c.lo > c.hi) fail(file, id, `${field}: lo > hi`);
      break;
    case "true":
      break;
    default:
      fail(file, id, `${field}.type "${(c as { type: string }).type}" is not one of relative, absolute, atLeast, atMost, between, true`);
  }
  const extra = Object.keys(c).filter((k) => k !== "type" && !CHECK_KEYS[c.type].includes(k));
  if (extra.length) fail(file, id, `${field} of type ${c.type} has unknown field(s) ${extra.join(", ")} (it takes ${CHECK_KEYS[c.type].join(", ") || "no other field"})`);
}

/**
 * Load and validate every registry file in `dir`; ids must be unique across files. `notebooksDir`: where each
 * entry's `notebook` must exist as <notebook>.ipynb; by default the project's notebooks/ folder (two levels above
 * data/published), checked only when that folder exists; `null` skips the check.
 */
export function loadRegistry(dir: string, notebooksDir?: string | null): RegistryEntry[] {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort();
  const entries: RegistryEntry[] = [];
  const seen = new Map<string, string>();
  const defaultNotebooks = path.resolve(dir, "..", "..", "notebooks");
  const notebooks = notebooksDir !== undefined ? notebooksDir : fs.existsSync(defaultNotebooks) ? defaultNotebooks : null;
  for (const file of files) {
    const raw = readJsonFile(path.join(dir, file));
    if (!Array.isArray(raw)) throw new Error(`registry ${file}: expected an array of entries`);
    for (const [index, e] of (raw as RegistryEntry[]).entries()) {
      if (e === null || typeof e !== "object" || Array.isArray(e)) throw new Error(`registry ${file}: entry #${index}: expected an object, got ${e === null ? "null" : Array.isArray(e) ? "an array" : typeof e}`);
      const id = typeof e.id === "string" ? e.id : `#${index} (no id)`;
      const unknown = Object.keys(e).filter((k) => !ENTRY_KEYS.has(k));
      if (unknown.length) fail(file, id, `unknown field(s) ${unknown.join(", ")} (allowed: ${[...ENTRY_KEYS].join(", ")})`);
      if (typeof e.id !== "string" || !/^[a-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(e.id)) fail(file, id, "id must look like paper.group.name");
      if (seen.has(e.id)) fail(file, id, `duplicate id (also in ${seen.get(e.id)})`);
      seen.set(e.id, file);
      for (const f of ["paper", "figure", "statement", "unit", "tolerance", "notebook"] as const) {
        if (typeof e[f] !== "string" || e[f] === "") fail(file, id, `${f} must be a non-empty string`);
      }
      if (notebooks !== null && !fs.existsSync(path.join(notebooks, `${e.notebook}.ipynb`))) fail(file, id, `notebook "${e.notebook}" does not exist (no ${e.notebook}.ipynb in ${notebooks})`);
      for (const f of ["calibratedBy", "predicate"] as const) {
        if (e[f] !== undefined && (typeof e[f] !== "string" || e[f]!.trim() === "")) fail(file, id, `${f} must be a non-empty string`);
      }
      if (typeof e.published !== "number" && typeof e.published !== "string") fail(file, id, "published must be a number or a string");
      if (!KINDS.includes(e.kind)) fail(file, id, `kind must be one of ${KINDS.join(", ")}`);
      if (e.kind === "calibration" && !e.calibratedBy) fail(file, id, "a calibration entry must say calibratedBy");
      if (e.kind === "qualitative" && !e.predicate) fail(file, id, "a qualitative entry must state its predicate");
      if (!Array.isArray(e.modes) || e.modes.length === 0 || e.modes.some((m) => m !== "quick" && m !== "full")) fail(file, id, "modes must list quick and/or full");
      validateCheck(file, id, e.check, "check");
      if (e.quickCheck !== undefined) validateCheck(file, id, e.quickCheck, "quickCheck");
      for (const [field, c] of [["check", e.check], ["quickCheck", e.quickCheck]] as const) {
        if (c === undefined) continue;
        if ((c.type === "relative" || c.type === "absolute") && typeof e.published !== "number") fail(file, id, `${field}: relative/absolute checks need a numeric published value`);
        if (c.type === "relative" && e.published === 0) fail(file, id, `${field}: a relative check against published 0 can never pass (use an absolute check)`);
      }
      if (e.knownMiss !== undefined && (typeof e.knownMiss !== "string" || e.knownMiss.length < 20)) fail(file, id, "knownMiss must say why the number misses (a sentence)");
      if (e.knownMissModes !== undefined) {
        if (e.knownMiss === undefined) fail(file, id, "knownMissModes without knownMiss");
        if (!Array.isArray(e.knownMissModes) || e.knownMissModes.length === 0 || e.knownMissModes.some((m) => !e.modes.includes(m))) fail(file, id, "knownMissModes must list modes the entry is checked in");
      }
      if (e.knownMissLimit !== undefined) {
        const l = e.knownMissLimit;
        if (e.knownMiss === undefined) fail(file, id, "knownMissLimit without knownMiss");
        if (l === null || typeof l !== "object" || Array.isArray(l)) fail(file, id, "knownMissLimit must be an object { check, why }");
        const extra = Object.keys(l).filter((k) => k !== "check" && k !== "why");
        if (extra.length) fail(file, id, `knownMissLimit has unknown field(s) ${extra.join(", ")} (it takes check, why)`);
        validateCheck(file, id, l.check, "knownMissLimit.check");
        if (!["atLeast", "atMost", "between"].includes(l.check.type)) fail(file, id, "knownMissLimit.check must be a bound: atLeast, atMost or between");
        if (typeof l.why !== "string" || l.why.trim().length < 20) fail(file, id, "knownMissLimit.why must say where the limit comes from (a sentence, ≥ 20 characters)");
      }
      if (e.byConstruction !== undefined && (typeof e.byConstruction !== "string" || e.byConstruction.trim().length < 20)) fail(file, id, "byConstruction must say why the check holds by construction (a sentence, ≥ 20 characters)");
      if (e.notReproduced !== undefined) {
        if (typeof e.notReproduced !== "string" || e.notReproduced.trim().length < 20) fail(file, id, "notReproduced must say why no notebook computes the number (a sentence, ≥ 20 characters)");
        if (e.knownMiss !== undefined) fail(file, id, "notReproduced and knownMiss exclude each other (a number no notebook computes cannot miss)");
      }
      entries.push(e);
    }
  }
  return entries;
}

function describe(c: Check, published: number | string): string {
  switch (c.type) {
    case "relative":
      return `|m − ${published}| ≤ ${c.tol * 100}% of ${published}`;
    case "absolute":
      return `|m − ${published}| ≤ ${c.tol}`;
    case "atLeast":
      return `m ≥ ${c.bound}`;
    case "atMost":
      return `m ≤ ${c.bound}`;
    case "between":
      return `${c.lo} ≤ m ≤ ${c.hi}`;
    case "true":
      return "predicate holds";
  }
}

/** Whether the entry's `knownMiss` declaration holds in `mode`. */
export function knownMissApplies(entry: RegistryEntry, mode: RunMode): boolean {
  return entry.knownMiss !== undefined && (entry.knownMissModes ?? entry.modes).includes(mode);
}

/**
 * Judge one measured value against an entry in a mode. `notebookRan`: whether the entry's notebook finished
 * a run in this mode (its figures/metrics/<notebook>.<mode>.json exists); it decides what an absent value
 * means: "unrecorded" (a failure) after a run, "missing" (notebook not run in this mode) without one.
 */
/** The check that applies to `entry` in `mode`: its `quickCheck` in quick mode where it declares one, else `check`. */
export function checkFor(entry: RegistryEntry, mode: RunMode): Check {
  return mode === "quick" && entry.quickCheck ? entry.quickCheck : entry.check;
}

/**
 * Why `measured` cannot be judged by `entry`'s check in `mode` (a `true` check needs a boolean, the others a
 * number), or null when it can. The session refuses such a value before writing it; {@link judge} fails it.
 */
export function measuredTypeProblem(entry: RegistryEntry, measured: unknown, mode: RunMode): string | null {
  const c = checkFor(entry, mode);
  const expected = c.type === "true" ? "boolean" : "number";
  if (typeof measured === expected) return null;
  const got = measured === null ? "null" : measured === undefined ? "undefined" : `a ${typeof measured} (${JSON.stringify(measured)})`;
  return `its ${c.type} check needs a ${expected}, got ${got}`;
}

export function judge(entry: RegistryEntry, measured: Measured | undefined, mode: RunMode, notebookRan = false): { verdict: Verdict; rule: string } {
  if (!entry.modes.includes(mode)) return { verdict: "missing", rule: `checked in ${entry.modes.join("/")} mode only` };
  if (measured === undefined) {
    if (entry.notReproduced !== undefined) return { verdict: "missing", rule: "declared not reproduced" };
    if (notebookRan) return { verdict: "unrecorded", rule: `not recorded: ${entry.notebook} ran in ${mode} mode but did not record it` };
    return { verdict: "missing", rule: `missing (notebook ${entry.notebook} not run in this mode)` };
  }
  const c = checkFor(entry, mode);
  const rule = describe(c, entry.published);
  if (c.type !== "true" && typeof measured !== "number") return { verdict: "fail", rule: `${rule} (recorded a ${typeof measured}, expected a number)` };
  return { verdict: holds(c, measured, entry.published) ? "pass" : "fail", rule };
}

/** Whether `measured` satisfies check `c` (relative and absolute checks against the numeric `published`). */
function holds(c: Check, measured: Measured, published: number | string): boolean {
  if (c.type === "true") return measured === true;
  if (typeof measured !== "number") return false;
  const p = published as number;
  switch (c.type) {
    case "relative":
      return Math.abs(measured - p) <= c.tol * Math.abs(p);
    case "absolute":
      return Math.abs(measured - p) <= c.tol;
    case "atLeast":
      return measured >= c.bound;
    case "atMost":
      return measured <= c.bound;
    case "between":
      return measured >= c.lo && measured <= c.hi;
  }
}

/**
 * For a declared miss in `mode` that fails: the limit it lies beyond (its rule and why), or null when it lies
 * within its `knownMissLimit` or declares none. Not a known miss in this mode, or passing: null.
 */
export function beyondKnownMiss(entry: RegistryEntry, measured: Measured, mode: RunMode): { rule: string; why: string } | null {
  const l = entry.knownMissLimit;
  if (!l || !knownMissApplies(entry, mode) || judge(entry, measured, mode, true).verdict !== "fail") return null;
  return holds(l.check, measured, entry.published) ? null : { rule: describe(l.check, entry.published), why: l.why };
}

/** A metrics file as read from disk: `file` is its path, named `<notebook>.<mode>.json`. */
export type LoadedMetricsFile = MetricsFile & { file?: string };

/**
 * Whether a metrics file's own `notebook` and `mode` fields are the expected ones; returns the problem, or null.
 * The runner checks a notebook's staging file with it before promoting it.
 */
export function metricsFileMismatch(m: unknown, notebook: string, mode: RunMode): string | null {
  if (m === null || typeof m !== "object" || Array.isArray(m)) return "it is not a metrics object";
  const f = m as Partial<MetricsFile>;
  if (f.notebook !== notebook) return `it says notebook ${JSON.stringify(f.notebook)}, expected "${notebook}"`;
  if (f.mode !== mode) return `it says mode ${JSON.stringify(f.mode)}, expected "${mode}"`;
  if (f.metrics === null || typeof f.metrics !== "object" || Array.isArray(f.metrics)) return "its metrics field is not an object";
  return null;
}

/** Read every `<notebook>.<mode>.json` in `dir` (none if the folder does not exist), each tagged with its path. */
export function loadMetricsFiles(dir: string, mode: RunMode): LoadedMetricsFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(`.${mode}.json`))
    .sort()
    .map((f) => ({ ...(readJsonFile(path.join(dir, f)) as MetricsFile), file: path.join(dir, f) }));
}

/**
 * Build the report for `mode` from the registry and the metrics files recorded in that mode. A file read from
 * disk (with `file` set) must say the mode and notebook its name says; an in-memory file of another mode is skipped.
 * `stale`: notebooks whose stored metrics were recorded from other sources than the present ones, with the reason
 * (the runner works it out from the source digests; see scripts/notebook-sources.ts); their entries are marked.
 */
export function buildReport(registry: RegistryEntry[], metrics: LoadedMetricsFile[], mode: RunMode, generatedAt: string, stale: ReadonlyMap<string, string> = new Map()): Report {
  const recorded = new Map<string, { measured: Measured; note?: string; notebook: string }>();
  const known = new Set(registry.map((e) => e.id));
  const ran = new Set<string>();
  for (const file of metrics) {
    if (file.file !== undefined) {
      const named = /^(.+)\.(quick|full)\.json$/.exec(path.basename(file.file));
      const problem = named ? metricsFileMismatch(file, named[1], named[2] as RunMode) : "its name is not <notebook>.<quick|full>.json";
      if (problem) throw new Error(`metrics file ${file.file}: ${problem}`);
    }
    if (file.mode !== mode) {
      if (file.file !== undefined) throw new Error(`metrics file ${file.file} is a ${file.mode}-mode file, but the report is for ${mode} mode`);
      continue;
    }
    ran.add(file.notebook);
    for (const [id, m] of Object.entries(file.metrics)) {
      if (!known.has(id)) throw new Error(`notebook ${file.notebook} recorded "${id}", which is not in the registry`);
      recorded.set(id, { ...m, notebook: file.notebook });
    }
  }
  const entries: ReportEntry[] = registry.map((e) => {
    const r = recorded.get(e.id);
    const { verdict, rule } = judge(e, r?.measured, mode, ran.has(e.notebook));
    const beyond = r ? beyondKnownMiss(e, r.measured, mode) : null;
    return {
      id: e.id,
      paper: e.paper,
      figure: e.figure,
      published: e.published,
      measured: r ? r.measured : null,
      unit: e.unit,
      tolerance: e.tolerance,
      kind: e.kind,
      verdict,
      rule,
      ...(r?.note ? { note: r.note } : {}),
      notebook: e.notebook,
      ...(knownMissApplies(e, mode) ? { knownMiss: e.knownMiss } : {}),
      ...(knownMissApplies(e, mode) && e.knownMissLimit ? { knownMissLimit: `${describe(e.knownMissLimit.check, e.published)}: ${e.knownMissLimit.why}` } : {}),
      ...(beyond ? { beyondKnownMiss: `the miss is declared within ${beyond.rule}: ${beyond.why}` } : {}),
      ...(e.notReproduced !== undefined && e.modes.includes(mode) ? { notReproduced: e.notReproduced } : {}),
      ...(e.byConstruction !== undefined ? { byConstruction: e.byConstruction } : {}),
      ...(e.predicate !== undefined ? { predicate: e.predicate } : {}),
      ...(e.calibratedBy !== undefined ? { calibratedBy: e.calibratedBy } : {}),
      ...(ran.has(e.notebook) && stale.has(e.notebook) ? { stale: stale.get(e.notebook) } : {}),
    };
  });
  const staleRan = [...stale].filter(([notebook]) => ran.has(notebook)).sort(([a], [b]) => a.localeCompare(b));
  const count = (v: Verdict) => entries.filter((x) => x.verdict === v).length;
  const kindCount = (k: EntryKind) => entries.filter((x) => x.kind === k).length;
  return {
    mode,
    generatedAt,
    summary: {
      pass: count("pass"),
      fail: count("fail"),
      missing: count("missing"),
      notRun: registry.filter((e, i) => entries[i].verdict === "missing" && e.modes.includes(mode) && e.notReproduced === undefined && !ran.has(e.notebook)).length,
      notReproduced: entries.filter((x) => x.verdict === "missing" && x.notReproduced).length,
      unrecorded: count("unrecorded"),
      knownMiss: entries.filter((x) => x.verdict === "fail" && x.knownMiss && !x.beyondKnownMiss).length,
      beyondKnownMiss: entries.filter((x) => x.beyondKnownMiss).length,
      unexpectedPasses: entries.filter((x) => x.verdict === "pass" && x.knownMiss).length,
      byConstruction: entries.filter((x) => x.byConstruction !== undefined).length,
      regressions: entries.filter((x) => (x.verdict === "fail" && (!x.knownMiss || x.beyondKnownMiss)) || (x.verdict === "pass" && x.knownMiss)).length + count("unrecorded"),
      calibration: kindCount("calibration"), prediction: kindCount("prediction"), qualitative: kindCount("qualitative") },
    ...(staleRan.length ? { stale: staleRan.map(([notebook, reason]) => ({ notebook, reason })) } : {}),
    entries,
  };
}

/**
 * The recorded values of one notebook that differ between two runs in the same mode, compared exactly (the same
 * seed gives bit-identical metrics, so any difference was made by a change of code, data or dependencies).
 * Notes are not compared. Ids in the order of `after`, then those only `before` recorded.
 */
export function metricMoves(before: MetricsFile, after: MetricsFile): MetricMove[] {
  const moves: MetricMove[] = [];
  const ids = [...Object.keys(after.metrics), ...Object.keys(before.metrics).filter((id) => !(id in after.metrics))];
  for (const id of ids) {
    const b = id in before.metrics ? before.metrics[id].measured : null;
    const a = id in after.metrics ? after.metrics[id].measured : null;
    if (!Object.is(a, b)) moves.push({ id, notebook: after.notebook, before: b, after: a });
  }
  return moves;
}

/** A measured or published value as the report prints it (numbers to four significant digits). */
export function formatValue(v: Measured | number | string | null): string {
  if (v === null) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
  return String(v);
}

/** The command that runs `notebooks` again in `mode`. */
export function rerunCommand(mode: RunMode, notebooks: readonly string[]): string {
  return `npx tsx scripts/reproduce.ts${mode === "full" ? " --full" : ""} ${notebooks.join(" ")}`;
}

/** A one-line comparison for a notebook cell: measured vs published and the verdict in this mode. */
export function compareOne(registry: RegistryEntry[], id: string, measured: Measured, mode: RunMode): string {
  const e = registry.find((x) => x.id === id);
  if (!e) return `${id}: not in the registry`;
  const { verdict, rule } = judge(e, measured, mode, true);
  const beyond = beyondKnownMiss(e, measured, mode);
  const shown = beyond !== null ? `FAIL beyond its declared known miss (${beyond.rule})` : verdict === "fail" && knownMissApplies(e, mode) ? "fail (known miss)" : verdict;
  return `${id} (${e.figure}, ${e.kind}): measured ${formatValue(measured)} ${e.unit} vs published ${formatValue(e.published)} — ${shown} (${rule})`;
}
