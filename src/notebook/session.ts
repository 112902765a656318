/**
 * The one API a notebook uses to talk to the outside world: the run mode, metric recording (the only
 * path by which measured numbers reach the report), figures and tables.
 *
 * Mode: the notebook's parameters cell may pass `mode`; otherwise the environment variable IMC_MODE
 * (`quick` | `full`) chooses, and the default is `quick`.
 *
 * Metrics: `record(id, measured)` writes `{ id → measured }` to the file named by IMC_METRICS_FILE (the
 * headless runner sets it to a staging file) or, in an interactive session, to
 * `figures/.staging/<notebook>.<mode>.json`; the runner promotes them and the checker builds the report from
 * them. For the reader of the notebook, `record` also prints the checker's one-line verdict for the value
 * ("measured … vs published … — pass"): the session loads the registry through the checker
 * (src/registry/checker.ts, its only reader) and shows what {@link compareOne} returns. The session and the
 * notebook do not judge anything themselves, and the value recorded does not depend on the published one.
 */
import * as fs from "fs";
import * as path from "path";
import { renderSvg, svgToPng, type VegaLiteSpec } from "../plot/render";
import { frame, frameToHtml, frameToText, type DataFrame, type TableRow } from "./tables";
import { compareOne, loadRegistry, type RegistryEntry } from "../registry/checker";

export type RunMode = "quick" | "full";

/** A recorded value: a number (compared with the registry) or a boolean for a qualitative predicate. */
export type Measured = number | boolean;

export interface RecordedMetric {
  measured: Measured;
  /** Free text shown in the report, e.g. which dataset sequence actually ran. */
  note?: string;
}

export interface MetricsFile {
  notebook: string;
  mode: RunMode;
  metrics: Record<string, RecordedMetric>;
}

/** Parse a mode string; throws on anything but quick/full. */
export function parseMode(value: string | undefined, fallback: RunMode = "quick"): RunMode {
  if (value === undefined || value === "") return fallback;
  if (value === "quick" || value === "full") return value;
  throw new RangeError(`run mode must be "quick" or "full", got "${value}"`);
}

/** Project root: the kernel wrapper starts tslab there; scripts run from there too. */
export function projectRoot(): string {
  let dir = process.cwd();
  for (;;) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "src"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

type DisplayBundle = Record<string, string | object>;

/** Send a multi-MIME display_data message when running inside tslab; print text otherwise. */
function display(bundle: DisplayBundle, fallbackText: string): void {
  let writer: ((data: unknown, update: boolean) => void) | null = null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    writer = require("tslab/dist/jupyter").lastWriteDisplayData;
  } catch {
    writer = null;
  }
  if (writer) writer({ data: bundle, metadata: {}, transient: {} }, false);
  else if (process.env.IMC_QUIET !== "1") console.log(fallbackText);
}

export class NotebookSession {
  readonly name: string;
  readonly mode: RunMode;
  readonly root: string;
  private readonly metricsPath: string;
  private readonly metrics: Record<string, RecordedMetric> = {};
  private registry: RegistryEntry[] | undefined;

  /** `root`: the project folder that holds figures/ and data/ (default {@link projectRoot}; tests pass a temporary one). */
  constructor(name: string, mode: RunMode, root: string = projectRoot()) {
    if (!/^[0-9]{2}-[a-z0-9-]+$/.test(name)) throw new RangeError(`notebook name must look like "01-ecram-device", got "${name}"`);
    this.name = name;
    this.mode = mode;
    this.root = root;
    this.metricsPath = process.env.IMC_METRICS_FILE ?? path.join(this.root, "figures", ".staging", `${name}.${mode}.json`);
    this.flush();
  }

  /** Pick a value by mode: `session.pick({ quick: 2000, full: 60000 })`. */
  pick<T>(byMode: { quick: T; full: T }): T {
    return byMode[this.mode];
  }

  /** Record a measured value for registry entry `id`. Overwrites an earlier value of the same id. */
  record(id: string, measured: Measured, note?: string): void {
    if (!/^[a-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(id)) throw new RangeError(`metric id must look like "paper.group.name", got "${id}"`);
    if (typeof measured === "number" && !Number.isFinite(measured)) throw new RangeError(`metric ${id}: measured value is not finite (${measured})`);
    this.metrics[id] = note === undefined ? { measured } : { measured, note };
    this.flush();
    // The checker (the registry's only reader) phrases the comparison for the reader of the notebook.
    this.registry ??= loadRegistry(path.join(this.root, "data", "published"));
    const line = compareOne(this.registry, id, measured, this.mode) + (note ? ` [${note}]` : "");
    display({ "text/plain": line }, line);
  }

  /** The metrics recorded so far (a copy). */
  recorded(): Record<string, RecordedMetric> {
    return JSON.parse(JSON.stringify(this.metrics));
  }

  private flush(): void {
    const file: MetricsFile = { notebook: this.name, mode: this.mode, metrics: this.metrics };
    fs.mkdirSync(path.dirname(this.metricsPath), { recursive: true });
    const tmp = `${this.metricsPath}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(file, null, 2) + "\n");
    fs.renameSync(tmp, this.metricsPath);
  }

  /**
   * Render a Vega-Lite spec, write figures/<notebook>/<name>.svg and .png (full mode: figures/<notebook>/full/, so
   * a paper-scale run keeps its figures beside the quick ones instead of overwriting them), and show it inline
   * (SVG for the classic notebook, the Vega-Lite MIME type for front ends that render it).
   */
  async figure(name: string, spec: VegaLiteSpec): Promise<void> {
    if (!/^[a-z0-9][a-z0-9-_]*$/.test(name)) throw new RangeError(`figure name must be lowercase-with-dashes, got "${name}"`);
    const svg = await renderSvg(spec);
    const dir = path.join(this.root, "figures", this.name, ...(this.mode === "full" ? ["full"] : []));
    const shown = path.relative(path.join(this.root, "figures"), path.join(dir, name));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
    fs.writeFileSync(path.join(dir, `${name}.png`), svgToPng(svg));
    display({ "image/svg+xml": svg, "application/vnd.vegalite.v5+json": spec, "text/plain": `[figure ${shown}]` }, `[figure figures/${shown}.svg]`);
  }

  /**
   * Show a table (rows or a danfo DataFrame) as HTML with a text fallback. Returns nothing so that a cell
   * ending in it does not also print the frame; build one with `frame(rows)` from ./tables to keep it.
   */
  table(rows: TableRow[] | DataFrame, caption?: string, digits = 4): void {
    const df = Array.isArray(rows) ? frame(rows) : rows;
    display({ "text/html": frameToHtml(df, caption, digits), "text/plain": frameToText(df, caption, digits) }, frameToText(df, caption, digits));
  }

  /** Show Markdown (a computed sentence, e.g. a comparison) inline. */
  markdown(text: string): void {
    display({ "text/markdown": text, "text/plain": text }, text);
  }
}

/** Open a notebook session. Call once, in the notebook's parameters cell. */
export function openNotebook(name: string, options: { mode?: RunMode } = {}): NotebookSession {
  return new NotebookSession(name, options.mode ?? parseMode(process.env.IMC_MODE));
}
