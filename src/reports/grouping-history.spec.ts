import { earlierPeriodSettlements, groupingHistory } from 'src/reports/grouping-history';
import { padovaCaseADocument } from 'src/reports/testing/settlement-document.fixture';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// The PDF charts of RTI-A's Y2 report: Y1 from its approved settlement (not the newer draft), Y2 from the
// reported settlement itself, nothing after Y2.

function y1(): SettlementDocument {
  const doc = padovaCaseADocument();
  doc.inputs.period = { code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30', position: 1 };
  // A shadow year: values measured, no baseline or target yet; IND-05 was not measured in Y1.
  doc.inputs.indicators = doc.inputs.indicators
    .filter((i) => i.code !== 'IND-05')
    .map((i) => ({ ...i, baseline: null, target: null, value: i.code === 'IND-01' ? '8.0' : i.value }));
  return doc;
}

describe('Indicator history of a grouping for the PDF charts', () => {
  it('stands each earlier period by its latest approved version, else its latest version, in period order', () => {
    const rows = [
      { id: 'y3', periodPosition: 3, version: 1, state: 'DRAFT' as const },
      { id: 'y1-v1', periodPosition: 1, version: 1, state: 'SUPERSEDED' as const },
      { id: 'y1-v2', periodPosition: 1, version: 2, state: 'APPROVED' as const },
      { id: 'y1-v3', periodPosition: 1, version: 3, state: 'DRAFT' as const },
      { id: 'y0-v1', periodPosition: 0, version: 1, state: 'DRAFT' as const },
      { id: 'y0-v2', periodPosition: 0, version: 2, state: 'DRAFT' as const },
      { id: 'y2', periodPosition: 2, version: 1, state: 'DRAFT' as const },
    ];
    expect(earlierPeriodSettlements(rows, 2).map((r) => r.id)).toEqual(['y0-v2', 'y1-v2']);
    expect(earlierPeriodSettlements(rows, 0)).toEqual([]);
  });

  it('charts Y1 then Y2 per indicator, with an empty Y1 point for an indicator Y1 did not have', () => {
    const history = groupingHistory(padovaCaseADocument(), [y1()], 'en');
    expect(history.map((h) => h.code)).toEqual(['IND-01', 'IND-02', 'IND-03', 'IND-04', 'IND-05']);
    expect(history[0]).toEqual({
      code: 'IND-01',
      label: 'Share of non-public resources in all resources the RTI manages in the project',
      unit: 'PERCENT',
      points: [
        { period: 'Y1', actual: '8.0', baseline: null, target: null },
        { period: 'Y2', actual: '11.0', baseline: '8.0', target: '12.0' },
      ],
    });
    expect(history[4].points).toEqual([
      { period: 'Y1', actual: null, baseline: null, target: null },
      { period: 'Y2', actual: '5.8', baseline: '5.0', target: '7.0' },
    ]);
  });

  it('charts the reported period alone, labelled in Italian, when there is nothing earlier', () => {
    const history = groupingHistory(padovaCaseADocument(), [], 'it');
    expect(history[0].label).toBe("Quota di risorse non pubbliche sul totale delle risorse gestite dall'RTI nel progetto");
    expect(history[0].points).toEqual([{ period: 'Y2', actual: '11.0', baseline: '8.0', target: '12.0' }]);
  });
});
