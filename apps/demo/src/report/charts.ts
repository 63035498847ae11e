/** Charts as Vega-Lite specs, rendered to SVG by Vega (no DOM) and rasterized to PNG by resvg. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

const FONT = 'DejaVu Sans, Arial, sans-serif';

export interface SeriesPoint {
  x: number;
  y: number;
  series: string;
}

export function lineChart(
  title: string,
  xTitle: string,
  yTitle: string,
  points: SeriesPoint[],
  options: { logY?: boolean } = {},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 260,
    data: { values: points },
    mark: { type: 'line', strokeWidth: 1.6 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle, scale: { nice: false } },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: options.logY ? { type: 'log' } : { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: null },
    },
    config: { font: FONT, legend: { orient: 'bottom', columns: 3, labelLimit: 320 } },
  };
}

export interface BarPoint {
  group: string;
  series: string;
  value: number;
}

/** Grouped bars (e.g. dead units per layer, one bar per activation). */
export function groupedBarChart(title: string, groupTitle: string, valueTitle: string, bars: BarPoint[]): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: bars },
    mark: 'bar',
    encoding: {
      x: { field: 'group', type: 'nominal', title: groupTitle, sort: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series', type: 'nominal', sort: null },
      y: { field: 'value', type: 'quantitative', title: valueTitle, axis: { format: '%' } },
      color: { field: 'series', type: 'nominal', title: null, sort: null },
    },
    width: 620,
    height: 240,
    config: { font: FONT, legend: { orient: 'bottom', columns: 3, labelLimit: 320 } },
  };
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string): Uint8Array {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'zoom', value: 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Writes `<name>.svg` and, unless `png` is false, `<name>.png` in dir; returns the file names. */
export async function writeChart(dir: string, name: string, spec: TopLevelSpec, png = true): Promise<{ svg: string; png?: string }> {
  const svg = await renderSvg(spec);
  await writeFile(join(dir, `${name}.svg`), svg);
  if (!png) return { svg: `${name}.svg` };
  await writeFile(join(dir, `${name}.png`), svgToPng(svg));
  return { svg: `${name}.svg`, png: `${name}.png` };
}

export interface SeedPoint {
  series: string;
  seed: number;
  value: number;
}

/**
 * One dot per seed for each activation, joined across activations by seed (the pairing), with each
 * activation's mean and 95% interval as a bar over the dots.
 */
export function pairedDotChart(
  title: string,
  valueTitle: string,
  points: SeedPoint[],
  intervals: { series: string; mean: number; lo: number; hi: number }[],
  options: { percent?: boolean } = {},
): TopLevelSpec {
  const axis = options.percent ? { format: '%' } : {};
  const x = { field: 'series', type: 'nominal' as const, title: null, sort: null, axis: { labelAngle: -15, labelLimit: 400 } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 560,
    height: 260,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', strokeWidth: 0.8, opacity: 0.35, color: '#888' },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: valueTitle, scale: { zero: false }, axis },
          detail: { field: 'seed' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 40, opacity: 0.7 },
        encoding: { x, y: { field: 'value', type: 'quantitative' }, color: { field: 'seed', type: 'nominal', title: 'seed' } },
      },
      {
        data: { values: intervals },
        mark: { type: 'rule', strokeWidth: 2.5, color: 'black' },
        encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
      },
      {
        data: { values: intervals },
        mark: { type: 'tick', thickness: 2.5, size: 22, color: 'black' },
        encoding: { x, y: { field: 'mean', type: 'quantitative' } },
      },
    ],
    config: { font: FONT, legend: { orient: 'right' } },
  };
}

export interface PanelPoint {
  panel: string;
  x: number;
  y: number;
  series: string;
}

/** Small multiples: one line chart per panel (e.g. per hidden layer), series coloured alike in all. */
export function panelLineChart(
  title: string,
  xTitle: string,
  yTitle: string,
  points: PanelPoint[],
  options: { percent?: boolean; logY?: boolean; columns?: number } = {},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values: points },
    facet: { field: 'panel', type: 'nominal', title: null, sort: null },
    columns: options.columns ?? 4,
    spec: {
      width: 150,
      height: 110,
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: xTitle, axis: { tickMinStep: 1 } },
        y: {
          field: 'y',
          type: 'quantitative',
          title: yTitle,
          ...(options.logY ? { scale: { type: 'log' } } : {}),
          ...(options.percent ? { axis: { format: '%' } } : {}),
        },
        color: { field: 'series', type: 'nominal', title: null, sort: null },
      },
    },
    config: { font: FONT, legend: { orient: 'bottom', columns: 3, labelLimit: 320 } },
  } as TopLevelSpec;
}

/**
 * Means of consecutive windows of `size` values (a readable curve of noisy per-step values). A
 * last window of less than half the size is dropped: a mean of a few steps is mostly noise.
 */
export function windowMeans(values: readonly number[], size: number): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let start = 0; start < values.length; start += size) {
    const end = Math.min(start + size, values.length);
    if (out.length > 0 && end - start < size / 2) break;
    const w = values.slice(start, end).filter(Number.isFinite);
    if (w.length) out.push({ x: end, y: w.reduce((a, b) => a + b, 0) / w.length });
  }
  return out;
}
