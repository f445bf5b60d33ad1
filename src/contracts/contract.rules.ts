import { addDays } from 'src/common/dates/iso-date';
import { dec, Dec, isDecimalString } from 'src/common/decimal/decimal';
import { ContractError } from 'src/contracts/contracts.errors';
import { GroupingType, MemberRole } from 'src/contracts/provider-grouping.entity';
import { assertValidRuleSet, type RuleSetContext } from 'src/rule-sets/rule-set.validation';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';

// Pure rules of a contract's shape: dates, periods (annualità) and provider groupings. Each takes an `at`
// prefix so the same rule names `periods[1].startDate` through the API and `contract.periods[1].startDate`
// through a contract document. ISO dates compare correctly as strings.

export interface ContractDates {
  startDate: string;
  endDate: string;
}

export interface PeriodRef {
  code: string;
  startDate: string;
  endDate: string;
}

export interface MemberRef {
  /** Id or code: only compared for duplicates. */
  organisation: string;
  role: MemberRole;
  executionShare: string;
}

/** A contract may last a single day, never less. */
export function checkContractDates(contract: ContractDates, at = ''): void {
  if (contract.startDate > contract.endDate) {
    throw new ContractError(
      'CONTRACT_DATES_INVALID',
      `The contract starts on ${contract.startDate}, after its end ${contract.endDate}`,
      { fields: [{ field: `${at}endDate`, message: `must not be before startDate ${contract.startDate}` }] },
    );
  }
}

/**
 * The periods of a contract, in their given order: each well-formed, codes unique, all inside the contract,
 * and each starting exactly the day after the previous one ends (no gap, no overlap). The first period may
 * start on any day (1 July for Padova), not only on the contract's start.
 */
export function checkPeriods(contract: ContractDates, periods: readonly PeriodRef[], at = ''): void {
  const path = (i: number) => `${at}periods[${i}].`;
  periods.forEach((p, i) => checkPeriodDates(p, path(i)));
  const seen = new Map<string, number>();
  periods.forEach((p, i) => {
    const first = seen.get(p.code);
    if (first !== undefined) {
      throw periodCodeTaken(p.code, `${path(i)}code`, `periods[${first}]`);
    }
    seen.set(p.code, i);
  });
  periods.forEach((p, i) => checkInsideContract(contract, p, path(i)));
  for (let i = 1; i < periods.length; i++) {
    checkContiguous(periods[i - 1], periods[i], path(i));
  }
}

/**
 * A period appended after `existing` (already valid, in order): the same rules as `checkPeriods`, with
 * field paths relative to the new period itself (`at` + `startDate`, as in the body of POST .../periods).
 */
export function checkPeriodAppend(contract: ContractDates, existing: readonly PeriodRef[], next: PeriodRef, at = ''): void {
  checkPeriodDates(next, at);
  const index = existing.findIndex((p) => p.code === next.code);
  if (index >= 0) {
    throw periodCodeTaken(next.code, `${at}code`, `periods[${index}]`);
  }
  checkInsideContract(contract, next, at);
  if (existing.length > 0) {
    checkContiguous(existing[existing.length - 1], next, at);
  }
}

/**
 * The members of a provider grouping: shares are decimals in (0, 1] summing to exactly 1, exactly one
 * mandataria, no organisation twice, one member for a SINGLE and at least two for an RTI or consortium.
 * `organisationField` names the member's organisation field in the caller's input (`organisationId` in the API).
 */
export function checkGroupingMembers(
  type: GroupingType,
  members: readonly MemberRef[],
  at = '',
  organisationField = 'organisation',
): void {
  const path = (i: number) => `${at}members[${i}].`;
  members.forEach((m, i) => {
    const problem = shareProblem(m.executionShare);
    if (problem !== null) {
      throw new ContractError('GROUPING_SHARE_INVALID', `Execution share ${JSON.stringify(m.executionShare)} ${problem}`, {
        fields: [{ field: `${path(i)}executionShare`, message: problem }],
      });
    }
  });

  const seen = new Map<string, number>();
  members.forEach((m, i) => {
    const first = seen.get(m.organisation);
    if (first !== undefined) {
      throw new ContractError('GROUPING_DUPLICATE_MEMBER', `Organisation ${m.organisation} is listed twice in the grouping`, {
        organisation: m.organisation,
        fields: [{ field: `${path(i)}${organisationField}`, message: `already listed as members[${first}]` }],
      });
    }
    seen.set(m.organisation, i);
  });

  const countOk = type === 'SINGLE' ? members.length === 1 : members.length >= 2;
  if (!countOk) {
    const expected = type === 'SINGLE' ? 'exactly one member' : 'at least two members';
    throw new ContractError('GROUPING_MEMBER_COUNT', `A grouping of type ${type} has ${expected}, not ${members.length}`, {
      type,
      count: members.length,
      fields: [{ field: `${at}members`, message: `a grouping of type ${type} has ${expected}` }],
    });
  }

  const leads = members.map((m, i) => ({ m, i })).filter(({ m }) => m.role === 'MANDATARIA');
  if (leads.length !== 1) {
    const field = leads.length === 0 ? `${at}members` : `${path(leads[1].i)}role`;
    throw new ContractError(
      'GROUPING_LEAD_REQUIRED',
      `A grouping has exactly one MANDATARIA (lead member), not ${leads.length}`,
      { count: leads.length, fields: [{ field, message: leads.length === 0 ? 'needs exactly one MANDATARIA' : 'a second MANDATARIA' }] },
    );
  }

  const sum = members.reduce((acc, m) => acc.plus(dec(m.executionShare)), new Dec(0));
  if (!sum.eq(1)) {
    const actual = sum.toFixed();
    throw new ContractError('GROUPING_SHARES_NOT_ONE', `The execution shares sum to ${actual}, not exactly 1`, {
      sum: actual,
      fields: [{ field: `${at}members`, message: `execution shares sum to ${actual}, not 1` }],
    });
  }
}

/** The body's `paymentRules` must be a JSON object (400); what it says is checked by `checkPaymentRulesAgainst`. */
export function checkPaymentRules(value: unknown, at = ''): asserts value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const problem =
      value === undefined
        ? 'is required: a JSON object'
        : `must be a JSON object, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}`;
    throw new ContractError('PAYMENT_RULES_INVALID', `paymentRules ${problem}`, {
      fields: [{ field: `${at}paymentRules`, message: problem }],
    });
  }
}

function checkPeriodDates(p: PeriodRef, at: string): void {
  if (p.startDate > p.endDate) {
    throw new ContractError('PERIOD_DATES_INVALID', `Period ${p.code} starts on ${p.startDate}, after its end ${p.endDate}`, {
      period: p.code,
      fields: [{ field: `${at}endDate`, message: `must not be before startDate ${p.startDate}` }],
    });
  }
}

function checkInsideContract(contract: ContractDates, p: PeriodRef, at: string): void {
  const window = `${contract.startDate}..${contract.endDate}`;
  if (p.startDate < contract.startDate) {
    throw new ContractError('PERIOD_OUTSIDE_CONTRACT', `Period ${p.code} starts on ${p.startDate}, before the contract (${window})`, {
      period: p.code,
      fields: [{ field: `${at}startDate`, message: `must not be before the contract's start ${contract.startDate}` }],
    });
  }
  if (p.endDate > contract.endDate) {
    throw new ContractError('PERIOD_OUTSIDE_CONTRACT', `Period ${p.code} ends on ${p.endDate}, after the contract (${window})`, {
      period: p.code,
      fields: [{ field: `${at}endDate`, message: `must not be after the contract's end ${contract.endDate}` }],
    });
  }
}

function checkContiguous(previous: PeriodRef, p: PeriodRef, at: string): void {
  const expected = addDays(previous.endDate, 1);
  if (p.startDate === expected) {
    return;
  }
  const field = `${at}startDate`;
  if (p.startDate < expected) {
    throw new ContractError(
      'PERIODS_NOT_CONTIGUOUS',
      `Period ${p.code} overlaps ${previous.code}: it starts on ${p.startDate}, but ${previous.code} runs until ${previous.endDate}`,
      {
        problem: 'OVERLAP',
        period: p.code,
        previous: previous.code,
        expectedStartDate: expected,
        fields: [{ field, message: `overlaps ${previous.code}: must be ${expected}, the day after ${previous.code} ends` }],
      },
    );
  }
  const gapEnd = addDays(p.startDate, -1);
  throw new ContractError(
    'PERIODS_NOT_CONTIGUOUS',
    `There is a gap between ${previous.code} and ${p.code}: ${expected}..${gapEnd} is in no period`,
    {
      problem: 'GAP',
      period: p.code,
      previous: previous.code,
      expectedStartDate: expected,
      gap: { startDate: expected, endDate: gapEnd },
      fields: [{ field, message: `leaves a gap after ${previous.code}: must be ${expected}, the day after ${previous.code} ends` }],
    },
  );
}

function periodCodeTaken(code: string, field: string, firstAt: string): InstanceType<typeof ContractError> {
  return new ContractError('PERIOD_CODE_TAKEN', `Period code ${code} is used twice in the contract`, {
    period: code,
    fields: [{ field, message: `already used by ${firstAt}` }],
  });
}

function shareProblem(share: string): string | null {
  if (!isDecimalString(share)) {
    return 'must be a decimal string such as "0.50"';
  }
  const d = dec(share);
  if (d.lte(0)) {
    return 'must be greater than 0';
  }
  if (d.gt(1)) {
    return 'must be at most 1';
  }
  return null;
}

/**
 * The payment rules are a valid rule set (docs/rule-sets.md) for the contract as it is now: its current
 * indicators with their baselines and targets, its groupings with fees, its periods, the organisations an
 * evaluation payer names. Otherwise a 422 with the first problem's code (RULE_SET_* or RULE_CONDITION_*)
 * and every problem under `<at>paymentRules` (e.g. `paymentRules.terms[2].gate.condition.all[0].fact`).
 */
export function checkPaymentRulesAgainst(value: Record<string, unknown>, ctx: RuleSetContext, at = ''): asserts value is Record<string, unknown> & RuleSetDocument {
  assertValidRuleSet(value, ctx, { at: `${at}paymentRules` });
}
