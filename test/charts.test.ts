import { test } from "uvu";
import * as assert from "uvu/assert";
import { OKABE_ITO, barChart, errorBarChart, heatmap, histogram, lineChart, paddedDomain, referenceLevel, scatterChart } from "../src/plot/charts";
import type { Row } from "../src/util/row";
import { HOUSE_FONT_PX, renderSvg, standaloneSpec } from "../src/plot/render";

const rows = [
  { panel: "b", x: 1, y: 2 },
  { panel: "a", x: 1, y: 3 },
];

test("lineChart facets: one panel per value, in the given order and under the given heading when set, else Vega-Lite's defaults", () => {
  const sorted = lineChart(rows, { x: "x", y: "y", facet: "panel", facetSort: ["b", "a"], facetTitle: "which panel" }) as { facet: Record<string, unknown>; spec: Record<string, unknown> };
  assert.equal(sorted.facet, { field: "panel", type: "nominal", sort: ["b", "a"], title: "which panel" });
  assert.ok(sorted.spec.mark, "the marks sit in the faceted spec");
  const plain = lineChart(rows, { x: "x", y: "y", facet: "panel" }) as { facet: Record<string, unknown> };
  assert.equal(plain.facet, { field: "panel", type: "nominal" });
  const single = lineChart(rows, { x: "x", y: "y" }) as Record<string, unknown>;
  assert.is(single.facet, undefined);
});

test("referenceLevel over a line chart: a labelled dashed line on the shared y axis, which extends to take it in, under one axis title", async () => {
  const curve = [1, 2, 3].map((x) => ({ run: "a", x, y: 70 + x }));
  const svg = await renderSvg({ layer: [lineChart(curve, { x: "x", y: "y", color: "run", yTitle: "accuracy (%)" }), referenceLevel(90, { label: "whole set: 90.0 %" })] });
  assert.match(svg, /whole set: 90\.0 %/);
  assert.match(svg, /stroke-dasharray="5,4"/);
  const yAxis = /aria-label="Y-axis titled '([^']*)' for a linear scale with values from ([\d.]+) to ([\d.]+)"/.exec(svg);
  assert.ok(yAxis, "a y axis with a title");
  assert.is(yAxis![1], "accuracy (%)");
  assert.ok(Number(yAxis![3]) >= 90, `the y axis reaches the level (top ${yAxis![3]})`);
  assert.ok(Number(yAxis![2]) > 0, "and is not forced to zero");
});

test("paddedDomain: the values' range widened by the fraction at each end; a level on a round number then sits inside the frame", async () => {
  // Range 45…80, 5 % of 35 = 1.75 at each end.
  assert.equal(paddedDomain([45, 62, 80]), [43.25, 81.75]);
  assert.equal(paddedDomain([1, 3], 0), [1, 3]);
  assert.equal(paddedDomain([2, 2], 0.5), [1, 3], "one distinct value: widened by the fraction of its size");
  assert.throws(() => paddedDomain([]), RangeError);
  assert.throws(() => paddedDomain([1, NaN]), RangeError);
  assert.throws(() => paddedDomain([1, 2], -0.1), RangeError);
  // A whole-set level at 80, above every point: the default domain ends on it (the line on the frame), the padded one does not.
  const curve = [1, 2, 3].map((x) => ({ run: "a", x, y: 40 + 12 * x }));
  const top = async (yDomain?: [number, number]) => {
    const svg = await renderSvg({ layer: [lineChart(curve, { x: "x", y: "y", color: "run", yDomain }), referenceLevel(80, { label: "whole set" })] });
    return Number(/aria-label="Y-axis titled '[^']*' for a linear scale with values from [\d.]+ to ([\d.]+)"/.exec(svg)![1]);
  };
  assert.is(await top(), 80);
  assert.ok((await top(paddedDomain([...curve.map((r) => r.y), 80]))) > 80);
});

test("errorBarChart: one error bar per point from lo to hi, a log x axis when asked, the dashed level only when given", async () => {
  const rows = [2, 20, 200].map((K) => ({ K, acc: 80, lo: 79, hi: 81, measure: "task A" }));
  const o = { x: "K", y: "acc", lo: "lo", hi: "hi", color: "measure", xScale: "log" as const };
  const withLevel = await renderSvg(errorBarChart(rows, { ...o, reference: 85 }));
  assert.match(withLevel, /X-axis titled 'K' for a log scale/);
  assert.is((withLevel.match(/aria-label="K: \d+; acc: 79; hi: 81; measure: task A"/g) ?? []).length, 3, "three bars from lo to hi");
  assert.match(withLevel, /aria-label="reference level: 85"/);
  const without = await renderSvg(errorBarChart(rows, o));
  assert.not.match(without, /reference level/);
});

test("barChart keepOrder: the categories keep the rows' order on the rendered axis; without it they are sorted", async () => {
  const sweep = ["k = 0", "k = 0.3", "k = 0.05", "CMO"].map((setting, i) => ({ setting, acc: 80 - 10 * i }));
  const xPositions = (svg: string) => [...svg.matchAll(/aria-label="setting: ([^;]+); acc: [\d.]+" role="graphics-symbol" aria-roledescription="bar" d="M([\d.]+),/g)].map((m) => [m[1], Number(m[2])] as const);
  const kept = xPositions(await renderSvg(barChart(sweep, { x: "setting", y: "acc", keepOrder: true })));
  assert.equal(kept.slice().sort((a, b) => a[1] - b[1]).map((p) => p[0]), ["k = 0", "k = 0.3", "k = 0.05", "CMO"]);
  const sorted = xPositions(await renderSvg(barChart(sweep, { x: "setting", y: "acc" })));
  assert.equal(sorted.slice().sort((a, b) => a[1] - b[1]).map((p) => p[0]), ["CMO", "k = 0", "k = 0.05", "k = 0.3"]);
});

/** The bars of a rendered chart: label, and the x, y, width and height of the path "M x,y h w v h". */
function bars(svg: string) {
  return [...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="bar" d="M([-\d.]+),([-\d.]+)h([-\d.]+)v([-\d.]+)/g)]
    .map((m) => ({ label: m[1], x: Number(m[2]), y: Number(m[3]), w: Number(m[4]), h: Number(m[5]) }));
}

test("barChart horizontal, sortByValue: bars run along x with lengths in proportion to the value, largest on top", async () => {
  const rows = [{ term: "a", v: 1 }, { term: "b", v: 3 }, { term: "c", v: 2 }];
  const b = bars(await renderSvg(barChart(rows, { x: "term", y: "v", horizontal: true, sortByValue: true, xTitle: null })));
  assert.is(b.length, 3);
  const byLabel = Object.fromEntries(b.map((r) => [r.label.match(/term: (\w)/)![1], r]));
  // Lengths 1 : 3 : 2 along x, all starting at the same x (the zero of the value axis).
  assert.ok(Math.abs(byLabel.b.w / byLabel.a.w - 3) < 1e-6 && Math.abs(byLabel.c.w / byLabel.a.w - 2) < 1e-6, JSON.stringify(b));
  assert.ok(b.every((r) => r.x === b[0].x));
  assert.equal(b.slice().sort((p, q) => p.y - q.y).map((r) => r.label.match(/term: (\w)/)![1]), ["b", "c", "a"]);
});

test("barChart lo/hi: one black rule per bar from lo to hi, beside its own bar when grouped; lo without hi throws", async () => {
  const rows = ["x", "y"].flatMap((m) => ["s", "t"].map((g, i) => ({ m, g, acc: 50 + 10 * i, lo: 45 + 10 * i, hi: 55 + 10 * i })));
  const spec = barChart(rows, { x: "m", y: "acc", lo: "lo", hi: "hi", color: "g", grouped: true });
  const svg = await renderSvg(spec);
  const rules = [...svg.matchAll(/aria-label="m: (\w); acc: (\d+); hi: (\d+); g: (\w)" role="graphics-symbol" aria-roledescription="rule mark" transform="translate\(([\d.]+),/g)];
  assert.is(rules.length, 4, "four error bars");
  const b = bars(svg);
  for (const r of rules) {
    // The rule's label carries lo (as acc) and hi; it sits inside the bar of the same category and group.
    assert.is(Number(r[3]) - Number(r[2]), 10);
    const bar = b.find((q) => q.label.includes(`m: ${r[1]}`) && q.label.includes(`g: ${r[4]}`))!;
    const x = Number(r[5]);
    assert.ok(x > bar.x && x < bar.x + bar.w, `rule at ${x} inside bar ${bar.x}..${bar.x + bar.w}`);
  }
  assert.throws(() => barChart(rows, { x: "m", y: "acc", lo: "lo" }), /lo and hi/);
});

function dots(svg: string) {
  return [...svg.matchAll(/aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point" transform="translate\(([-\d.]+),([-\d.]+)\)/g)]
    .map((m) => ({ label: m[1], x: Number(m[2]), y: Number(m[3]) }));
}

test("barChart dots: one dot per category on an axis that need not reach zero, so 0.3 points apart are far apart", async () => {
  const rows = [{ k: "a", acc: 85.1 }, { k: "b", acc: 85.4 }, { k: "c", acc: 85.2 }];
  const svg = await renderSvg(barChart(rows, { x: "k", y: "acc", dots: true, keepOrder: true, height: 200 }));
  assert.is(bars(svg).length, 0, "no bars");
  const d = dots(svg);
  assert.is(d.length, 3);
  // On a zero-based 0..90 axis 0.3 points are 200·0.3/90 < 1 px; the dots' axis spans the data, so b sits far above a.
  assert.ok(d[0].y - d[1].y > 50, JSON.stringify(d));
  assert.ok(!/>0<\/text>/.test(svg), "no zero tick");
});

test("barChart dots on a log value axis: parts a decade apart are equally spaced; a log axis without dots throws", async () => {
  const rows = [{ part: "p", mW: 10 }, { part: "q", mW: 1 }, { part: "r", mW: 0.1 }, { part: "s", mW: 1e-4 }];
  const svg = await renderSvg(barChart(rows, { x: "part", y: "mW", dots: true, valueScale: "log", horizontal: true, keepOrder: true }));
  const x = Object.fromEntries(dots(svg).map((p) => [p.label.match(/part: (\w)/)![1], p.x]));
  // log10 spacing: p−q = q−r (one decade each), q−s = 4 decades.
  assert.ok(Math.abs((x.p - x.q) - (x.q - x.r)) < 1e-6, JSON.stringify(x));
  assert.ok(Math.abs((x.q - x.s) - 4 * (x.p - x.q)) < 1e-6, JSON.stringify(x));
  assert.throws(() => barChart(rows, { x: "part", y: "mW", valueScale: "log" }), /needs dots/);
});

test("barChart facet: one panel per value in the given order, each with its bars", async () => {
  const rows = ["p", "q"].flatMap((task) => ["u", "v"].map((transfer) => ({ task, transfer, mean: 50, std: 5 })));
  const spec = barChart(rows, { x: "transfer", y: "mean", yErr: "std", facet: "task", facetSort: ["q", "p"], width: 80 }) as Record<string, any>;
  assert.equal(spec.facet.column, { field: "task", type: "nominal", title: null, sort: ["q", "p"] });
  const svg = await renderSvg(spec);
  assert.is(bars(svg).length, 4);
  assert.ok(svg.indexOf(">q</text>") < svg.indexOf(">p</text>"), "panel q comes first");
});

test("heatmap: one rect per row at its (x, y) cell; nominal axes keep the rows' order; hidden legend and titles", async () => {
  const rows = [{ line: "zeta", slot: 1, on: 1 }, { line: "zeta", slot: 2, on: 0 }, { line: "alpha", slot: 1, on: 0 }, { line: "alpha", slot: 2, on: 1 }];
  const spec = heatmap(rows, { x: "slot", y: "line", yType: "nominal", color: "on", keepOrder: true, yTitle: null, legend: false, width: 100, height: 100 });
  const svg = await renderSvg(spec);
  const cells = [...svg.matchAll(/aria-label="slot: (\d); line: (\w+); on: (\d)" role="graphics-symbol" aria-roledescription="rect mark" d="M([\d.]+),([\d.]+)/g)]
    .map((m) => ({ slot: m[1], line: m[2], x: Number(m[4]), y: Number(m[5]) }));
  assert.is(cells.length, 4);
  const y = (line: string) => cells.find((c) => c.line === line)!.y;
  assert.ok(y("zeta") < y("alpha"), "zeta (first in the rows) is the top row, not sorted after alpha");
  const x = (slot: string) => cells.find((c) => c.slot === slot)!.x;
  assert.ok(x("1") < x("2"));
  assert.not.match(svg, /role-legend/);
  assert.not.match(svg, /Y-axis titled/);
  const sorted = await renderSvg(heatmap(rows, { x: "slot", y: "line", yType: "nominal", color: "on" }));
  assert.match(sorted, /role-legend/);
  const ys = [...sorted.matchAll(/line: (\w+); on: \d" role="graphics-symbol" aria-roledescription="rect mark" d="M[\d.]+,([\d.]+)/g)];
  assert.ok(Number(ys.find((m) => m[1] === "alpha")![2]) < Number(ys.find((m) => m[1] === "zeta")![2]), "without keepOrder alpha is on top");
});

test("lineChart steps, symlog, independentX: the options reach the spec Vega-Lite renders", async () => {
  const rows = [0, 1, 2].flatMap((x) => ["a", "b"].map((p) => ({ p, x: p === "a" ? x : x + 100, y: 10 * x })));
  const spec = lineChart(rows, { x: "x", y: "y", facet: "p", facetTitle: null, independentX: true, steps: true, yScale: "symlog", points: true, pointSize: 8 }) as Record<string, any>;
  assert.equal(spec.resolve, { scale: { x: "independent" } });
  assert.is(spec.spec.mark.interpolate, "step-after");
  assert.equal(spec.spec.mark.point, { size: 8 });
  assert.is(spec.spec.encoding.y.scale.type, "symlog");
  const svg = await renderSvg(spec);
  // Independent x: two x axes, one from 0 and one from 100.
  const xAxes = [...svg.matchAll(/X-axis titled 'x' for a linear scale with values from ([\d.,]+) to/g)].map((m) => Number(m[1].replace(/,/g, "")));
  assert.equal(xAxes.sort((p, q) => p - q), [0, 100]);
  const shared = await renderSvg(lineChart(rows, { x: "x", y: "y", facet: "p" }));
  assert.is([...shared.matchAll(/X-axis titled 'x' for a linear scale with values from 0/g)].length, 2, "shared x: both panels from 0");
});

test("a column whose name holds a dot or brackets is plotted, not read as a nested path", async () => {
  // Unescaped, Vega-Lite reads "I +0.01 V" as field "I +0" of an object "01 V": every y undefined, no line drawn.
  const curve = [1, 2, 3].map((x) => ({ x, "I +0.01 V": 2 * x, "w[1]": x }));
  const svg = await renderSvg(lineChart(curve, { x: "x", y: "I +0.01 V", yTitle: "current" }));
  assert.match(svg, /aria-label="Y-axis titled 'current' for a linear scale with values from 2 to 6"/);
  assert.match(svg, /aria-roledescription="line mark" d="M[^"]*L[^"]*L/, "a drawn line through the three points");
  const bracket = await renderSvg(lineChart(curve, { x: "x", y: "w[1]" }));
  assert.match(bracket, /aria-roledescription="line mark" d="M[^"]*L[^"]*L/);
  // A real nested path (no such column) is left as a path.
  const nested = [1, 2].map((x) => ({ x, p: { q: 3 * x } }));
  const svgNested = await renderSvg(lineChart(nested as unknown as Row[], { x: "x", y: "p.q", yTitle: "nested" }));
  assert.match(svgNested, /aria-label="Y-axis titled 'nested' for a linear scale with values from 3\.0 to 6\.0"/);
});

test("histogram with colour: the series are overlaid from zero, not stacked", async () => {
  // Two series with the same single value: stacked, the second bar would reach 2 + 3 = 5; overlaid, 3.
  const values = [...Array(2).fill({ v: 1, s: "a" }), ...Array(3).fill({ v: 1, s: "b" })];
  const svg = await renderSvg(histogram(values, { field: "v", color: "s", bins: 5 }));
  const yAxis = /aria-label="Y-axis titled 'count' for a linear scale with values from [\d.]+ to ([\d.]+)"/.exec(svg);
  assert.ok(yAxis, "a count axis");
  assert.is(Number(yAxis![1]), 3, "the y scale ends at the larger series' count");
  // Each series' bars are outlined in their own fill colour over a light fill, so overlapping tops stay readable.
  const barsOf = [...svg.matchAll(/aria-label="v: [^;]+; count: \d+; s: (\w)"[^>]*fill="(#[0-9a-f]+)" fill-opacity="([\d.]+)" stroke="(#[0-9a-f]+)"/g)];
  assert.is(barsOf.length, 2, "one bar per series, each with a fill and a stroke");
  for (const [, , fill, fillOpacity, stroke] of barsOf) {
    assert.is(stroke, fill);
    assert.ok(Number(fillOpacity) <= 0.5, `a light fill (${fillOpacity})`);
  }
  assert.is.not(barsOf[0][2], barsOf[1][2], "the two series differ in colour");
});

test("lineChart independentY, colorScheme, yTicks, xFormat: each panel its own y range, the named scheme, the given y ticks and x format", async () => {
  const rows = [1, 2, 3].flatMap((x) => [{ q: "small", x, y: x }, { q: "large", x, y: 1000 * x }]);
  const spec = lineChart(rows, { x: "x", y: "y", color: "q", facet: "q", independentY: true, colorScheme: "viridis", yTicks: [0, 1, 2, 3], xFormat: "~s" }) as Record<string, any>;
  assert.equal(spec.spec.encoding.x.axis, { format: "~s" });
  assert.equal(spec.resolve, { scale: { y: "independent" } });
  assert.equal(spec.spec.encoding.color.scale, { scheme: "viridis" });
  assert.equal(spec.spec.encoding.y.axis, { values: [0, 1, 2, 3] });
  const svg = await renderSvg(lineChart(rows, { x: "x", y: "y", facet: "q", independentY: true }));
  const tops = [...svg.matchAll(/Y-axis titled 'y' for a linear scale with values from [\d.,]+ to ([\d.,]+)/g)].map((m) => Number(m[1].replace(/,/g, "")));
  assert.equal(tops.sort((p, q) => p - q), [3, 3000], "one y range per panel");
  const both = lineChart(rows, { x: "x", y: "y", facet: "q", independentX: true, independentY: true }) as Record<string, any>;
  assert.equal(both.resolve, { scale: { x: "independent", y: "independent" } });
});

test("lineChart colorOrder data: the legend lists colour values in the rows' order, not sorted as text", async () => {
  const rows = ["K = 2", "K = 10", "K = 100"].flatMap((K, i) => [0, 1].map((x) => ({ K, x, y: i + x })));
  const legendOrder = (svg: string) => [...svg.matchAll(/<text[^>]*>(K = \d+)<\/text>/g)].map((m) => m[1]);
  assert.equal(legendOrder(await renderSvg(lineChart(rows, { x: "x", y: "y", color: "K", colorOrder: "data" }))), ["K = 2", "K = 10", "K = 100"]);
  assert.equal(legendOrder(await renderSvg(lineChart(rows, { x: "x", y: "y", color: "K" }))), ["K = 10", "K = 100", "K = 2"], "default: sorted as text");
});

test("lineChart dash: colour × dash pattern tells apart series that share a colour", async () => {
  // Two weights (colour) × two devices of the pair (dash): four lines, two colours, one solid and one dashed per colour.
  const rows = ["w1", "w2"].flatMap((w) => ["G+", "G−"].flatMap((d) => [0, 1].map((x) => ({ x, y: x + (d === "G+" ? 1 : 0), w, d }))));
  const svg = await renderSvg(lineChart(rows, { x: "x", y: "y", color: "w", dash: "d" }));
  const lines = [...svg.matchAll(/aria-label="[^"]*w: (w\d); d: (G.)" role="graphics-symbol" aria-roledescription="line mark" d="[^"]*" stroke="(#[0-9a-f]+)"([^/]*)\/>/g)]
    .map((m) => ({ w: m[1], d: m[2], stroke: m[3], dashed: /stroke-dasharray="(?!1,0")[\d.,\s]+"/.test(m[4]) })); // Vega draws solid as "1,0"
  assert.is(lines.length, 4, svg.slice(0, 200));
  for (const w of ["w1", "w2"]) {
    const pair = lines.filter((l) => l.w === w);
    assert.is(new Set(pair.map((l) => l.stroke)).size, 1, `${w}: one colour`);
    assert.is(pair.filter((l) => l.dashed).length, 1, `${w}: one dashed, one solid`);
  }
  assert.is(new Set(lines.map((l) => l.stroke)).size, 2);
});

test("xTicks, yFormat, errorBarChart xDomain, barChart independentValue: each reaches the rendered axis", async () => {
  const rows = [2, 3, 4].map((x) => ({ x, y: 1e-6 * x, lo: 0.9e-6 * x, hi: 1.1e-6 * x, s: "a" }));
  const svg = await renderSvg(lineChart(rows, { x: "x", y: "y", xTicks: [2, 4], yFormat: "~e", yScale: "log" }));
  assert.match(svg, />4<\/text>/, "the asked-for x tick");
  assert.not.match(svg, />3(\.0)?<\/text>/, "no default x tick between them");
  assert.match(svg, />1e-6<\/text>/, "~e labels on the log y axis");
  // Without a domain a log x axis is rounded out to whole decades (1 to 10 for data at 2–4); with one, it ends there.
  const bare = await renderSvg(errorBarChart(rows, { x: "x", y: "y", lo: "lo", hi: "hi", color: "s", xScale: "log" }));
  assert.match(bare, /X-axis titled 'x' for a log scale with values from 1 to 10"/);
  const framed = await renderSvg(errorBarChart(rows, { x: "x", y: "y", lo: "lo", hi: "hi", color: "s", xScale: "log", xDomain: [1.5, 5] }));
  assert.match(framed, /X-axis titled 'x' for a log scale with values from 1\.5 to 5"/);
  // Two panels two decades apart: shared, one value axis spans both; independent, each its own.
  const panels = [{ p: "u", k: "a", v: 1 }, { p: "u", k: "b", v: 2 }, { p: "w", k: "a", v: 100 }, { p: "w", k: "b", v: 101 }];
  const shared = await renderSvg(barChart(panels, { x: "k", y: "v", facet: "p", dots: true }));
  const own = await renderSvg(barChart(panels, { x: "k", y: "v", facet: "p", dots: true, independentValue: true }));
  const yAxes = (svg: string) => [...svg.matchAll(/Y-axis titled 'v' for a linear scale with values from ([\d.]+) to ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
  assert.is(yAxes(shared).length, 1, "one shared axis");
  const ranges = yAxes(own).sort((a, b) => a[0] - b[0]);
  assert.is(ranges.length, 2);
  assert.ok(ranges[0][1] <= 2.5 && ranges[1][0] >= 99, JSON.stringify(ranges));
});

test("barChart category labels stay flat when they fit their band and turn by 90° when they do not", async () => {
  const labels = (svg: string) => [...svg.matchAll(/<text text-anchor="[a-z]+" transform="([^"]*)"[^>]*>(\w+)<\/text>/g)].filter((m) => /^(one|two|three|a{20}|b{20}|c{20})$/.test(m[2]));
  const short = await renderSvg(barChart([{ k: "one", v: 1 }, { k: "two", v: 2 }, { k: "three", v: 3 }], { x: "k", y: "v" }));
  assert.is(labels(short).length, 3);
  assert.ok(labels(short).every((m) => !/rotate/.test(m[1])), "three short labels in 120 px bands: flat");
  // 20 characters ≈ 145 px do not fit a 120 px band.
  const long = await renderSvg(barChart(["a", "b", "c"].map((c, v) => ({ k: c.repeat(20), v })), { x: "k", y: "v" }));
  assert.is(labels(long).length, 3);
  assert.ok(labels(long).every((m) => /rotate\(270\)/.test(m[1])), "long labels: turned");
});

test("histogram step, xFormat, xTicks: one bar per integer value, integer labels at the given ticks", async () => {
  // Counts 1…8, value k drawn k times: with step 1 there are 8 bars of heights 1…8 (maxbins would merge some).
  const values = Array.from({ length: 8 }, (_, k) => Array(k + 1).fill({ pulses: k + 1 })).flat();
  const svg = await renderSvg(histogram(values, { field: "pulses", step: 1, xFormat: "d", xTicks: [2, 4, 6, 8] }));
  const heights = bars(svg).map((b) => b.h).sort((p, q) => p - q);
  assert.is(heights.length, 8);
  for (let k = 1; k < 8; k++) assert.ok(Math.abs(heights[k] / heights[0] - (k + 1)) < 1e-6, JSON.stringify(heights));
  // The x axis is drawn first: its labels are the texts before its title.
  const texts = [...svg.matchAll(/>([^<]*)<\/text>/g)].map((m) => m[1]);
  assert.equal(texts.slice(0, texts.indexOf("pulses")), ["2", "4", "6", "8"], "integer labels at the given ticks only");
  // Labels at the axis ends (bins span 1 to 9) stay centred on their ticks: Vega-Lite's default flushes the last one
  // right-aligned, onto its neighbour.
  const ends = await renderSvg(histogram(values, { field: "pulses", step: 1, xFormat: "d", xTicks: [1, 5, 9] }));
  const anchors = [...ends.matchAll(/<text text-anchor="(\w+)"[^>]*>(\d+)<\/text>/g)].slice(0, 3);
  assert.equal(anchors.map((m) => [m[2], m[1]]), [["1", "middle"], ["5", "middle"], ["9", "middle"]]);
});

/** The line marks of a rendered chart in drawing order: the value of `field` in each aria label and the stroke. */
function lineMarks(svg: string, field: string) {
  return [...svg.matchAll(new RegExp(`aria-label="[^"]*${field}: ([^";]+)[^"]*" role="graphics-symbol" aria-roledescription="line mark" d="[^"]*" stroke="(#[0-9a-fA-F]+)"`, "g"))]
    .map((m) => ({ value: m[1], stroke: m[2].toLowerCase() }));
}

test("colorRange, colorDomain: each value takes the colour at its domain position, also when a value before it is absent", async () => {
  const rows = ["c", "a"].flatMap((k, i) => [0, 1].map((x) => ({ k, x, y: i + x })));
  // Domain a, b, c with b absent from the data: c keeps the third colour, a the first.
  const svg = await renderSvg(lineChart(rows, { x: "x", y: "y", color: "k", colorDomain: ["a", "b", "c"], colorRange: ["#111111", "#222222", "#333333"] }));
  const strokes = Object.fromEntries(lineMarks(svg, "k").map((l) => [l.value, l.stroke]));
  assert.equal(strokes, { a: "#111111", c: "#333333" });
  const legend = [...svg.matchAll(/<text[^>]*>([abc])<\/text>/g)].map((m) => m[1]);
  assert.equal(legend, ["a", "b", "c"], "the legend lists the whole domain in its order");
  // A range overrides a scheme; the scatter chart takes the same options.
  const spec = scatterChart(rows, { x: "x", y: "y", color: "k", colorScheme: "viridis", colorRange: [...OKABE_ITO] }) as Record<string, any>;
  assert.equal(spec.encoding.color.scale, { range: [...OKABE_ITO] });
  // Without these options the colour block is what it always was (other notebooks' figures unchanged).
  assert.equal((lineChart(rows, { x: "x", y: "y", color: "k" }) as Record<string, any>).encoding.color, { field: "k", type: "nominal" });
  assert.equal((lineChart(rows, { x: "x", y: "y", color: "k", colorScheme: "dark2", colorOrder: "data" }) as Record<string, any>).encoding.color, { field: "k", type: "nominal", scale: { scheme: "dark2" }, sort: null });
  assert.is(new Set(OKABE_ITO).size, OKABE_ITO.length);
});

test("lineChart onTop: the named series is drawn after the others although it comes first in the rows, in each facet panel", async () => {
  // "hidden" appears first in every row pair, so by default Vega draws it first (under "binary").
  const rows = ["p", "q"].flatMap((panel) => [0, 1, 2].flatMap((x) => [{ panel, x, y: x, kind: "hidden" }, { panel, x, y: -x, kind: "binary" }]));
  const order = async (o: { onTop?: string[]; facet?: string }) => lineMarks(await renderSvg(lineChart(rows, { x: "x", y: "y", color: "kind", ...o })), "kind").map((l) => l.value);
  assert.equal(await order({ facet: "panel" }), ["hidden", "binary", "hidden", "binary"], "default: first appearance first");
  assert.equal(await order({ facet: "panel", onTop: ["hidden"] }), ["binary", "hidden", "binary", "hidden"]);
  assert.equal(await order({ onTop: ["hidden"] }), ["binary", "hidden"]);
  // Colours are shared between the layers: each kind keeps one colour.
  const marks = lineMarks(await renderSvg(lineChart(rows, { x: "x", y: "y", color: "kind", facet: "panel", onTop: ["hidden"] })), "kind");
  for (const kind of ["hidden", "binary"]) assert.is(new Set(marks.filter((m) => m.value === kind).map((m) => m.stroke)).size, 1, kind);
  assert.throws(() => lineChart(rows, { x: "x", y: "y", onTop: ["hidden"] }), /onTop/);
});

test("lineChart xRules: a dashed grey vertical line at each value under the curves, in every facet panel; none without them", async () => {
  const rows = ["p", "q"].flatMap((panel) => [1, 2, 3, 4].map((epoch) => ({ panel, epoch, acc: 10 * epoch, task: "A" })));
  const rules = (svg: string) => [...svg.matchAll(/aria-label="epoch: ([\d.]+)" role="graphics-symbol" aria-roledescription="rule mark"[^>]*stroke="#888"[^>]*stroke-dasharray="4,3"/g)].map((m) => Number(m[1]));
  const faceted = await renderSvg(lineChart(rows, { x: "epoch", y: "acc", color: "task", facet: "panel", xRules: [2.5, 3.5] }));
  assert.equal(rules(faceted), [2.5, 3.5, 2.5, 3.5], "two rules in each of the two panels");
  assert.is(lineMarks(faceted, "task").length, 2, "the curves are still drawn, one per panel");
  assert.match(faceted, /X-axis titled 'epoch'/, "one axis title, the x field's");
  // With onTop as well, the rules stay the first (lowest) layer.
  const both = lineChart(rows, { x: "epoch", y: "acc", color: "task", xRules: [2.5], onTop: ["A"] }) as Record<string, any>;
  assert.is(both.layer.length, 3);
  assert.is(both.layer[0].mark.type, "rule");
  // Without xRules (or with none) the spec is what it always was.
  const plain = lineChart(rows, { x: "epoch", y: "acc", color: "task" }) as Record<string, any>;
  assert.equal(lineChart(rows, { x: "epoch", y: "acc", color: "task", xRules: [] }), plain);
  assert.is(plain.layer, undefined);
  assert.is(plain.mark.type, "line");
  assert.equal(rules(await renderSvg(plain)), []);
  assert.throws(() => lineChart(rows, { x: "epoch", y: "acc", xRules: [NaN] }), /xRules\[0\]/);
});

test("standaloneSpec: what a .vl.json holds draws as the figure does: column names with a dot escaped, the house config under the spec's own", () => {
  const spec = { data: { values: [{ "I_ts +0.01 V (µA)": 1, x: 0 }] }, mark: "line", encoding: { x: { field: "x", type: "quantitative" }, y: { field: "I_ts +0.01 V (µA)", type: "quantitative" } }, config: { axis: { labelFontSize: 20 } } };
  const out = standaloneSpec(spec) as { encoding: { y: { field: string } }; config: { font: string; axis: { labelFontSize: number }; legend: { labelFontSize: number } } };
  assert.is(out.encoding.y.field, "I_ts +0\\.01 V (µA)");
  assert.is(out.config.font, "DejaVu Sans");
  assert.is(out.config.legend.labelFontSize, HOUSE_FONT_PX.label);
  assert.is(out.config.axis.labelFontSize, 20, "the spec's own config wins");
  assert.is(spec.encoding.y.field, "I_ts +0.01 V (µA)", "the input is not changed");
});

test.run();
