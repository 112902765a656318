/**
 * Small builders for the chart shapes the notebooks use most. Each returns a plain Vega-Lite spec
 * (data inlined), so a notebook can also write or tweak specs by hand.
 */
import { HOUSE_FONT_PX, type VegaLiteSpec } from "./render";
import { sharedDejaVuTextWidth } from "./text-width";
import { max, min } from "../util/stats";
import { requireFinite } from "../util/validate";
import type { Row } from "../util/row";


export interface XYOptions {
  title?: string;
  x: string;
  y: string;
  /** Field that splits the data into series (colour). */
  color?: string;
  xTitle?: string;
  yTitle?: string;
  xScale?: "linear" | "log";
  /** "symlog": logarithmic away from zero, linear through it (counts that can be 0). */
  yScale?: "linear" | "log" | "symlog";
  width?: number;
  height?: number;
  /** Field for small multiples (one panel per value). */
  facet?: string;
  /** Panel order by facet value (default: ascending). */
  facetSort?: string[];
  /** Heading over the panels (default: the facet field's name; null: none). */
  facetTitle?: string | null;
  /** Each panel gets its own x range (panels over different stretches of x). */
  independentX?: boolean;
  /** Each panel gets its own y range (panels of different quantities or units). */
  independentY?: boolean;
  /** "data": colour legend in the rows' order of first appearance (K = 2, 5, 10 …), not sorted as text (10, 100, 2 …). */
  colorOrder?: "data";
  /** Vega colour scheme of the colour field (e.g. "viridis" for ordered levels that must be told apart). */
  colorScheme?: string;
  /**
   * Explicit colours of the colour field, in the order of its values (the legend's order; `colorDomain` fixes it);
   * they repeat when there are more values. Overrides `colorScheme`. {@link OKABE_ITO} is a palette that stays
   * distinguishable under the common colour-vision deficiencies.
   */
  colorRange?: string[];
  /**
   * The colour field's values in legend order: each takes the colour at its position in `colorRange` (or the scheme),
   * whether or not it occurs in the data, so a colour keeps its meaning from run to run.
   */
  colorDomain?: string[];
  /** d3 number format of the x tick labels (e.g. "~s": 100k, 1M, where plain labels run into each other). */
  xFormat?: string;
  /** d3 number format of the y tick labels (e.g. "~e" where a log axis would mix 0.000001 with 1e-7). */
  yFormat?: string;
  /** Tick values of the x axis (e.g. −1, −0.5, 0, 0.5, 1 where the end labels collide with their neighbours). */
  xTicks?: number[];
  /** Tick values of the y axis (e.g. 0, 1, 10, 100 … on a symlog axis, whose default ticks bunch at the top). */
  yTicks?: number[];
  /** Type of the colour field. */
  colorType?: "nominal" | "ordinal" | "quantitative";
  yDomain?: [number, number];
  xDomain?: [number, number];
}

/** A quantitative scale; linear scales do not force zero into the domain (log scales cannot). */
function scale(type: "linear" | "log" | "symlog" | undefined, domain?: [number, number]): Record<string, unknown> {
  return { type: type ?? "linear", ...(domain ? { domain } : {}), ...(type === "log" ? {} : { zero: false }) };
}

/** An axis block with a tick format and/or tick values, or nothing. */
function axis(format: string | undefined, values: number[] | undefined): Record<string, unknown> {
  if (!format && !values) return {};
  return { axis: { ...(format ? { format } : {}), ...(values ? { values } : {}) } };
}

/**
 * The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2002), reordered for a white background: blue,
 * orange, bluish green, vermillion, reddish purple, sky blue, black (its yellow is left out: too light for thin lines
 * on white). Its colours stay apart for protan, deutan and tritan viewers, where Vega's default tableau10 puts its
 * teal and green (4th and 5th) and its orange and green close together.
 */
export const OKABE_ITO: readonly string[] = Object.freeze(["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]);

/** The colour scale block of the XY charts: a fixed domain and explicit colours, else a named scheme, else none. */
function colorScale(o: XYOptions): Record<string, unknown> {
  const scale = { ...(o.colorDomain ? { domain: o.colorDomain } : {}), ...(o.colorRange ? { range: o.colorRange } : o.colorScheme ? { scheme: o.colorScheme } : {}) };
  return Object.keys(scale).length ? { scale } : {};
}

function encodeXY(o: XYOptions): Record<string, unknown> {
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: scale(o.xScale, o.xDomain), ...axis(o.xFormat, o.xTicks) },
    y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: scale(o.yScale, o.yDomain), ...axis(o.yFormat, o.yTicks) },
  };
  if (o.color) enc.color = { field: o.color, type: o.colorType ?? "nominal", ...colorScale(o), ...(o.colorOrder === "data" ? { sort: null } : {}) };
  return enc;
}

function wrap(rows: Row[], o: XYOptions, layer: Record<string, unknown>): VegaLiteSpec {
  const inner = { ...layer, width: o.width ?? 360, height: o.height ?? 240 };
  if (o.facet) {
    const facet = { field: o.facet, type: "nominal", ...(o.facetSort ? { sort: o.facetSort } : {}), ...(o.facetTitle !== undefined ? { title: o.facetTitle } : {}) };
    const independent = { ...(o.independentX ? { x: "independent" } : {}), ...(o.independentY ? { y: "independent" } : {}) };
    return { title: o.title, data: { values: rows }, facet, columns: 3, spec: inner, ...(Object.keys(independent).length ? { resolve: { scale: independent } } : {}) };
  }
  return { title: o.title, data: { values: rows }, ...inner };
}

/**
 * Lines (one per colour value), points on top when there are few of them (`pointSize` sets their area, px²).
 * Vega-Lite joins points in x order; give `order` (a field, e.g. a step index) to join them in that order instead
 * (hysteresis loops). `steps` draws each value as a flat step to the next x (a histogram's outline). `dash` names a
 * second field drawn as the line's dash pattern, so colour × dash tells apart more series than a palette has colours
 * (weight by colour, device of the pair by dash). `onTop` names colour values whose lines are drawn over all the
 * others (a second layer), so a short excursion of one series is not hidden under another's line (without it, series
 * are drawn in the order they first appear in the rows). `xRules` draws dashed grey vertical lines at those x values
 * under the lines (task switches).
 */
export function lineChart(rows: Row[], o: XYOptions & { points?: boolean; pointSize?: number; order?: string; steps?: boolean; dash?: string; onTop?: string[]; xRules?: readonly number[] }): VegaLiteSpec {
  const encoding = encodeXY(o);
  if (o.order) encoding.order = { field: o.order, type: "quantitative" };
  if (o.dash) encoding.strokeDash = { field: o.dash, type: "nominal", ...(o.colorOrder === "data" ? { sort: null } : {}) };
  const point = o.points ? (o.pointSize ? { size: o.pointSize } : true) : false;
  const mark = { type: "line", point, strokeWidth: 1.8, ...(o.steps ? { interpolate: "step-after" } : {}) };
  const rules = xRulesLayer(o);
  if (o.onTop?.length) {
    if (!o.color) throw new RangeError("lineChart: onTop names colour values, so it needs a color field");
    const top = { field: o.color, oneOf: o.onTop };
    return wrap(rows, o, { layer: [...rules, { transform: [{ filter: { not: top } }], mark, encoding }, { transform: [{ filter: top }], mark, encoding }] });
  }
  return wrap(rows, o, rules.length ? { layer: [...rules, { mark, encoding }] } : { mark, encoding });
}

/**
 * `xRules` of {@link lineChart}: thin dashed grey vertical lines at these x values (e.g. the epochs where a task
 * sequence switches task), drawn under the lines and in every facet panel; none without them.
 */
function xRulesLayer(o: XYOptions & { xRules?: readonly number[] }): Record<string, unknown>[] {
  if (!o.xRules?.length) return [];
  o.xRules.forEach((x, i) => requireFinite(`lineChart: xRules[${i}]`, x));
  return [{
    data: { values: o.xRules.map((x) => ({ [o.x]: x })) },
    mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
    encoding: { x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x } },
  }];
}

/** Scatter plot. */
export function scatterChart(rows: Row[], o: XYOptions & { size?: number; opacity?: number }): VegaLiteSpec {
  return wrap(rows, o, { mark: { type: "point", filled: true, size: o.size ?? 18, opacity: o.opacity ?? 0.7 }, encoding: encodeXY(o) });
}

/**
 * The x axis of a histogram: labels centred on their bin edges. Vega-Lite right-aligns the last label with the axis
 * end (labelFlush), which on a binned axis pushes it onto its neighbour ("200220").
 */
function binAxis(format: string | undefined, values: number[] | undefined): Record<string, unknown> {
  const a = axis(format, values).axis as Record<string, unknown> | undefined;
  return { axis: { ...(a ?? {}), labelFlush: false } };
}

/**
 * Bins [k·step, (k + 1)·step) over the field's range, the last one included: Vega closes its last bin on the right,
 * so over the bare data extent the largest value would share the bin below it.
 */
function stepBins(rows: Row[], field: string, step: number): Record<string, unknown> {
  const values = rows.map((r) => r[field]).filter((v): v is number => typeof v === "number" && Number.isFinite(v));
  if (values.length === 0) return { step };
  return { step, extent: [Math.floor(min(values) / step) * step, (Math.floor(max(values) / step) + 1) * step] };
}

/**
 * Histogram of one quantitative field. With `color`, the series are overlaid (each bar starts at zero, lightly
 * filled and outlined in its colour), not stacked: a stacked series' bars would start on top of the others' and
 * read too high.
 * `step` fixes the bin width instead of `bins` (1 for integer counts: one bar per value, from k to k + 1);
 * `xFormat` (a d3 format, "d" for integers) and `xTicks` set the axis labels.
 */
export function histogram(rows: Row[], o: { field: string; title?: string; bins?: number; step?: number; color?: string; xTitle?: string; xFormat?: string; xTicks?: number[]; width?: number; height?: number }): VegaLiteSpec {
  const encoding: Record<string, unknown> = {
    x: { field: o.field, type: "quantitative", bin: o.step ? stepBins(rows, o.field, o.step) : { maxbins: o.bins ?? 40 }, title: o.xTitle ?? o.field, ...binAxis(o.xFormat, o.xTicks) },
    y: { aggregate: "count", type: "quantitative", title: "count", ...(o.color ? { stack: null } : {}) },
  };
  if (o.color) {
    encoding.color = { field: o.color, type: "nominal" };
    encoding.stroke = { field: o.color, type: "nominal" };
  }
  // Overlaid series: a light fill and an outline in the series colour, so each series' bar tops stay readable
  // where they overlap (a half-opaque fill alone shows the overlap in a blend the legend does not have).
  const mark = o.color ? { type: "bar", fillOpacity: 0.25, strokeWidth: 1.2 } : { type: "bar", opacity: 0.8 };
  return { title: o.title, data: { values: rows }, mark, encoding, width: o.width ?? 360, height: o.height ?? 220 };
}

/** Options of {@link barChart}. `x` and `xTitle` name the category, `y` and `yTitle` the value, in either orientation. */
export interface BarOptions {
  /** Category field (on the vertical axis when `horizontal`). */
  x: string;
  /** Value field. */
  y: string;
  /** Field holding ± the error (e.g. a std): a black error bar from y − yErr to y + yErr. */
  yErr?: string;
  /** Fields holding the error bar's ends, when they are not symmetric or already computed (e.g. mean ± 2 s.e.). */
  lo?: string;
  hi?: string;
  /** Field that colours the bars; they stack unless `grouped` puts them side by side. */
  color?: string;
  grouped?: boolean;
  /** Keep the categories in the order of the rows (a sweep's order) instead of sorting them alphabetically. */
  keepOrder?: boolean;
  /** Sort the categories by value, largest first (overrides `keepOrder`). */
  sortByValue?: boolean;
  /** Category on the vertical axis, bars running right (long category names). */
  horizontal?: boolean;
  /** Field for one panel per value, side by side, in `facetSort` order when given. */
  facet?: string;
  facetSort?: string[];
  /** Longest category label and legend entry, in pixels, before they are cut (Vega-Lite's default is 180 and 160). */
  labelLimit?: number;
  title?: string;
  /** Axis titles; null hides one (default: the field's name). */
  yTitle?: string | null;
  xTitle?: string | null;
  width?: number;
  height?: number;
  yDomain?: [number, number];
  /**
   * A dot per category instead of a bar, on a value axis that need not start at zero: means that differ by tenths of
   * a percent stay apart, which bars from zero would hide (Cleveland's dot plot). Error bars are drawn as with bars.
   */
  dots?: boolean;
  /** "log": a logarithmic value axis, for parts that span decades (a power breakdown); needs `dots` (a bar has no log base). */
  valueScale?: "linear" | "log";
  /** With `facet`: each panel its own value axis (with `dots`, each panel zooms in on its own values). */
  independentValue?: boolean;
}

/**
 * Bars (or, with `dots`, dots on an axis that need not start at zero) with optional error bars: rows carry the
 * category, the value and optionally its error, as ± `yErr` or as the ends `lo` and `hi`. `color` with `grouped`
 * puts the colours side by side instead of stacking them. Categories are sorted alphabetically unless `keepOrder`
 * keeps them in the order of the rows or `sortByValue` puts the largest first. `horizontal` lays the bars along x,
 * `facet` gives one panel per value. Short category labels that fit their band stay unrotated.
 */
export function barChart(rows: Row[], o: BarOptions): VegaLiteSpec {
  const [cat, val, catOffset] = o.horizontal ? (["y", "x", "yOffset"] as const) : (["x", "y", "xOffset"] as const);
  const size = { width: o.width ?? 360, height: o.height ?? 220 };
  const flat = !o.horizontal && (o.grouped || labelsFitFlat(rows.map((r) => String(r[o.x])), size.width));
  const axis = { ...(flat ? { labelAngle: 0 } : {}), ...(o.labelLimit ? { labelLimit: o.labelLimit } : {}) };
  const sort = o.sortByValue ? { sort: `-${val}` } : o.keepOrder ? { sort: null } : {};
  const category = { field: o.x, type: "nominal", title: o.xTitle === undefined ? o.x : o.xTitle, ...(Object.keys(axis).length ? { axis } : {}), ...sort };
  if (o.valueScale === "log" && !o.dots) throw new RangeError("barChart: a log value axis needs dots (bars from a log axis's lower end have no meaning)");
  const valueScale = {
    ...(o.yDomain ? { domain: o.yDomain } : {}),
    ...(o.valueScale === "log" ? { type: "log" } : o.dots ? { zero: false } : {}),
  };
  const value = { field: o.y, type: "quantitative", title: o.yTitle === undefined ? o.y : o.yTitle, ...(Object.keys(valueScale).length ? { scale: valueScale } : {}) };
  const encoding: Record<string, unknown> = { [cat]: category, [val]: value };
  if (o.color) {
    encoding.color = { field: o.color, type: "nominal", ...(o.labelLimit ? { legend: { labelLimit: o.labelLimit } } : {}) };
    if (o.grouped) encoding[catOffset] = { field: o.color, type: "nominal" };
  }
  const mark = o.dots ? { type: "point", filled: true, size: 70, opacity: 1, ...(o.color ? {} : { color: "#4c78a8" }) } : "bar";
  const layers: Record<string, unknown>[] = [{ mark, encoding }];
  const errorBar = (lo: string, hi: string, transform?: unknown[]) => ({
    ...(transform ? { transform } : {}),
    mark: { type: "rule", color: "black" },
    encoding: {
      [cat]: category,
      [val]: { field: lo, type: "quantitative", title: value.title },
      [`${val}2`]: { field: hi },
      ...(o.color && o.grouped ? { [catOffset]: { field: o.color, type: "nominal" } } : {}),
    },
  });
  if (o.lo !== undefined || o.hi !== undefined) {
    if (o.lo === undefined || o.hi === undefined || o.yErr !== undefined) throw new RangeError("barChart: give both lo and hi, or yErr, for the error bars");
    layers.push(errorBar(o.lo, o.hi));
  } else if (o.yErr) {
    layers.push(errorBar("_lo", "_hi", [{ calculate: `datum['${o.y}'] - datum['${o.yErr}']`, as: "_lo" }, { calculate: `datum['${o.y}'] + datum['${o.yErr}']`, as: "_hi" }]));
  }
  if (o.facet) {
    return {
      title: o.title, data: { values: rows }, facet: { column: { field: o.facet, type: "nominal", title: null, ...(o.facetSort ? { sort: o.facetSort } : {}) } }, spec: { ...size, layer: layers },
      ...(o.independentValue ? { resolve: { scale: { [val]: "independent" } } } : {}),
    };
  }
  return { title: o.title, data: { values: rows }, layer: layers, ...size };
}

/**
 * Whether category labels fit side by side, unrotated, under an axis `width` px wide: each label's width at the
 * house axis-label font (measured with the font render.ts lays text out with; 0.65 em a character without its files)
 * within its band, with 4 px to spare. Vega-Lite turns discrete x labels by 90° unless told otherwise, which short
 * labels ("1", "3", "float") do not need.
 */
function labelsFitFlat(labels: string[], width: number): boolean {
  const distinct = [...new Set(labels)];
  const band = width / Math.max(1, distinct.length);
  const measure = sharedDejaVuTextWidth();
  const px = (l: string) => (measure ? measure({ fontSize: HOUSE_FONT_PX.label }, l) : 0.65 * HOUSE_FONT_PX.label * l.length);
  return distinct.every((l) => px(l) + 4 <= band);
}

/**
 * A grid of coloured cells, one per row: `x` and `y` name the cell, `color` its value. Axes are ordinal (numbers in
 * numeric order) unless a type says nominal; nominal categories keep the rows' order with `keepOrder`. `xTicks` and
 * `yTicks` thin out the labels of a long axis; a null title hides it. `colorScale` is passed to Vega-Lite as is
 * (a `scheme`, a `domain`, a `range`), and `legend: false` drops the legend.
 */
export function heatmap(rows: Row[], o: {
  x: string; y: string; color: string;
  xType?: "ordinal" | "nominal"; yType?: "ordinal" | "nominal"; colorType?: "quantitative" | "nominal";
  keepOrder?: boolean; xTicks?: number[]; yTicks?: number[];
  xTitle?: string | null; yTitle?: string | null;
  colorScale?: Record<string, unknown>; legend?: boolean;
  title?: string; width?: number; height?: number;
}): VegaLiteSpec {
  const axis = (field: string, type: "ordinal" | "nominal", ticks: number[] | undefined, title: string | null | undefined) => ({
    field, type, ...(ticks ? { axis: { values: ticks } } : {}), ...(type === "nominal" && o.keepOrder ? { sort: null } : {}), title: title === undefined ? field : title,
  });
  return {
    title: o.title, data: { values: rows }, mark: "rect", width: o.width ?? 360, height: o.height ?? 240,
    encoding: {
      x: axis(o.x, o.xType ?? "ordinal", o.xTicks, o.xTitle),
      y: axis(o.y, o.yType ?? "ordinal", o.yTicks, o.yTitle),
      color: { field: o.color, type: o.colorType ?? "quantitative", ...(o.colorScale ? { scale: o.colorScale } : {}), ...(o.legend === false ? { legend: null } : {}) },
    },
  };
}

/**
 * Runs per category: one point per run (row), the category mean as a diamond and ± one sample standard deviation
 * as an error bar. The value axis is not forced to zero, so differences of a few tenths of a percent between
 * categories stay visible (a bar chart from zero hides them).
 */
export function spreadChart(rows: Row[], o: { x: string; y: string; title?: string; yTitle?: string; xTitle?: string; width?: number; height?: number }): VegaLiteSpec {
  const x = { field: o.x, type: "nominal", title: o.xTitle ?? o.x, axis: { labelAngle: 0 } };
  const y = { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: { zero: false } };
  return {
    title: o.title,
    data: { values: rows },
    layer: [
      { mark: { type: "point", filled: true, size: 40, opacity: 0.8, color: "#4c78a8" }, encoding: { x, y } },
      { mark: { type: "errorbar", extent: "stdev", ticks: { size: 16 }, color: "black" }, encoding: { x, y } },
      { mark: { type: "point", shape: "diamond", filled: true, size: 90, color: "black" }, encoding: { x, y: { ...y, aggregate: "mean" } } },
    ],
    width: o.width ?? 300,
    height: o.height ?? 220,
  };
}

/**
 * Measured points and a curve through them, one colour per series: a circuit simulation (points) against its fitted
 * compact form (line). Each row carries the x field and both y fields.
 */
export function pointsAndLineChart(rows: Row[], o: { x: string; points: string; line: string; color: string; title?: string; xTitle?: string; yTitle?: string; width?: number; height?: number }): VegaLiteSpec {
  const x = { field: o.x, type: "quantitative", title: o.xTitle ?? o.x };
  const color = { field: o.color, type: "nominal" };
  return {
    title: o.title, data: { values: rows }, width: o.width ?? 360, height: o.height ?? 240,
    layer: [
      { mark: { type: "point", filled: true, size: 12, opacity: 0.6 }, encoding: { x, y: { field: o.points, type: "quantitative", title: o.yTitle ?? o.points }, color } },
      { mark: { type: "line", strokeWidth: 1.5 }, encoding: { x: { field: o.x, type: "quantitative" }, y: { field: o.line, type: "quantitative" }, color } },
    ],
  };
}

/**
 * Series of means against x with an error bar from `lo` to `hi` at every point (e.g. seed mean ± 1 standard error),
 * over an optional dashed reference level (`reference`, on the same y scale). `xDomain` keeps the end points off the
 * frame (a log axis otherwise starts at the decade below the first point).
 */
export function errorBarChart(rows: Row[], o: { x: string; y: string; lo: string; hi: string; color: string; title?: string; yTitle?: string; xScale?: "linear" | "log"; xDomain?: [number, number]; reference?: number; width?: number; height?: number }): VegaLiteSpec {
  const enc = { x: { field: o.x, type: "quantitative", scale: scale(o.xScale, o.xDomain) }, color: { field: o.color, type: "nominal", legend: { labelLimit: 260 } } };
  const yTitle = o.yTitle ?? o.y;
  const layer: VegaLiteSpec[] = [
    { mark: { type: "line", point: true, strokeWidth: 1.8 }, encoding: { ...enc, y: { field: o.y, type: "quantitative", title: yTitle, scale: { zero: false } } } },
    { mark: { type: "rule" }, encoding: { ...enc, y: { field: o.lo, type: "quantitative", title: yTitle }, y2: { field: o.hi } } },
  ];
  if (o.reference !== undefined) layer.push(referenceLevel(o.reference, { color: "gray", dash: [4, 3] }));
  return { title: o.title, data: { values: rows }, width: o.width ?? 380, height: o.height ?? 240, layer };
}

/**
 * [min, max] of `values` widened by `fraction` of their range at each end, as an explicit axis domain: it keeps a
 * reference level that lies beyond every data point (a whole-set accuracy above all stream curves) off the frame,
 * where the default rounding of the domain can end the axis exactly on it.
 */
export function paddedDomain(values: readonly number[], fraction = 0.05): [number, number] {
  if (values.length === 0) throw new RangeError("paddedDomain: needs at least one value");
  if (!(fraction >= 0)) throw new RangeError(`paddedDomain: fraction must be ≥ 0, got ${fraction}`);
  values.forEach((v, i) => requireFinite(`paddedDomain: values[${i}]`, v));
  const [lo, hi] = [min(values), max(values)];
  const pad = (hi - lo) * fraction || Math.abs(hi) * fraction || fraction;
  return [lo - pad, hi + pad];
}

/**
 * A dashed horizontal line at `y`, to layer over a chart whose y scale it shares (a reference level such as the
 * whole-set accuracy a stream curve is compared with), with an optional `label` written just under its left end.
 * The shared y axis keeps the title of the chart under it (Vega-Lite takes the first layer's).
 */
export function referenceLevel(y: number, o: { label?: string; color?: string; dash?: [number, number] } = {}): VegaLiteSpec {
  const color = o.color ?? "black";
  const encoding = { y: { field: "reference level", type: "quantitative" } };
  const rule = { mark: { type: "rule", strokeDash: o.dash ?? [5, 4], color }, encoding };
  if (!o.label) return { data: { values: [{ "reference level": y }] }, ...rule };
  const text = { mark: { type: "text", align: "left", baseline: "top", dx: 4, dy: 3, fontSize: HOUSE_FONT_PX.label, color }, encoding: { ...encoding, x: { value: 0 }, text: { value: o.label } } };
  return { data: { values: [{ "reference level": y }] }, layer: [rule, text] };
}
