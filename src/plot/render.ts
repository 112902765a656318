/**
 * Vega-Lite → SVG → PNG, headless. vega 5 / vega-lite 5 (CommonJS, loadable by tslab); a vega View with
 * renderer "none" produces SVG text, and resvg rasterises it (no canvas, no browser). Text is measured with the
 * DejaVu Sans advance widths (./text-width), so titles, legends and axis titles are laid out at their true size.
 */
import * as vega from "vega";
import * as vegaLite from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
import { dejaVuTextWidth } from "./text-width";

// Lay text out with the widths of the font resvg draws (vega's canvas-free estimate is ~1.4× too wide).
const measuredWidth = dejaVuTextWidth();
// vega exports the textMetrics object at run time; its typings omit it.
if (measuredWidth) (vega as unknown as { textMetrics: { width: typeof measuredWidth } }).textMetrics.width = measuredWidth;

/** A Vega-Lite specification (top level). Kept loose so notebooks can write specs as plain objects. */
export type VegaLiteSpec = Record<string, unknown>;

/** House defaults: readable fonts and sizes in both SVG and PNG. */
const baseConfig = {
  font: "DejaVu Sans",
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridOpacity: 0.35 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" },
  view: { stroke: "#888" },
};

/** Compile a Vega-Lite spec (house config merged under the spec's own config). */
export function compileSpec(spec: VegaLiteSpec): vega.Spec {
  const withConfig = { ...spec, config: { ...baseConfig, ...((spec.config as object) ?? {}) } };
  return vegaLite.compile(withConfig as unknown as vegaLite.TopLevelSpec).spec;
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
