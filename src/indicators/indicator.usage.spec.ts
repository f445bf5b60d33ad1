import { IndicatorEntity } from 'src/indicators/indicator.entity';
import { changedFixedFields, changeReadsUsage, IndicatorUsage, requireUnused } from 'src/indicators/indicator.usage';
import { IndicatorError } from 'src/indicators/indicators.errors';

// What an indicator in use (measured, or named by the payment rules) may not change, and how the refusal
// reads. Padova's IND-03 (unique participants: COUNT, INCREASE), measured once and named by its term.

const IND03 = { id: 'ind-03', code: 'IND-03', unit: 'COUNT', direction: 'INCREASE' } as IndicatorEntity;
const MEASURED: IndicatorUsage = { measurements: 1, paymentRules: [] };
const NAMED: IndicatorUsage = { measurements: 0, paymentRules: ['paymentRules.terms[2].indicator', 'paymentRules.tests[0].measurements.IND-03'] };
const UNUSED: IndicatorUsage = { measurements: 0, paymentRules: [] };
const IN_USE_FIELD = 'cannot change while IND-03 is in use (measured or named by the payment rules)';

function refusal(usage: IndicatorUsage, change: Parameters<typeof requireUnused>[2]): InstanceType<typeof IndicatorError> {
  try {
    requireUnused(IND03, usage, change);
  } catch (error) {
    if (error instanceof IndicatorError) return error;
    throw error;
  }
  throw new Error('expected INDICATOR_IN_USE');
}

describe('which fields of an indicator in use are fixed', () => {
  it('finds a new unit and direction, in a fixed order; the same values sent again are no change', () => {
    expect(changedFixedFields(IND03, { ...IND03 })).toEqual([]);
    expect(changedFixedFields(IND03, { ...IND03, direction: 'DECREASE', unit: 'PERCENT' })).toEqual(['unit', 'direction']);
    expect(changedFixedFields(IND03, { ...IND03, code: 'IND-03B', direction: 'LEVEL' })).toEqual(['code', 'direction']);
  });

  it('reads the usage for a body naming the code, unit, direction or disaggregations, not for free text alone', () => {
    expect(changeReadsUsage({})).toBe(false);
    expect(changeReadsUsage({ labelIt: 'Partecipanti', instrument: 'Registro presenze' } as Record<string, unknown>)).toBe(false);
    expect(changeReadsUsage({ unit: 'COUNT' })).toBe(true);
    expect(changeReadsUsage({ direction: 'DECREASE' })).toBe(true);
    expect(changeReadsUsage({ code: 'IND-03' })).toBe(true);
    expect(changeReadsUsage({ disaggregations: [] })).toBe(true);
  });
});

describe('refusing a new unit or direction while the indicator is in use (409 INDICATOR_IN_USE)', () => {
  it('lets any change through while nothing uses the indicator', () => {
    expect(() => requireUnused(IND03, UNUSED, ['unit', 'direction'])).not.toThrow();
    expect(() => requireUnused(IND03, UNUSED)).not.toThrow();
  });

  it('keeps the unit of a measured indicator: a different measure is a new indicator', () => {
    const error = refusal(MEASURED, ['unit']);
    expect(error.code).toBe('INDICATOR_IN_USE');
    expect(error.message).toBe(
      'The unit of indicator IND-03 cannot change while it has 1 measurement: its measurements, baselines and targets are read in this unit ' +
        'and measurements are never deleted, so a measured indicator keeps its unit: a different measure is a new indicator with its own code',
    );
    expect(error.details).toEqual({ id: 'ind-03', code: 'IND-03', measurements: 1, paymentRules: [], fields: [{ field: 'unit', message: IN_USE_FIELD }] });
  });

  it('names both fields when the unit and direction change, and the way through the payment rules when only they name it', () => {
    const error = refusal(NAMED, ['unit', 'direction']);
    expect(error.message).toBe(
      "The unit and direction of indicator IND-03 cannot change while it is named by the contract's payment rules at " +
        'paymentRules.terms[2].indicator, paymentRules.tests[0].measurements.IND-03: remove it from the payment rules first, ' +
        'then change its unit and direction and name it in the rules again',
    );
    expect(error.details.fields).toEqual([
      { field: 'unit', message: IN_USE_FIELD },
      { field: 'direction', message: IN_USE_FIELD },
    ]);
  });

  it('answers a new code as a rename, with a field entry for each changed field', () => {
    const error = refusal(MEASURED, ['code', 'direction']);
    expect(error.message).toBe(
      'The code and direction of indicator IND-03 cannot change while it has 1 measurement: ' +
        'measurements name an indicator by its code and are never deleted, so a measured indicator keeps its code',
    );
    expect((error.details.fields ?? []).map((f) => f.field)).toEqual(['code', 'direction']);
    // A rename alone reads as before.
    expect(refusal(NAMED, ['code']).message).toBe(
      "The code of indicator IND-03 cannot change while it is named by the contract's payment rules at paymentRules.terms[2].indicator, " +
        'paymentRules.tests[0].measurements.IND-03: remove it from the payment rules first, then rename it and name the new code in the rules',
    );
  });

  it('still answers a deletion without field entries', () => {
    const error = refusal({ measurements: 2, paymentRules: [] }, 'delete');
    expect(error.message).toBe('Indicator IND-03 has 2 measurements: a measured indicator stays in the contract (measurements are never deleted)');
    expect(error.details).toEqual({ id: 'ind-03', code: 'IND-03', measurements: 2, paymentRules: [] });
  });
});
