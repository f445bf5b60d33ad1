import { DECORATORS } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DECIMAL_PATTERN } from 'src/common/decimal/decimal';
import { describeDecimalProblem, IsDecimalString } from 'src/common/decimal/decimal-string.validator';

describe('describeDecimalProblem', () => {
  it.each([
    [1.5, 'must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values'],
    [0, 'must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values'],
    [null, 'must be a decimal string such as "12.50"'],
    [true, 'must be a decimal string such as "12.50"'],
    ['1,5', 'must use a decimal point, not a comma (e.g. "12.50")'],
    ['1e3', 'must be a plain decimal: exponents, NaN and Infinity are not accepted'],
    ['NaN', 'must be a plain decimal: exponents, NaN and Infinity are not accepted'],
    ['-Infinity', 'must be a plain decimal: exponents, NaN and Infinity are not accepted'],
    ['+1', 'must be a plain decimal string such as "12.50" (digits, optional minus, optional point)'],
    ['1.', 'must be a plain decimal string such as "12.50" (digits, optional minus, optional point)'],
    ['007', 'must be a plain decimal string such as "12.50" (digits, optional minus, optional point)'],
    ['1'.repeat(65), 'must be at most 64 characters long'],
  ])('%j: %s', (value, problem) => {
    expect(describeDecimalProblem(value)).toBe(problem);
  });

  it('gives an example of the kind of value asked for: a share, a count or an amount', () => {
    expect(describeDecimalProblem(0.5, { min: '0', max: '1' })).toBe('must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values');
    expect(describeDecimalProblem('1,5', { min: '1', integer: true })).toBe('must use a decimal point, not a comma (e.g. "12")');
    expect(describeDecimalProblem(320000, { min: '0', maxScale: 2 })).toBe('must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values');
  });

  it('refuses a negative zero where values may not be negative, and keeps it where they may', () => {
    expect(describeDecimalProblem('-0', { min: '0' })).toBe('must not be negative: write 0 without a minus sign');
    expect(describeDecimalProblem('-0.00', { min: '0', maxScale: 2 })).toBe('must not be negative: write 0 without a minus sign');
    expect(describeDecimalProblem('-0')).toBeNull();
    expect(describeDecimalProblem('0', { min: '0' })).toBeNull();
  });

  it('accepts plain decimals, keeping no opinion on their scale unless asked', () => {
    expect(describeDecimalProblem('12.50')).toBeNull();
    expect(describeDecimalProblem('-0.5')).toBeNull();
    expect(describeDecimalProblem('0.33333333333333333333')).toBeNull();
  });

  it('applies min and max inclusively', () => {
    expect(describeDecimalProblem('-0.5', { min: '0' })).toBe('must be at least 0');
    expect(describeDecimalProblem('0', { min: '0' })).toBeNull();
    expect(describeDecimalProblem('1', { min: '0', max: '1' })).toBeNull();
    expect(describeDecimalProblem('1.0000001', { min: '0', max: '1' })).toBe('must be at most 1');
  });

  it('asks counts to be whole numbers, "2.0" included (counts are written as they are counted)', () => {
    expect(describeDecimalProblem('2', { integer: true })).toBeNull();
    expect(describeDecimalProblem('2.0', { integer: true })).toBe('must be a whole number');
    expect(describeDecimalProblem('2.5', { integer: true })).toBe('must be a whole number');
  });

  it('limits the number of decimal places (cents for euros)', () => {
    expect(describeDecimalProblem('60000.00', { maxScale: 2 })).toBeNull();
    expect(describeDecimalProblem('60000', { maxScale: 2 })).toBeNull();
    expect(describeDecimalProblem('0.005', { maxScale: 2 })).toBe('must have at most 2 decimal places');
  });

  it('reports the format before the range, so "1e3" never reads as "too large"', () => {
    expect(describeDecimalProblem('1e3', { max: '10' })).toBe('must be a plain decimal: exponents, NaN and Infinity are not accepted');
  });
});

class FeeDto {
  /** The yearly fee. */
  @IsDecimalString({ min: '0', maxScale: 2 })
  amount!: string;

  @IsDecimalString({ min: '0', max: '1' }, { each: true })
  shares!: string[];
}

describe('@IsDecimalString', () => {
  const problems = (body: object) =>
    validateSync(plainToInstance(FeeDto, body)).flatMap((e) => Object.values(e.constraints ?? {}));

  it('passes valid decimal strings', () => {
    expect(problems({ amount: '60000.00', shares: ['0.5', '0.5'] })).toEqual([]);
  });

  it('names the property in its message', () => {
    expect(problems({ amount: 60000, shares: ['0.5'] })).toEqual([
      'amount must be a decimal string such as "12.50": JSON numbers are not accepted for money or measured values',
    ]);
    expect(problems({ amount: '-1', shares: ['0.5'] })).toEqual(['amount must be at least 0']);
  });

  it('checks each element when asked to', () => {
    expect(problems({ amount: '1', shares: ['0.5', '1.5'] })).toEqual(['shares[1] must be at most 1']);
    expect(problems({ amount: '1', shares: [0.5, '0.5', '1,5'] })).toEqual([
      'shares[0] must be a decimal string such as "0.25": JSON numbers are not accepted for money or measured values; ' +
        'shares[2] must use a decimal point, not a comma (e.g. "0.25")',
    ]);
  });

  it('documents the exact string format in OpenAPI, for single values and arrays', () => {
    const meta = (key: string) => Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, FeeDto.prototype, key) as Record<string, unknown>;
    expect(meta('amount')).toMatchObject({ type: 'string', pattern: DECIMAL_PATTERN });
    expect(meta('amount')).not.toHaveProperty('required');
    expect(meta('shares')).toMatchObject({ type: 'array', items: { type: 'string', pattern: DECIMAL_PATTERN } });
  });
});
