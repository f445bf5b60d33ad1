import { DomainError } from 'src/common/errors/domain-error';
import {
  checkContractDates,
  checkGroupingMembers,
  checkPaymentRules,
  checkPeriodAppend,
  checkPeriods,
  MemberRef,
  PeriodRef,
} from 'src/contracts/contract.rules';

const PADOVA = { startDate: '2024-07-01', endDate: '2027-06-30' };
const Y1: PeriodRef = { code: 'Y1', startDate: '2024-07-01', endDate: '2025-06-30' };
const Y2: PeriodRef = { code: 'Y2', startDate: '2025-07-01', endDate: '2026-06-30' };
const Y3: PeriodRef = { code: 'Y3', startDate: '2026-07-01', endDate: '2027-06-30' };

const RTI_A: MemberRef[] = [
  { organisation: 'ETS-AURORA', role: 'MANDATARIA', executionShare: '0.50' },
  { organisation: 'ETS-BORGO-VIVO', role: 'MANDANTE', executionShare: '0.30' },
  { organisation: 'ETS-CICLAMINO', role: 'MANDANTE', executionShare: '0.20' },
];
const RTI_B: MemberRef[] = [
  { organisation: 'ETS-DELTA', role: 'MANDATARIA', executionShare: '0.60' },
  { organisation: 'ETS-EDERA', role: 'MANDANTE', executionShare: '0.40' },
];

/** Runs `fn` and returns the domain error it threw (failing the test if it threw nothing). */
function caught(fn: () => void): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error('expected a domain error, nothing was thrown');
}

describe('checkContractDates', () => {
  it("accepts Padova's three contract years and a one-day contract", () => {
    expect(() => checkContractDates(PADOVA)).not.toThrow();
    expect(() => checkContractDates({ startDate: '2025-01-01', endDate: '2025-01-01' })).not.toThrow();
  });

  it('refuses a contract that ends before it starts, naming the end date under the document prefix', () => {
    const e = caught(() => checkContractDates({ startDate: '2027-06-30', endDate: '2024-07-01' }, 'contract.'));
    expect(e.code).toBe('CONTRACT_DATES_INVALID');
    expect(e.status).toBe(422);
    expect(e.details.fields).toEqual([{ field: 'contract.endDate', message: 'must not be before startDate 2027-06-30' }]);
  });
});

describe('checkPeriods', () => {
  it('accepts Padova Y1-Y3 starting on 1 July', () => {
    expect(() => checkPeriods(PADOVA, [Y1, Y2, Y3])).not.toThrow();
  });

  it('accepts no periods yet, and periods covering only part of the contract', () => {
    expect(() => checkPeriods(PADOVA, [])).not.toThrow();
    expect(() => checkPeriods(PADOVA, [Y2])).not.toThrow();
    expect(() => checkPeriods(PADOVA, [Y1, Y2])).not.toThrow();
  });

  it('accepts quarters across a leap day', () => {
    const contract = { startDate: '2024-01-01', endDate: '2024-06-30' };
    const q1 = { code: 'Q1', startDate: '2024-01-01', endDate: '2024-02-29' };
    const q2 = { code: 'Q2', startDate: '2024-03-01', endDate: '2024-06-30' };
    expect(() => checkPeriods(contract, [q1, q2])).not.toThrow();
  });

  it('refuses a period that ends before it starts', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y1, { ...Y2, endDate: '2025-06-30' }], 'contract.'));
    expect(e.code).toBe('PERIOD_DATES_INVALID');
    expect(e.details.fields).toEqual([{ field: 'contract.periods[1].endDate', message: 'must not be before startDate 2025-07-01' }]);
  });

  it('refuses a period code used twice, naming the second one', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y1, { ...Y2, code: 'Y1' }, Y3]));
    expect(e.code).toBe('PERIOD_CODE_TAKEN');
    expect(e.status).toBe(409);
    expect(e.details.fields).toEqual([{ field: 'periods[1].code', message: 'already used by periods[0]' }]);
  });

  it('refuses a first period starting in June 2024, before the contract', () => {
    const e = caught(() => checkPeriods(PADOVA, [{ ...Y1, startDate: '2024-06-01' }, Y2, Y3], 'contract.'));
    expect(e.code).toBe('PERIOD_OUTSIDE_CONTRACT');
    expect(e.details.fields).toEqual([
      { field: 'contract.periods[0].startDate', message: "must not be before the contract's start 2024-07-01" },
    ]);
  });

  it('refuses a fourth year running past the contract end', () => {
    const y4 = { code: 'Y4', startDate: '2027-07-01', endDate: '2028-06-30' };
    const e = caught(() => checkPeriods(PADOVA, [Y1, Y2, Y3, y4]));
    expect(e.code).toBe('PERIOD_OUTSIDE_CONTRACT');
    expect(e.details.fields).toEqual([{ field: 'periods[3].endDate', message: "must not be after the contract's end 2027-06-30" }]);
  });

  it('refuses a gap of one month between Y1 and Y2, saying which days are uncovered', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y1, { ...Y2, startDate: '2025-08-01' }, Y3], 'contract.'));
    expect(e.code).toBe('PERIODS_NOT_CONTIGUOUS');
    expect(e.message).toBe('There is a gap between Y1 and Y2: 2025-07-01..2025-07-31 is in no period');
    expect(e.details).toMatchObject({
      problem: 'GAP',
      period: 'Y2',
      previous: 'Y1',
      expectedStartDate: '2025-07-01',
      gap: { startDate: '2025-07-01', endDate: '2025-07-31' },
    });
    expect(e.details.fields).toEqual([
      { field: 'contract.periods[1].startDate', message: 'leaves a gap after Y1: must be 2025-07-01, the day after Y1 ends' },
    ]);
  });

  it('refuses a one-day gap (Y2 starting on 2 July)', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y1, { ...Y2, startDate: '2025-07-02' }]));
    expect(e.details).toMatchObject({ problem: 'GAP', gap: { startDate: '2025-07-01', endDate: '2025-07-01' } });
  });

  it('refuses Y2 starting on 30 June, the day Y1 ends (overlap)', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y1, { ...Y2, startDate: '2025-06-30' }, Y3]));
    expect(e.code).toBe('PERIODS_NOT_CONTIGUOUS');
    expect(e.message).toBe('Period Y2 overlaps Y1: it starts on 2025-06-30, but Y1 runs until 2025-06-30');
    expect(e.details).toMatchObject({ problem: 'OVERLAP', period: 'Y2', previous: 'Y1', expectedStartDate: '2025-07-01' });
    expect(e.details.fields).toEqual([
      { field: 'periods[1].startDate', message: 'overlaps Y1: must be 2025-07-01, the day after Y1 ends' },
    ]);
  });

  it('refuses periods listed out of order (Y2 before Y1) as an overlap', () => {
    const e = caught(() => checkPeriods(PADOVA, [Y2, Y1]));
    expect(e.code).toBe('PERIODS_NOT_CONTIGUOUS');
    expect(e.details.problem).toBe('OVERLAP');
  });
});

describe('checkPeriodAppend', () => {
  it('appends Y3 right after Y2', () => {
    expect(() => checkPeriodAppend(PADOVA, [Y1, Y2], Y3)).not.toThrow();
  });

  it('appends a first period anywhere inside the contract', () => {
    expect(() => checkPeriodAppend(PADOVA, [], Y2)).not.toThrow();
  });

  it('names the fields of the appended period itself', () => {
    const gap = caught(() => checkPeriodAppend(PADOVA, [Y1], { ...Y3, code: 'Y2' }));
    expect(gap.code).toBe('PERIODS_NOT_CONTIGUOUS');
    expect(gap.details.fields).toEqual([
      { field: 'startDate', message: 'leaves a gap after Y1: must be 2025-07-01, the day after Y1 ends' },
    ]);
    const taken = caught(() => checkPeriodAppend(PADOVA, [Y1, Y2], { ...Y3, code: 'Y1' }));
    expect(taken.code).toBe('PERIOD_CODE_TAKEN');
    expect(taken.details.fields).toEqual([{ field: 'code', message: 'already used by periods[0]' }]);
    const outside = caught(() => checkPeriodAppend(PADOVA, [Y1, Y2, Y3], { code: 'Y4', startDate: '2027-07-01', endDate: '2028-06-30' }));
    expect(outside.code).toBe('PERIOD_OUTSIDE_CONTRACT');
    expect(outside.details.fields).toEqual([{ field: 'endDate', message: "must not be after the contract's end 2027-06-30" }]);
  });
});

describe('checkGroupingMembers', () => {
  it("accepts Padova's RTI-A (0.50/0.30/0.20) and RTI-B (0.60/0.40)", () => {
    expect(() => checkGroupingMembers('RTI', RTI_A)).not.toThrow();
    expect(() => checkGroupingMembers('RTI', RTI_B)).not.toThrow();
  });

  it('accepts thirds written as 0.3333/0.3333/0.3334 in a consortium', () => {
    const thirds: MemberRef[] = [
      { organisation: 'A', role: 'MANDATARIA', executionShare: '0.3333' },
      { organisation: 'B', role: 'MANDANTE', executionShare: '0.3333' },
      { organisation: 'C', role: 'MANDANTE', executionShare: '0.3334' },
    ];
    expect(() => checkGroupingMembers('CONSORTIUM', thirds)).not.toThrow();
  });

  it('accepts a single ETS holding the whole service', () => {
    expect(() => checkGroupingMembers('SINGLE', [{ organisation: 'A', role: 'MANDATARIA', executionShare: '1' }])).not.toThrow();
    expect(() => checkGroupingMembers('SINGLE', [{ organisation: 'A', role: 'MANDATARIA', executionShare: '1.000' }])).not.toThrow();
  });

  it('refuses 1/3 written as 0.33 three times: the shares sum to 0.99', () => {
    const e = caught(() =>
      checkGroupingMembers(
        'RTI',
        [
          { organisation: 'A', role: 'MANDATARIA', executionShare: '0.33' },
          { organisation: 'B', role: 'MANDANTE', executionShare: '0.33' },
          { organisation: 'C', role: 'MANDANTE', executionShare: '0.33' },
        ],
        'contract.groupings[0].',
      ),
    );
    expect(e.code).toBe('GROUPING_SHARES_NOT_ONE');
    expect(e.details.sum).toBe('0.99');
    expect(e.details.fields).toEqual([{ field: 'contract.groupings[0].members', message: 'execution shares sum to 0.99, not 1' }]);
  });

  it('refuses RTI-A shares summing to 1.10 (0.60/0.30/0.20), exactly, with no float noise', () => {
    const e = caught(() => checkGroupingMembers('RTI', [{ ...RTI_A[0], executionShare: '0.60' }, RTI_A[1], RTI_A[2]]));
    expect(e.code).toBe('GROUPING_SHARES_NOT_ONE');
    expect(e.details.sum).toBe('1.1');
  });

  it('accepts 0.1 + 0.2 + 0.7, which is exactly 1 in decimals (not in binary floats)', () => {
    const members: MemberRef[] = [
      { organisation: 'A', role: 'MANDATARIA', executionShare: '0.1' },
      { organisation: 'B', role: 'MANDANTE', executionShare: '0.2' },
      { organisation: 'C', role: 'MANDANTE', executionShare: '0.7' },
    ];
    expect(() => checkGroupingMembers('RTI', members)).not.toThrow();
  });

  it.each([
    ['0', 'must be greater than 0'],
    ['0.00', 'must be greater than 0'],
    ['-0.50', 'must be greater than 0'],
    ['1.01', 'must be at most 1'],
    ['0,5', 'must be a decimal string such as "0.50"'],
    ['5e-1', 'must be a decimal string such as "0.50"'],
  ])('refuses an execution share of %s', (share, message) => {
    const e = caught(() => checkGroupingMembers('RTI', [RTI_B[0], { ...RTI_B[1], executionShare: share }], 'contract.groupings[1].'));
    expect(e.code).toBe('GROUPING_SHARE_INVALID');
    expect(e.details.fields).toEqual([{ field: 'contract.groupings[1].members[1].executionShare', message }]);
  });

  it('refuses an RTI without a mandataria', () => {
    const e = caught(() => checkGroupingMembers('RTI', RTI_B.map((m) => ({ ...m, role: 'MANDANTE' as const }))));
    expect(e.code).toBe('GROUPING_LEAD_REQUIRED');
    expect(e.details.fields).toEqual([{ field: 'members', message: 'needs exactly one MANDATARIA' }]);
  });

  it('refuses an RTI with two mandatarie, naming the second', () => {
    const e = caught(() => checkGroupingMembers('RTI', [RTI_A[0], RTI_A[1], { ...RTI_A[2], role: 'MANDATARIA' }]));
    expect(e.code).toBe('GROUPING_LEAD_REQUIRED');
    expect(e.details.fields).toEqual([{ field: 'members[2].role', message: 'a second MANDATARIA' }]);
  });

  it('refuses the same cooperative listed twice, naming the API field when asked', () => {
    const twice: MemberRef[] = [
      { organisation: 'ETS-DELTA', role: 'MANDATARIA', executionShare: '0.60' },
      { organisation: 'ETS-DELTA', role: 'MANDANTE', executionShare: '0.40' },
    ];
    const e = caught(() => checkGroupingMembers('RTI', twice, '', 'organisationId'));
    expect(e.code).toBe('GROUPING_DUPLICATE_MEMBER');
    expect(e.details.fields).toEqual([{ field: 'members[1].organisationId', message: 'already listed as members[0]' }]);
    const doc = caught(() => checkGroupingMembers('RTI', twice, 'contract.groupings[1].'));
    expect(doc.details.fields).toEqual([{ field: 'contract.groupings[1].members[1].organisation', message: 'already listed as members[0]' }]);
  });

  it('refuses an RTI of one cooperative and a SINGLE of two', () => {
    const rti = caught(() => checkGroupingMembers('RTI', [{ organisation: 'A', role: 'MANDATARIA', executionShare: '1' }]));
    expect(rti.code).toBe('GROUPING_MEMBER_COUNT');
    expect(rti.details).toMatchObject({ type: 'RTI', count: 1 });
    expect(rti.details.fields).toEqual([{ field: 'members', message: 'a grouping of type RTI has at least two members' }]);
    const single = caught(() => checkGroupingMembers('SINGLE', RTI_B));
    expect(single.code).toBe('GROUPING_MEMBER_COUNT');
    expect(single.details).toMatchObject({ type: 'SINGLE', count: 2 });
  });

  it('refuses a consortium with no members at all', () => {
    expect(caught(() => checkGroupingMembers('CONSORTIUM', [])).code).toBe('GROUPING_MEMBER_COUNT');
  });
});

describe('checkPaymentRules', () => {
  it('accepts any JSON object, even an empty one', () => {
    expect(() => checkPaymentRules({ code: 'PD-SDC-R1', terms: [] })).not.toThrow();
    expect(() => checkPaymentRules({})).not.toThrow();
  });

  it.each([
    [[], 'an array'],
    [null, 'null'],
    ['rules', 'a string'],
    [3, 'a number'],
  ])('refuses %j', (value, kind) => {
    const e = caught(() => checkPaymentRules(value, 'contract.'));
    expect(e.code).toBe('PAYMENT_RULES_INVALID');
    expect(e.details.fields).toEqual([{ field: 'contract.paymentRules', message: `must be a JSON object, not ${kind}` }]);
  });

  it('says the section is required when it is missing', () => {
    const e = caught(() => checkPaymentRules(undefined));
    expect(e.code).toBe('PAYMENT_RULES_INVALID');
    expect(e.details.fields).toEqual([{ field: 'paymentRules', message: 'is required: a JSON object' }]);
  });
});
