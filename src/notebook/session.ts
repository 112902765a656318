/**
 * The one API a notebook uses to talk to the outside world: the run mode, metric recording (the only
 * path by which measured numbers reach the report), figures and tables.
 *
 * Mode: the notebook's parameters cell may pass `mode`; otherwise the environment variable IMC_MODE
 * (`quick` | `full`) chooses, and the default is `quick`. The name given to {@link openNotebook} is the notebook's
 * file name without `.ipynb` (it names the figures folder and the metrics); under the headless runner, which sets
 * IMC_NOTEBOOK, another name is refused.
 *
 * Metrics: `record(id, measured)` writes `{ id → measured }` to the file named by IMC_METRICS_FILE (the
 * headless runner sets it to a staging file of its own run) or, in an interactive session, to
 * `figures/.staging/<notebook>.<mode>.json`, which nothing promotes; the runner promotes its run's file to
 * `figures/metrics/` and the checker builds the report from those. For the reader of the notebook, `record` also prints the checker's one-line verdict for the value
 * ("measured … vs published … — pass"): the session loads the registry through the checker
 * (src/registry/checker.ts, its only reader) and shows what {@link compareOne} returns. The session and the
 * notebook do not judge anything themselves, and the value recorded does not depend on the published one.
 */
import * as fs from "fs";
import * as path from "path";
import { PNG_SCALE, renderSvg, standaloneSpec, svgToPng, type VegaLiteSpec } from "../plot/render";
import { frame, frameToHtml, frameToText, type DataFrame } from "./tables";
import { compareOne, loadRegistry, measuredTypeProblem, type RegistryEntry } from "../registry/checker";
import { writeFileAtomic } from "../util/atomic-write";
import { projectRoot } from "../util/project-root";
import type { Row } from "../util/row";

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
  /**
   * SHA-256 digests of what the values were computed from (the notebook's code cells; the src/ modules it loads),
   * added by the runner when it promotes the file (scripts/notebook-sources.ts); absent in a session's own file.
   */
  sources?: { cells: string; modules: string };
}

/** Parse a mode string; throws on anything but quick/full. `source` names where the value came from (e.g. IMC_MODE). */
export function parseMode(value: string | undefined, fallback: RunMode = "quick", source = "run mode"): RunMode {
  if (value === undefined || value === "") return fallback;
  if (value === "quick" || value === "full") return value;
  throw new RangeError(`${source} must be "quick" or "full", got "${value}"`);
}

type DisplayBundle = Record<string, string | object>;

/** The largest figure `figure()` rasterises, in pixels at {@link PNG_SCALE} (a 20000-px-wide chart took 12.8 GB). */
const MAX_FIGURE_PIXELS = 20e6;

/**
 * A spec's numeric width and height (best effort, before rendering): the top level's, else the inner `spec`'s of
 * a facet or repeat; Vega-Lite's default 300 × 300 when neither says.
 */
function specSize(spec: VegaLiteSpec): [number, number] {
  const inner = (spec.spec && typeof spec.spec === "object" ? spec.spec : {}) as Record<string, unknown>;
  const pick = (k: "width" | "height") => [spec[k], inner[k]].find((v): v is number => typeof v === "number" && Number.isFinite(v)) ?? 300;
  return [pick("width"), pick("height")];
}

/** Up to five registry ids that look like `id`: those sharing its longest dotted prefix. */
function suggestIds(registry: RegistryEntry[], id: string): string {
  const parts = id.split(".");
  for (let n = parts.length - 1; n >= 1; n--) {
    const prefix = parts.slice(0, n).join(".") + ".";
    const hits = registry.map((e) => e.id).filter((x) => x.startsWith(prefix));
    if (hits.length) return `; similar ids: ${hits.slice(0, 5).join(", ")}${hits.length > 5 ? ", …" : ""}`;
  }
  return "";
}

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
    if (mode !== "quick" && mode !== "full") throw new RangeError(`notebook ${name}: mode must be "quick" or "full", got ${JSON.stringify(mode)}`);
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

  /**
   * Record a measured value for registry entry `id`. Overwrites an earlier value of the same id. Throws on an id
   * the registry does not have, and on a value the entry's check cannot judge (a boolean for a `true` check, a
   * finite number for the others), before anything is written.
   */
  record(id: string, measured: Measured, note?: string): void {
    if (!/^[a-z0-9_]+(\.[A-Za-z0-9_]+)+$/.test(id)) throw new RangeError(`metric id must look like "paper.group.name", got "${id}"`);
    if (typeof measured === "number" && !Number.isFinite(measured)) throw new RangeError(`metric ${id}: measured value is not finite (${measured})`);
    // The checker (the registry's only reader) phrases the comparison for the reader of the notebook.
    this.registry ??= loadRegistry(path.join(this.root, "data", "published"));
    const entry = this.registry.find((e) => e.id === id);
    if (!entry) throw new RangeError(`metric ${id} is not in the registry (data/published/)${suggestIds(this.registry, id)}`);
    const problem = measuredTypeProblem(entry, measured, this.mode);
    if (problem) throw new TypeError(`metric ${id}: ${problem}`);
    this.metrics[id] = note === undefined ? { measured } : { measured, note };
    this.flush();
    const line = compareOne(this.registry, id, measured, this.mode) + (note ? ` [${note}]` : "");
    display({ "text/plain": line }, line);
  }

  /** The metrics recorded so far (a copy). */
  recorded(): Record<string, RecordedMetric> {
    return JSON.parse(JSON.stringify(this.metrics));
  }

  private flush(): void {
    const file: MetricsFile = { notebook: this.name, mode: this.mode, metrics: this.metrics };
    writeFileAtomic(this.metricsPath, JSON.stringify(file, null, 2) + "\n");
  }

  /**
   * Render a Vega-Lite spec, write figures/<notebook>/<name>.svg and .png (full mode: figures/<notebook>/full/, so
   * a paper-scale run keeps its figures beside the quick ones instead of overwriting them) and the spec with its
   * data as <name>.vl.json (to re-plot the numbers or overlay one's own with any Vega-Lite tool), and show it inline
   * (SVG for the classic notebook, the Vega-Lite MIME type for front ends that render it).
   */
  async figure(name: string, spec: VegaLiteSpec): Promise<void> {
    if (!/^[a-z0-9][a-z0-9-_]*$/.test(name)) throw new RangeError(`figure name must be lowercase-with-dashes, got "${name}"`);
    const tooBig = (w: number, h: number) => w * h * PNG_SCALE * PNG_SCALE > MAX_FIGURE_PIXELS;
    const refuse = (w: number, h: number, what: string) => {
      throw new RangeError(`figure ${name}: ${what} ${w} × ${h} would rasterise to ${((w * h * PNG_SCALE * PNG_SCALE) / 1e6).toFixed(0)} megapixels at scale ${PNG_SCALE} (limit ${MAX_FIGURE_PIXELS / 1e6})`);
    };
    const [w, h] = specSize(spec);
    if (tooBig(w, h)) refuse(w, h, "width × height");
    let svg: string;
    let png: Uint8Array;
    try {
      svg = await renderSvg(spec);
      // The rendered size (facets, concatenations, padding included) decides what rasterising costs.
      const m = /^<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
      if (m && tooBig(Number(m[1]), Number(m[2]))) refuse(Number(m[1]), Number(m[2]), "the rendered size");
      png = svgToPng(svg);
    } catch (err) {
      if (err instanceof RangeError && err.message.startsWith(`figure ${name}:`)) throw err;
      throw new Error(`figure ${name}: rendering failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const dir = path.join(this.root, "figures", this.name, ...(this.mode === "full" ? ["full"] : []));
    const shown = path.relative(path.join(this.root, "figures"), path.join(dir, name));
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.svg`), svg);
    fs.writeFileSync(path.join(dir, `${name}.png`), png);
    fs.writeFileSync(path.join(dir, `${name}.vl.json`), JSON.stringify(standaloneSpec(spec)) + "\n");
    display({ "image/svg+xml": svg, "application/vnd.vegalite.v5+json": spec, "text/plain": `[figure ${shown}]` }, `[figure figures/${shown}.svg]`);
  }

  /**
   * Show a table (rows or a danfo DataFrame) as HTML with a text fallback. Returns nothing so that a cell
   * ending in it does not also print the frame; build one with `frame(rows)` from ./tables to keep it.
   */
  table(rows: Row[] | DataFrame, caption?: string, digits = 4): void {
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
  // The headless runner names the notebook it executes; a copied notebook that still opens another's name would
  // write its figures into that notebook's folder before its metrics were refused, so stop before anything is written.
  const running = process.env.IMC_NOTEBOOK;
  if (running !== undefined && running !== name)
    throw new Error(`openNotebook("${name}"): this kernel runs notebooks/${running}.ipynb; the name must be the notebook's file name without .ipynb ("${running}")`);
  const mode = options.mode !== undefined ? parseMode(options.mode, "quick", `openNotebook("${name}"): mode`) : parseMode(process.env.IMC_MODE, "quick", "the environment variable IMC_MODE");
  return new NotebookSession(name, mode);
}
