/**
 * What a notebook's recorded values are computed from, as two SHA-256 digests the runner stores with its metrics
 * (`sources` in figures/metrics/<notebook>.<mode>.json), so that the report can tell metrics of the present code
 * from metrics recorded before an edit:
 * - `cells`: the notebook's code cells (their source text, in order; outputs and markdown do not count);
 * - `modules`: the src/ modules it loads: the `./src/…` modules its cells import, every module those import in
 *   turn (relative imports, type-only ones included), and the worker entry files they start by file name (a string
 *   literal `"<name>.ts"`: every file under src/ of that name, should there be several); plus package-lock.json
 *   (the dependency versions) and tsconfig.json (the compiler options tsx compiles the worker threads' modules
 *   with).
 * Not covered: datasets, the committed run records full mode reads (they carry their own keys and checksums), and
 * the registry (it judges the values, it does not compute them).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { importStatements } from "./import-statements";
import type { MetricsFile } from "../src/notebook/session";

/** The digests stored as a metrics file's `sources`. */
export type NotebookSources = NonNullable<MetricsFile["sources"]>;

function codeCells(notebookFile: string): string[] {
  const nb = JSON.parse(fs.readFileSync(notebookFile, "utf8")) as { cells: { cell_type: string; source: string | string[] }[] };
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
}

/** Every .ts file below `dir`, sorted. */
export function typeScriptFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? typeScriptFilesUnder(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : []))
    .sort();
}

/** A relative specifier resolved from `fromDir` to an existing .ts file (`x` → `x.ts`, or `x/index.ts`), or null. */
function resolveModule(fromDir: string, specifier: string): string | null {
  const base = path.resolve(fromDir, specifier);
  for (const candidate of [base, `${base}.ts`, path.join(base, "index.ts")]) if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  return null;
}

/**
 * The src/ files a notebook loads, sorted, relative to `root` (see the module comment for what counts). An import
 * that does not resolve is left to the type check that runs before any notebook.
 */
export function notebookModuleFiles(root: string, notebookFile: string): string[] {
  const srcDir = path.join(root, "src");
  const byBasename = new Map<string, string[]>();
  for (const f of typeScriptFilesUnder(srcDir)) byBasename.set(path.basename(f), [...(byBasename.get(path.basename(f)) ?? []), f]);
  const seen = new Set<string>();
  const queue: string[] = [];
  const visit = (file: string | null) => {
    if (file !== null && file.startsWith(srcDir + path.sep) && !seen.has(file)) {
      seen.add(file);
      queue.push(file);
    }
  };
  for (const cell of codeCells(notebookFile)) for (const s of importStatements(cell)) if (s.specifier.startsWith("./src/")) visit(resolveModule(root, s.specifier));
  while (queue.length) {
    const file = queue.pop()!;
    const text = fs.readFileSync(file, "utf8");
    for (const s of importStatements(text)) if (s.specifier.startsWith(".")) visit(resolveModule(path.dirname(file), s.specifier));
    // Worker entries are started by file name (path.join(…, "parallel-worker.ts")), not imported.
    for (const m of text.matchAll(/["']([\w.-]+\.ts)["']/g)) for (const named of byBasename.get(m[1]) ?? []) visit(named);
  }
  return [...seen].map((f) => path.relative(root, f).split(path.sep).join("/")).sort();
}

function digestOf(parts: string[]): string {
  const h = crypto.createHash("sha256");
  for (const p of parts) h.update(`${Buffer.byteLength(p)}:`).update(p);
  return h.digest("hex");
}

/** Project files every notebook's results depend on besides its modules: dependency versions, compiler options. */
const PROJECT_FILES = ["package-lock.json", "tsconfig.json"];

/** The two digests of a notebook as it is on disk now. */
export function notebookSources(root: string, notebook: string): NotebookSources {
  const notebookFile = path.join(root, "notebooks", `${notebook}.ipynb`);
  const modules = notebookModuleFiles(root, notebookFile);
  const moduleParts = modules.flatMap((f) => [f, fs.readFileSync(path.join(root, f), "utf8")]);
  for (const project of PROJECT_FILES) {
    const file = path.join(root, project);
    if (fs.existsSync(file)) moduleParts.push(project, fs.readFileSync(file, "utf8"));
  }
  return { cells: digestOf(codeCells(notebookFile)), modules: digestOf(moduleParts) };
}

/**
 * Why a notebook's stored metrics may not describe the present sources, or null when they do: `recorded` is the
 * `sources` field of its metrics file (absent in files written before the runner kept it).
 */
export function staleReason(recorded: NotebookSources | undefined, now: NotebookSources): string | null {
  if (recorded === undefined) return "its metrics carry no source digests (recorded before the runner kept them)";
  const changed = [recorded.cells !== now.cells ? "its code cells" : null, recorded.modules !== now.modules ? "the src/ modules it loads (or package-lock.json, tsconfig.json)" : null].filter((x) => x !== null);
  return changed.length ? `${changed.join(" and ")} changed since it ran` : null;
}
