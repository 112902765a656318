/**
 * Type-checks the code cells of notebooks before they are executed. tslab reports a cell that does not compile
 * with an empty error, and a syntax error (an unclosed parenthesis) can surface as the failure of a later cell;
 * compiling first names the notebook, the cell and the line.
 *
 * Each notebook's code cells are joined, in order, into one virtual module at the project root (so their
 * `./src/...` imports resolve as they do in the kernel, which starts at the root) and compiled together, with the
 * project's tsconfig.json settings, by the TypeScript compiler API; nothing is written to disk. Cells share one scope in
 * the kernel, so one module per notebook is the faithful unit. Diagnostics are mapped back to (cell, line).
 *
 * Usage: npx tsx scripts/typecheck-notebooks.ts [name, prefix or path ...]   (TYPECHECK_USAGE below; exit 1 when any
 * notebook has an error, or when a selector matches no notebook or several)
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";
import { listNotebooks } from "./notebook-selection";

export interface NotebookDiagnostic {
  notebook: string;
  /** Index of the cell among all cells of the notebook (0-based, as nbformat counts them). */
  cell: number;
  /** Line within the cell (1-based). */
  line: number;
  message: string;
}

interface JoinedNotebook {
  file: string;
  text: string;
  /** For each code cell: its index among all cells and the first line (0-based) of the joined text it occupies. */
  cells: { cell: number; startLine: number }[];
}

/** Join a notebook's code cells into one module text, remembering where each cell starts. */
export function joinCodeCells(notebookJson: string, virtualFile: string): JoinedNotebook {
  const nb = JSON.parse(notebookJson) as { cells: { cell_type: string; source: string | string[] }[] };
  const cells: JoinedNotebook["cells"] = [];
  const parts: string[] = [];
  let line = 0;
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code") return;
    const src = (Array.isArray(c.source) ? c.source.join("") : c.source).replace(/\n?$/, "\n");
    cells.push({ cell: i, startLine: line });
    parts.push(src);
    line += src.split("\n").length - 1;
  });
  // A module (so top-level await and imports are allowed), as tslab compiles each cell.
  return { file: virtualFile, text: parts.join("") + "export {};\n", cells };
}

/**
 * The project's compiler options (tsconfig.json), with one change: cells use top-level await, which needs an ES
 * module target, so the module kind is ES2022 instead of the project's CommonJS.
 */
function notebookCompilerOptions(projectRoot: string): ts.CompilerOptions {
  const file = path.join(projectRoot, "tsconfig.json");
  const read = ts.readConfigFile(file, ts.sys.readFile);
  const converted = ts.convertCompilerOptionsFromJson(read.config?.compilerOptions ?? {}, projectRoot, file);
  const errors = [...(read.error ? [read.error] : []), ...converted.errors];
  if (errors.length) throw new Error(`${file}: ${errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, "\n")).join("; ")}`);
  return { ...converted.options, module: ts.ModuleKind.ES2022, noEmit: true };
}

/** Type-check the given notebooks (paths to .ipynb) and return every error, mapped to cells. */
export function typecheckNotebooks(notebookPaths: readonly string[], projectRoot: string): NotebookDiagnostic[] {
  const joined = notebookPaths.map((p) => ({ name: path.basename(p, ".ipynb"), ...joinCodeCells(fs.readFileSync(p, "utf8"), path.join(projectRoot, `__notebook_${path.basename(p, ".ipynb")}.ts`)) }));
  const virtual = new Map(joined.map((j) => [j.file, j.text]));
  const options = notebookCompilerOptions(projectRoot);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, lang, onError, create) => {
    const text = virtual.get(path.resolve(file));
    return text !== undefined ? ts.createSourceFile(file, text, lang) : getSourceFile(file, lang, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => virtual.has(path.resolve(file)) || fileExists(file);
  const program = ts.createProgram({ rootNames: joined.map((j) => j.file), options, host });
  const out: NotebookDiagnostic[] = [];
  for (const j of joined) {
    const sf = program.getSourceFile(j.file)!;
    for (const d of [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]) {
      const at = d.start === undefined ? 0 : sf.getLineAndCharacterOfPosition(d.start).line;
      const owner = [...j.cells].reverse().find((c) => c.startLine <= at) ?? j.cells[0];
      out.push({ notebook: j.name, cell: owner?.cell ?? -1, line: at - (owner?.startLine ?? 0) + 1, message: ts.flattenDiagnosticMessageText(d.messageText, "\n") });
    }
  }
  return out;
}

/** One line per diagnostic: `notebook cell N, line L: message`. */
export function formatDiagnostics(ds: readonly NotebookDiagnostic[]): string {
  return ds.map((d) => `${d.notebook} cell ${d.cell}, line ${d.line}: ${d.message}`).join("\n");
}

export const TYPECHECK_USAGE = `usage: npx tsx scripts/typecheck-notebooks.ts [NOTEBOOK ...]
  NOTEBOOK   a name, prefix or path, e.g. 01, 06-continual-large or notebooks/01-ecram-device.ipynb (each must match
             exactly one notebook); none means every notebook. Exit 1 when any notebook has an error.`;

/**
 * The notebooks the command line names (scripts/notebook-selection.ts, as scripts/reproduce.ts selects them), or
 * null for --help; throws on an unknown option or a selector that matches no notebook or several.
 */
export function parseTypecheckArgs(argv: readonly string[], root: string = path.resolve(__dirname, "..")): string[] | null {
  if (argv.includes("--help") || argv.includes("-h")) return null;
  const unknown = argv.find((a) => a.startsWith("-"));
  if (unknown !== undefined) throw new Error(`unknown option ${unknown} (the only option is --help)`);
  return listNotebooks(argv, root);
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  let chosen: string[] | null;
  try {
    chosen = parseTypecheckArgs(process.argv.slice(2), root);
  } catch (e) {
    console.error(`typecheck-notebooks: ${e instanceof Error ? e.message : String(e)}\n${TYPECHECK_USAGE}`);
    process.exit(1);
  }
  if (chosen === null) {
    console.log(TYPECHECK_USAGE);
    process.exit(0);
  }
  const ds = typecheckNotebooks(chosen.map((n) => path.join(root, "notebooks", `${n}.ipynb`)), root);
  if (ds.length) console.error(formatDiagnostics(ds));
  console.log(`typecheck-notebooks: ${chosen.length} notebook(s), ${ds.length} error(s)`);
  process.exit(ds.length ? 1 : 0);
}
