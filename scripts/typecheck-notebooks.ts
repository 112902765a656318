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
 * Usage: npx tsx scripts/typecheck-notebooks.ts [name or prefix ...]   (exit 1 when any notebook has an error)
 */
import * as fs from "fs";
import * as path from "path";
import ts from "typescript";

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

if (require.main === module) {
  const root = path.resolve(__dirname, "..");
  const dir = path.join(root, "notebooks");
  const selectors = process.argv.slice(2);
  const all = fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();
  const chosen = selectors.length ? all.filter((f) => selectors.some((s) => f.startsWith(s))) : all;
  const ds = typecheckNotebooks(chosen.map((f) => path.join(dir, f)), root);
  if (ds.length) console.error(formatDiagnostics(ds));
  console.log(`typecheck-notebooks: ${chosen.length} notebook(s), ${ds.length} error(s)`);
  process.exit(ds.length ? 1 : 0);
}
