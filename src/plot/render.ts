/**
 * Vega-Lite → SVG → PNG, headless. vega 5 / vega-lite 5 (CommonJS, loadable by tslab); a vega View with
 * renderer "none" produces SVG text, and resvg rasterises it (no canvas, no browser). Text is measured with the
 * DejaVu Sans advance widths (./text-width), so titles, legends and axis titles are laid out at their true size.
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
import { sharedDejaVuTextWidth } from "./text-width";

// Lay text out with the widths of the font resvg draws (vega's canvas-free estimate is ~1.4× too wide).
const measuredWidth = sharedDejaVuTextWidth();
// vega exports the textMetrics object at run time; its typings omit it.
if (measuredWidth) (vega as unknown as { textMetrics: { width: typeof measuredWidth } }).textMetrics.width = measuredWidth;

/** A Vega-Lite specification (top level). Kept loose so notebooks can write specs as plain objects. */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * The house font sizes, px in the SVG (the PNG is drawn at {@link PNG_SCALE}×): sized for a figure projected in a
 * lecture hall, a step above Vega's defaults (10–11 px labels, 10 px facet headers).
 */
export const HOUSE_FONT_PX = Object.freeze({ label: 13, axisTitle: 14, header: 14, title: 17, subtitle: 14 });

/** House defaults: readable fonts and sizes in both SVG and PNG. */
const baseConfig = {
  font: "DejaVu Sans",
  axis: { labelFontSize: HOUSE_FONT_PX.label, titleFontSize: HOUSE_FONT_PX.axisTitle, grid: true, gridOpacity: 0.35 },
  legend: { labelFontSize: HOUSE_FONT_PX.label, titleFontSize: HOUSE_FONT_PX.axisTitle },
  header: { labelFontSize: HOUSE_FONT_PX.header, titleFontSize: HOUSE_FONT_PX.header },
  title: { fontSize: HOUSE_FONT_PX.title, subtitleFontSize: HOUSE_FONT_PX.subtitle, anchor: "start" },
  view: { stroke: "#888" },
};

/**
 * Vega-Lite reads "." and "[ ]" in a `field` as a path into nested data, so a column named "I_ts +0.01 V (µA)"
 * plots nothing (every value undefined). Escape them in every `field` that names a column of the spec's inline
 * data exactly; a field that is a real path (no such column) is left alone. Returns a copy.
 */
export function escapeColumnFields(spec: VegaLiteSpec): VegaLiteSpec {
  const columns = new Set<string>();
  const collect = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(collect);
    if (node === null || typeof node !== "object") return;
    for (const [k, v] of Object.entries(node)) {
      // Inline data rows give the column names; nothing inside them is a spec.
      if (k !== "values" || !Array.isArray(v)) collect(v);
      else for (const row of v) if (row && typeof row === "object") Object.keys(row).forEach((c) => columns.add(c));
    }
  };
  collect(spec);
  const needsEscape = (f: string) => columns.has(f) && /(^|[^\\])[.[\]]/.test(f);
  const escape = (f: string) => f.replace(/([.[\]])/g, "\\$1");
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== "object") return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "values") out[k] = v; // data rows stay as they are
      else if (k === "field" && typeof v === "string" && needsEscape(v)) out[k] = escape(v);
      else out[k] = rewrite(v);
    }
    return out;
  };
  return rewrite(spec) as VegaLiteSpec;
}

/**
 * The spec as the project draws it, self-contained: column names escaped and the house config merged under the
 * spec's own config. Any Vega-Lite 5 tool renders it as the figure looks (what `figure()` stores as <name>.vl.json).
 */
export function standaloneSpec(spec: VegaLiteSpec): VegaLiteSpec {
  return { ...escapeColumnFields(spec), config: { ...baseConfig, ...((spec.config as object) ?? {}) } };
}

/** Compile a Vega-Lite spec as {@link standaloneSpec} completes it. */
export function compileSpec(spec: VegaLiteSpec): vega.Spec {
  return vegaLite.compile(standaloneSpec(spec) as unknown as vegaLite.TopLevelSpec).spec;
}

/** Render a Vega-Lite spec to SVG text. */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(compileSpec(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The scale PNGs are rasterised at (2 = retina-like): a figure of w × h SVG pixels becomes (2w) × (2h). */
export const PNG_SCALE = 2;

/** Rasterise SVG text to PNG bytes at the given scale. */
export function svgToPng(svg: string, scale = PNG_SCALE): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}
