/**
 * One row of a table or of a figure's data: field name → value. Experiments return arrays of rows, the
 * notebook shows them as danfo tables (src/notebook/tables.ts) and the chart builders plot them
 * (src/plot/charts.ts); `null` marks a missing value (an undefined point, an empty cell).
 */
export type Row = Record<string, number | string | boolean | null>;
