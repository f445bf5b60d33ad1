import { indicatorChartSpec, renderIndicatorChartSvg } from 'src/reports/indicator-chart';
import { padovaHistory } from 'src/reports/testing/settlement-document.fixture';

// IND-03 (unique participants, RTI-A) across Y1-Y3 as the vector chart the PDF draws.

describe('Indicator chart: actual against baseline and target across periods, as SVG', () => {
  const ind03 = padovaHistory('it')[2];

  it('plots the decimal strings as given, skipping what is unknown, periods in contract order', () => {
    const spec = indicatorChartSpec(ind03, 'it') as { data: { values: unknown[]; format: unknown }; encoding: { x: { sort: string[] } } };
    expect(spec.data.format).toEqual({ parse: { value: 'number' } });
    expect(spec.data.values).toEqual([
      { period: 'Y1', series: 'Baseline', value: '1100', label: '1.100' },
      { period: 'Y1', series: 'Rilevato', value: '1100', label: '1.100' },
      { period: 'Y2', series: 'Baseline', value: '1100', label: '1.100' },
      { period: 'Y2', series: 'Target', value: '1320', label: '1.320' },
      { period: 'Y2', series: 'Rilevato', value: '1210', label: '1.210' },
      { period: 'Y3', series: 'Baseline', value: '1100', label: '1.100' },
      { period: 'Y3', series: 'Target', value: '1450', label: '1.450' },
    ]);
    expect(spec.encoding.x.sort).toEqual(['Y1', 'Y2', 'Y3']);
  });

  it('renders headless to the same SVG every time, with labels in the report language', async () => {
    const svg = await renderIndicatorChartSvg(ind03, 'it');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toMatch(/<svg[^>]* width="300" height="170"/);
    expect(svg).toContain('>1.210</text>');
    expect(svg).toContain('>Rilevato</text>');
    expect(await renderIndicatorChartSvg(ind03, 'it')).toBe(svg);
    const en = await renderIndicatorChartSvg(padovaHistory('en')[2], 'en');
    expect(en).toContain('>1,210</text>');
    expect(en).toContain('>Actual</text>');
  });
});
