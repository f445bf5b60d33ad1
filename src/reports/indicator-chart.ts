import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { formatDecimal } from 'src/reports/report-format';
import { REPORT_TEXT, ReportLang } from 'src/reports/report-text';

// An indicator across periods (actual against baseline and target) as a vector chart: a vega-lite spec,
// compiled to vega and rendered headless to SVG (no browser, no canvas), which the PDF draws as paths.
// Values stay decimal strings until vega parses them for plotting (`format.parse`); the point labels
// are the strings themselves, formatted for the language, so the chart never shows a float artefact.

/** The history of one indicator for the grouping, filled by the caller from earlier settlements. */
export interface IndicatorHistory {
  code: string;
  label: string;
  unit: string;
  points: { period: string; actual: string | null; baseline: string | null; target: string | null }[];
}

const COLORS = { actual: '#1F4E79', baseline: '#8C8C8C', target: '#2E7D32' };

const LOCALES: Record<ReportLang, { decimal: string; thousands: string; grouping: number[]; currency: [string, string] }> = {
  it: { decimal: ',', thousands: '.', grouping: [3], currency: ['', '\u00a0€'] },
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['€', ''] },
};

export function indicatorChartSpec(history: IndicatorHistory, lang: ReportLang): vegaLite.TopLevelSpec {
  const t = REPORT_TEXT[lang];
  const names = { actual: t.pdf.chartActual, baseline: t.pdf.chartBaseline, target: t.pdf.chartTarget };
  const values = history.points.flatMap((p) =>
    (['baseline', 'target', 'actual'] as const).flatMap((series) => {
      const v = p[series];
      return v === null ? [] : [{ period: p.period, series: names[series], value: v, label: formatDecimal(v, lang) }];
    }),
  );
  const periods = history.points.map((p) => p.period);
  const color = {
    field: 'series',
    type: 'nominal',
    scale: { domain: [names.actual, names.baseline, names.target], range: [COLORS.actual, COLORS.baseline, COLORS.target] },
    legend: { orient: 'bottom', title: null, symbolType: 'stroke', labelFontSize: 9 },
  } as const;
  return {
    // The whole chart (axes and legend included) is 300 x 170, so every chart has the same size on the page.
    width: 300,
    height: 170,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 6,
    background: 'white',
    data: { values, format: { parse: { value: 'number' } } },
    encoding: {
      x: { field: 'period', type: 'ordinal', sort: periods, scale: { domain: periods }, axis: { title: null, labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', scale: { zero: false, nice: true }, axis: { title: t.units[history.unit] ?? history.unit, tickCount: 4 } },
    },
    layer: [
      {
        // Baseline and target dashed, the actual solid on top; one colour legend for the three.
        transform: [{ filter: { field: 'series', oneOf: [names.baseline, names.target] } }],
        mark: { type: 'line', point: { filled: true, size: 18 }, strokeWidth: 1.2, strokeDash: [4, 3] },
        encoding: { color },
      },
      {
        transform: [{ filter: { field: 'series', equal: names.actual } }],
        mark: { type: 'line', point: { filled: true, size: 30 }, strokeWidth: 1.8 },
        encoding: { color },
      },
      {
        transform: [{ filter: { field: 'series', equal: names.actual } }],
        mark: { type: 'text', dy: -8, fontSize: 8, color: COLORS.actual },
        encoding: { text: { field: 'label', type: 'nominal' } },
      },
    ],
    config: { locale: { number: LOCALES[lang] }, font: 'Helvetica', view: { stroke: null }, axis: { labelFontSize: 8, titleFontSize: 8, gridColor: '#E6E6E6' } },
  };
}

/** The chart as an SVG string; the same history gives the same SVG. */
export async function renderIndicatorChartSvg(history: IndicatorHistory, lang: ReportLang): Promise<string> {
  // Only errors are logged: vega-lite's warnings are about spec style, not about the data.
  const compiled = vegaLite.compile(indicatorChartSpec(history, lang), { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
