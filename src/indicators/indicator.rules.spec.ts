import { DomainError } from 'src/common/errors/domain-error';
import {
  BaselineRef,
  checkBaselinesAndTargets,
  checkDenominators,
  checkDisaggregations,
  checkIndicatorValue,
  coverageRate,
  defaultAggregation,
  IndicatorShape,
  TargetRef,
} from 'src/indicators/indicator.rules';

/** Runs `fn` and returns the domain error it threw (fails the test when it throws nothing). */
function errorOf(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

const perGrouping = (unit: IndicatorShape['unit'], direction: IndicatorShape['direction']): IndicatorShape => ({
  unit,
  direction,
  scope: 'PER_GROUPING',
});

// Padova "Sviluppo di Comunità 2.0" (examples/padova-sdc.md), groupings and periods by code.
const PADOVA = {
  'IND-01': {
    shape: perGrouping('PERCENT', 'INCREASE'),
    baselines: [
      { grouping: 'RTI-A', value: '8.0' },
      { grouping: 'RTI-B', value: '10.0' },
    ],
    targets: [
      { period: 'Y2', grouping: 'RTI-A', value: '12.0' },
      { period: 'Y2', grouping: 'RTI-B', value: '14.0' },
      { period: 'Y3', grouping: 'RTI-A', value: '15.0' },
      { period: 'Y3', grouping: 'RTI-B', value: '17.0' },
    ],
  },
  'IND-02': {
    shape: perGrouping('COUNT', 'INCREASE'),
    baselines: [
      { grouping: 'RTI-A', value: '0' },
      { grouping: 'RTI-B', value: '0' },
    ],
    targets: [
      { period: 'Y2', grouping: 'RTI-A', value: '10' },
      { period: 'Y2', grouping: 'RTI-B', value: '10' },
      { period: 'Y3', grouping: 'RTI-A', value: '12' },
      { period: 'Y3', grouping: 'RTI-B', value: '12' },
    ],
  },
  'IND-03': {
    shape: perGrouping('COUNT', 'INCREASE'),
    baselines: [
      { grouping: 'RTI-A', value: '1100' },
      { grouping: 'RTI-B', value: '900' },
      { grouping: null, value: '2000' }, // the city, reference year 2022
    ],
    targets: [
      { period: 'Y2', grouping: 'RTI-A', value: '1320' },
      { period: 'Y2', grouping: 'RTI-B', value: '1080' },
      { period: 'Y3', grouping: 'RTI-A', value: '1540' },
      { period: 'Y3', grouping: 'RTI-B', value: '1260' },
    ],
  },
  'IND-04': {
    shape: perGrouping('PERCENT', 'LEVEL'),
    baselines: [
      { grouping: 'RTI-A', value: null }, // first measured in Y1
      { grouping: 'RTI-B', value: null },
    ],
    targets: [
      { period: 'Y2', grouping: null, value: '80.0' },
      { period: 'Y3', grouping: null, value: '80.0' },
    ],
  },
  'IND-05': {
    shape: perGrouping('PERCENT', 'INCREASE'),
    baselines: [
      { grouping: 'RTI-A', value: '5.0' },
      { grouping: 'RTI-B', value: '4.0' },
    ],
    targets: [
      { period: 'Y2', grouping: 'RTI-A', value: '7.0' },
      { period: 'Y2', grouping: 'RTI-B', value: '6.0' },
      { period: 'Y3', grouping: 'RTI-A', value: '9.0' },
      { period: 'Y3', grouping: 'RTI-B', value: '8.0' },
    ],
  },
} satisfies Record<string, { shape: IndicatorShape; baselines: BaselineRef[]; targets: TargetRef[] }>;

// Bergamo-style DECREASE: avoidable emergency admissions per 1,000 residents over 75, for the whole contract.
const BERGAMO_ADMISSIONS: IndicatorShape = { unit: 'RATIO', direction: 'DECREASE', scope: 'CONTRACT_WIDE' };

describe('checkIndicatorValue', () => {
  it.each([
    ['PERCENT', '0'],
    ['PERCENT', '100'],
    ['PERCENT', '100.0'],
    ['PERCENT', '8.0'],
    ['COUNT', '0'],
    ['COUNT', '1540'],
    ['EUR', '32000.00'],
    ['EUR', '0.5'],
    ['RATIO', '42.37'],
    ['HOURS', '4000'],
    ['DAYS', '0'],
    ['FTE', '9.5'],
    ['SCORE', '-3.75'],
  ] as const)('accepts %s %s', (unit, value) => {
    expect(() => checkIndicatorValue(unit, value, 'v')).not.toThrow();
  });

  it.each([
    ['PERCENT', '100.5', 'must be at most 100'],
    ['PERCENT', '-0.1', 'must be at least 0'],
    ['COUNT', '3.5', 'must be a whole number'],
    ['COUNT', '-1', 'must be at least 0'],
    ['EUR', '10.005', 'must have at most 2 decimal places'],
    ['EUR', '-0.01', 'must be at least 0'],
    ['RATIO', '-0.5', 'must be at least 0'],
    ['HOURS', '-4', 'must be at least 0'],
    ['DAYS', '-1', 'must be at least 0'],
    ['FTE', '-0.5', 'must be at least 0'],
  ] as const)('refuses %s %s (%s) naming the field', (unit, value, problem) => {
    const error = errorOf(() => checkIndicatorValue(unit, value, 'targets[3].value'));
    expect(error.code).toBe('INDICATOR_VALUE_OUT_OF_RANGE');
    expect(error.status).toBe(422);
    expect(error.details.fields).toEqual([{ field: 'targets[3].value', message: `${problem} (${unit})` }]);
  });

  it('refuses what is not a plain decimal string, even for a SCORE', () => {
    expect(errorOf(() => checkIndicatorValue('SCORE', '1e1', 'x')).details.fields?.[0].message).toMatch(/exponents/);
    expect(errorOf(() => checkIndicatorValue('COUNT', '12,0', 'x')).details.fields?.[0].message).toMatch(/decimal point/);
  });
});

describe('checkBaselinesAndTargets', () => {
  it.each(Object.entries(PADOVA))('accepts Padova %s as agreed', (_code, ind) => {
    expect(() => checkBaselinesAndTargets(ind.shape, ind.baselines, ind.targets)).not.toThrow();
  });

  it('accepts the Bergamo admissions rate going down from 42.5 to 40.0 then 38.0', () => {
    expect(() =>
      checkBaselinesAndTargets(
        BERGAMO_ADMISSIONS,
        [{ grouping: null, value: '42.5' }],
        [
          { period: 'Y2', grouping: null, value: '40.0' },
          { period: 'Y3', grouping: null, value: '38.0' },
        ],
      ),
    ).not.toThrow();
  });

  it('refuses a Bergamo admissions target above the baseline, with baseline, target, direction and the path', () => {
    const error = errorOf(() =>
      checkBaselinesAndTargets(
        BERGAMO_ADMISSIONS,
        [{ grouping: null, value: '42.5' }],
        [
          { period: 'Y2', grouping: null, value: '40.0' },
          { period: 'Y3', grouping: null, value: '45.0' },
        ],
        'contract.indicators[2].',
      ),
    );
    expect(error.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
    expect(error.details).toEqual({
      baseline: '42.5',
      target: '45.0',
      direction: 'DECREASE',
      fields: [{ field: 'contract.indicators[2].targets[1].value', message: 'must be below the baseline 42.5' }],
    });
  });

  it('refuses a DECREASE target equal to its baseline (no improvement is not a target)', () => {
    const error = errorOf(() =>
      checkBaselinesAndTargets(BERGAMO_ADMISSIONS, [{ grouping: null, value: '42.5' }], [{ period: 'Y2', grouping: null, value: '42.50' }]),
    );
    expect(error.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
  });

  it('refuses Padova IND-01 with RTI-B aiming at 9.5 against its own baseline 10.0', () => {
    const ind = PADOVA['IND-01'];
    const targets = ind.targets.map((t, i) => (i === 1 ? { ...t, value: '9.5' } : t));
    const error = errorOf(() => checkBaselinesAndTargets(ind.shape, ind.baselines, targets));
    expect(error.details).toEqual({
      baseline: '10.0',
      target: '9.5',
      direction: 'INCREASE',
      fields: [{ field: 'targets[1].value', message: 'must be above the baseline 10.0' }],
    });
  });

  it('compares a grouping without its own baseline with the contract-wide one (IND-03 city 2000)', () => {
    const shape = PADOVA['IND-03'].shape;
    const baselines: BaselineRef[] = [
      { grouping: 'RTI-A', value: '1100' },
      { grouping: null, value: '2000' },
    ];
    // RTI-A's 1320 is above its own 1100 even though it is below the city's 2000.
    expect(() => checkBaselinesAndTargets(shape, baselines, [{ period: 'Y2', grouping: 'RTI-A', value: '1320' }])).not.toThrow();
    // RTI-B has no baseline of its own, so the city's 2000 applies.
    const error = errorOf(() => checkBaselinesAndTargets(shape, baselines, [{ period: 'Y2', grouping: 'RTI-B', value: '1080' }]));
    expect(error.code).toBe('INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE');
    expect(error.details.baseline).toBe('2000');
  });

  it('gives a target no side while its grouping baseline is still to be established, even with a contract-wide one', () => {
    expect(() =>
      checkBaselinesAndTargets(
        perGrouping('COUNT', 'INCREASE'),
        [
          { grouping: 'RTI-A', value: null },
          { grouping: null, value: '2000' },
        ],
        [{ period: 'Y2', grouping: 'RTI-A', value: '10' }],
      ),
    ).not.toThrow();
  });

  it('has no side for LEVEL indicators (IND-04 held at 80.0 whatever the baseline)', () => {
    expect(() =>
      checkBaselinesAndTargets(
        perGrouping('PERCENT', 'LEVEL'),
        [{ grouping: 'RTI-A', value: '85.0' }],
        [
          { period: 'Y2', grouping: 'RTI-A', value: '80.0' },
          { period: 'Y3', grouping: 'RTI-A', value: '90.0' },
          { period: 'Y1', grouping: 'RTI-A', value: '85.0' },
        ],
      ),
    ).not.toThrow();
  });

  it('checks every baseline and target value in the unit: percent 100.5, count 3.5', () => {
    const percent = errorOf(() =>
      checkBaselinesAndTargets(PADOVA['IND-05'].shape, [{ grouping: 'RTI-A', value: '100.5' }], [], 'contract.indicators[4].'),
    );
    expect(percent.code).toBe('INDICATOR_VALUE_OUT_OF_RANGE');
    expect(percent.details.fields).toEqual([{ field: 'contract.indicators[4].baselines[0].value', message: 'must be at most 100 (PERCENT)' }]);

    const count = errorOf(() =>
      checkBaselinesAndTargets(PADOVA['IND-02'].shape, PADOVA['IND-02'].baselines, [{ period: 'Y2', grouping: 'RTI-A', value: '3.5' }]),
    );
    expect(count.details.fields).toEqual([{ field: 'targets[0].value', message: 'must be a whole number (COUNT)' }]);
  });

  it('refuses two baselines for the same grouping, and two contract-wide ones', () => {
    const sameGrouping = errorOf(() =>
      checkBaselinesAndTargets(
        PADOVA['IND-01'].shape,
        [
          { grouping: 'RTI-A', value: '8.0' },
          { grouping: 'RTI-B', value: '10.0' },
          { grouping: 'RTI-A', value: '9.0' },
        ],
        [],
      ),
    );
    expect(sameGrouping.code).toBe('INDICATOR_DUPLICATE_BASELINE');
    expect(sameGrouping.details.fields).toEqual([{ field: 'baselines[2]', message: 'a second baseline for grouping RTI-A' }]);

    const twoContractWide = errorOf(() =>
      checkBaselinesAndTargets(
        BERGAMO_ADMISSIONS,
        [
          { grouping: null, value: '42.5' },
          { grouping: null, value: null },
        ],
        [],
      ),
    );
    expect(twoContractWide.code).toBe('INDICATOR_DUPLICATE_BASELINE');
    expect(twoContractWide.details.fields).toEqual([{ field: 'baselines[1]', message: 'a second baseline for contract-wide' }]);
  });

  it('refuses two targets for the same period and grouping, but not a grouping target beside a contract-wide one', () => {
    const shape = PADOVA['IND-05'].shape;
    const error = errorOf(() =>
      checkBaselinesAndTargets(shape, PADOVA['IND-05'].baselines, [...PADOVA['IND-05'].targets, { period: 'Y3', grouping: 'RTI-B', value: '8.5' }]),
    );
    expect(error.code).toBe('INDICATOR_DUPLICATE_TARGET');
    expect(error.details.fields).toEqual([{ field: 'targets[4]', message: 'a second target for period Y3, grouping RTI-B' }]);

    expect(() =>
      checkBaselinesAndTargets(shape, [], [
        { period: 'Y2', grouping: 'RTI-A', value: '7.0' },
        { period: 'Y2', grouping: null, value: '6.5' },
      ]),
    ).not.toThrow();
  });

  it('refuses per-grouping baselines or targets on a CONTRACT_WIDE indicator', () => {
    const baseline = errorOf(() =>
      checkBaselinesAndTargets(BERGAMO_ADMISSIONS, [{ grouping: null, value: '42.5' }, { grouping: 'RTI-A', value: '40.0' }], []),
    );
    expect(baseline.code).toBe('INDICATOR_SCOPE_MISMATCH');
    expect(baseline.details.fields).toEqual([{ field: 'baselines[1]', message: 'a CONTRACT_WIDE indicator has no per-grouping values' }]);

    const target = errorOf(() =>
      checkBaselinesAndTargets(BERGAMO_ADMISSIONS, [], [{ period: 'Y2', grouping: 'RTI-B', value: '40.0' }], 'contract.indicators[0].'),
    );
    expect(target.code).toBe('INDICATOR_SCOPE_MISMATCH');
    expect(target.details.fields?.[0].field).toBe('contract.indicators[0].targets[0]');
  });
});

describe('checkDenominators', () => {
  it('accepts IND-05 with one over-60 population per RTI', () => {
    expect(() =>
      checkDenominators({ scope: 'PER_GROUPING' }, [
        { grouping: 'RTI-A', population: 'POP-Q1-3-OVER60' },
        { grouping: 'RTI-B', population: 'POP-Q4-6-OVER60' },
      ]),
    ).not.toThrow();
  });

  it('refuses two populations for one grouping and per-grouping ones on a CONTRACT_WIDE indicator', () => {
    const dup = errorOf(() =>
      checkDenominators({ scope: 'PER_GROUPING' }, [
        { grouping: 'RTI-A', population: 'P1' },
        { grouping: 'RTI-A', population: 'P2' },
      ]),
    );
    expect(dup.code).toBe('INDICATOR_DUPLICATE_DENOMINATOR');
    expect(dup.details.fields).toEqual([{ field: 'denominators[1]', message: 'a second denominator for grouping RTI-A' }]);

    const scope = errorOf(() => checkDenominators({ scope: 'CONTRACT_WIDE' }, [{ grouping: 'RTI-A', population: 'P1' }], 'x.'));
    expect(scope.code).toBe('INDICATOR_SCOPE_MISMATCH');
    expect(scope.details.fields?.[0].field).toBe('x.denominators[0]');
  });
});

describe('checkDisaggregations', () => {
  it('accepts IND-03 by target group and need type', () => {
    expect(() =>
      checkDisaggregations([
        { dimension: 'target', values: ['OVER60', 'UNDER60'] },
        { dimension: 'needType', values: ['SOCIALITA', 'MOVIMENTO', 'CULTURA', 'SUPPORTO'] },
      ]),
    ).not.toThrow();
  });

  it('refuses a dimension listed twice and a value listed twice', () => {
    const dim = errorOf(() =>
      checkDisaggregations([
        { dimension: 'target', values: ['OVER60'] },
        { dimension: 'target', values: ['UNDER60'] },
      ]),
    );
    expect(dim.code).toBe('INDICATOR_DISAGGREGATION_INVALID');
    expect(dim.details.fields).toEqual([{ field: 'disaggregations[1].dimension', message: 'dimension target is listed twice' }]);

    const value = errorOf(() => checkDisaggregations([{ dimension: 'needType', values: ['CULTURA', 'MOVIMENTO', 'CULTURA'] }], 'c.'));
    expect(value.details.fields).toEqual([{ field: 'c.disaggregations[0].values[2]', message: 'value CULTURA is listed twice' }]);
  });
});

describe('defaultAggregation', () => {
  it('sums counts and relates nothing else', () => {
    expect(defaultAggregation('COUNT')).toBe('SUM');
    expect(defaultAggregation('PERCENT')).toBe('NONE');
    expect(defaultAggregation('EUR')).toBe('NONE');
    expect(defaultAggregation('HOURS')).toBe('NONE');
  });
});

describe('coverageRate', () => {
  it('gives Padova IND-05 Y2 actuals exactly: 1,740 of 30,000 over-60s is 5.8%, 1,540 of 28,000 is 5.5%', () => {
    expect(coverageRate('1740', '30000')).toBe('5.8');
    expect(coverageRate('1540', '28000')).toBe('5.5');
  });

  it('rounds a non-terminating rate half-up at the sixth decimal place', () => {
    expect(coverageRate('1', '3')).toBe('33.333333');
    expect(coverageRate('2', '3')).toBe('66.666667');
    expect(coverageRate('1', '7')).toBe('14.285714');
    // 1 person in 200,000,000 is 0.0000005%: exactly half a unit of the 6th place, rounded up.
    expect(coverageRate('1', '200000000')).toBe('0.000001');
    expect(coverageRate('1', '16000000')).toBe('0.000006');
    expect(coverageRate('3', '16000000')).toBe('0.000019');
  });

  it('gives 0 for nobody reached and 100 for everybody, and does not cap more than everybody', () => {
    expect(coverageRate('0', '28000')).toBe('0');
    expect(coverageRate('28000', '28000')).toBe('100');
    expect(coverageRate('31000', '30000')).toBe('103.333333');
  });

  it('refuses an empty population, fractional people and non-decimals', () => {
    const zero = errorOf(() => coverageRate('10', '0'));
    expect(zero.code).toBe('INDICATOR_VALUE_OUT_OF_RANGE');
    expect(zero.details.fields).toEqual([{ field: 'population', message: 'must be at least 1 (a number of people)' }]);
    expect(errorOf(() => coverageRate('3.5', '100')).details.fields?.[0].field).toBe('reached');
    expect(errorOf(() => coverageRate('-1', '100')).details.fields?.[0].field).toBe('reached');
    expect(errorOf(() => coverageRate('10', '1e3')).details.fields?.[0].field).toBe('population');
  });
});
