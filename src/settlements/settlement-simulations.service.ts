import { Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal';
import { AuthError } from 'src/auth/auth.errors';
import { AccessScope } from 'src/auth/access-scope';
import { CommonError } from 'src/common/errors/common.errors';
import { indicatorSetInForce, type BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { Database } from 'src/database/database';
import { hypotheticalRows } from 'src/rule-sets/rule-set.test-runner';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { indicatorInput } from 'src/settlements/engine/indicator-inputs';
import { computeSettlement, factsFor, withPoolRequests } from 'src/settlements/engine/settlement-engine';
import { hashOf } from 'src/settlements/engine/settlement-manifest';
import { SimulateDto, SimulationDto, SimulationMeasurementsDto, SimulationPeriodDto } from 'src/settlements/dto/settlement.dto';
import { reasonStyleOf, SETTLEMENT_FORMAT, type SettlementInputs } from 'src/settlements/settlement-document';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { loadSettlementInputs } from 'src/settlements/settlement-inputs.loader';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';
import { RuleSetValidator } from 'src/settlements/rule-set.validator';
import { checkedHypothetical, hypotheticalProblems, mergeProblems, repeatedPeriods, type CheckedHypothetical, type SimulationProblem } from 'src/settlements/settlement-simulation.rules';

/**
 * What-if: the same engine and the same lines and reasons as a settlement, written nowhere. Either a
 * draft rule set against real periods (its accepted measurements), or hypothetical measurements for some
 * groupings (indicators not named keep their real values), or both. Contract managers and approvers of
 * the municipality simulate; it reads inside one transaction and changes nothing. Every period is loaded
 * and every hypothetical entry checked against it (settlement-simulation.rules.ts) before anything is
 * computed, so a refusal lists all the problems of the request. A period asked twice is refused first, as
 * invalid input (400), each repeat at its `periodIds[i]`.
 */
@Injectable()
export class SettlementSimulationsService {
  constructor(
    private readonly db: Database,
    private readonly access: SettlementAccess,
    private readonly scope: AccessScope,
    private readonly validator: RuleSetValidator,
  ) {}

  async simulate(p: Principal, contractId: string, dto: SimulateDto): Promise<SimulationDto> {
    const repeats = repeatedPeriods(dto.periodIds);
    if (repeats.length > 0) {
      throw new CommonError('VALIDATION_FAILED', repeats.length === 1 ? repeats[0].message : `${repeats.length} fields are invalid`, { fields: repeats });
    }
    return this.db.read(async (m) => {
      const { contract } = await this.access.contract(m, p, contractId);
      if (!(await this.scope.canManage(m, p, contract.municipalityId, ['contract_manager', 'approver']))) {
        throw new AuthError('AUTH_FORBIDDEN', 'Only contract managers and approvers of the contract simulate settlements', {});
      }
      const loaded: Loaded[] = [];
      for (const [i, periodId] of dto.periodIds.entries()) {
        const period = await m.findOneBy(ContractPeriodEntity, { id: periodId, contractId });
        if (!period) {
          throw new SettlementError('SETTLEMENT_PERIOD_NOT_IN_CONTRACT', `Period ${periodId} is not a period of contract ${contractId}`, {
            fields: [{ field: `periodIds[${i}]`, message: 'not a period of the contract' }],
          });
        }
        const binding = await indicatorSetInForce(m, contractId, period.id);
        if (!binding) {
          throw new SettlementError('SETTLEMENT_NO_BINDING_INDICATOR_SET', `No binding indicator set is in force for period ${period.code}`, { periodId });
        }
        const draft = dto.ruleSet === undefined ? null : await this.validator.validateDraft(m, contract, dto.ruleSet, binding.indicators);
        const rules = draft ?? (binding.paymentRules as RuleSetDocument | null);
        if (rules === null || rules === undefined) {
          throw new SettlementError('SETTLEMENT_NO_RULE_SET', `Binding version ${binding.version} has no payment rules: send a draft rule set to simulate`, { periodId });
        }
        const { frame, inputs } = await loadSettlementInputs(m, contract, period.id, binding, rules);
        loaded.push({ period, binding, rules, source: draft === null ? 'BINDING' : 'DRAFT', groupings: frame.groupings.map((g) => g.code), inputs });
      }
      const hypothetical = checkAll(contract.code, loaded, dto.hypothetical ?? []);
      const periods: SimulationPeriodDto[] = loaded.map(({ period, binding, rules, inputs: real }) => {
        const inputs = withPoolRequests(
          real.map((inp) => applyHypothetical(inp, binding.indicators, hypothetical.get(inp.grouping.code))),
          rules.poolCap ?? null,
        );
        return {
          periodId: period.id,
          periodCode: period.code,
          groupings: inputs.map((inp) => ({
            groupingCode: inp.grouping.code,
            result: calculating(() => computeSettlement(inp, { reasons: reasonStyleOf(SETTLEMENT_FORMAT) })) as unknown as Record<string, unknown>,
            indicators: inp.indicators as unknown as Record<string, unknown>[],
          })),
        };
      });
      const last = loaded[loaded.length - 1];
      return { ruleSetCode: last.rules.code, ruleSetHash: hashOf(last.rules), ruleSetSource: last.source, periods };
    });
  }
}

interface Loaded {
  period: ContractPeriodEntity;
  binding: BindingIndicatorSet;
  rules: RuleSetDocument;
  source: 'BINDING' | 'DRAFT';
  groupings: string[];
  inputs: SettlementInputs[];
}

/** The checked hypothetical entries by grouping code; SETTLEMENT_SIMULATION_INVALID with every problem of every period otherwise. */
function checkAll(contractCode: string, loaded: readonly Loaded[], entries: readonly SimulationMeasurementsDto[]): Map<string, CheckedHypothetical> {
  const problems: SimulationProblem[] = mergeProblems(
    loaded.map((l) =>
      hypotheticalProblems(entries, {
        contractCode,
        groupings: l.groupings,
        version: l.binding.version,
        indicators: l.binding.indicators,
        payers: (l.rules.evaluationPayers ?? []).map((x) => x.id),
      }),
    ),
  );
  if (problems.length > 0) {
    const first = problems[0];
    const summary = problems.length === 1 ? `${first.field} ${first.message}` : `${problems.length} problems, first: ${first.field} ${first.message}`;
    throw new SettlementError('SETTLEMENT_SIMULATION_INVALID', `The hypothetical measurements cannot be simulated: ${summary}`, {
      fields: problems.map((x) => ({ field: x.field, message: x.message, code: x.code })),
    });
  }
  return new Map(entries.map((e) => [e.grouping, checkedHypothetical(e)]));
}

function applyHypothetical(inputs: SettlementInputs, indicators: BindingIndicatorSet['indicators'], h: CheckedHypothetical | undefined): SettlementInputs {
  if (h === undefined) return inputs;
  const replaced = inputs.indicators.map((current) => {
    if (!(current.code in h.measurements)) return current;
    const snapshot = indicators.find((i) => i.code === current.code);
    return snapshot === undefined ? current : indicatorInput(snapshot, inputs.period.code, inputs.grouping.code, hypotheticalRows(current.code, h.measurements));
  });
  const evaluations = { ...inputs.evaluations };
  for (const [payer, e] of Object.entries(h.evaluations)) {
    evaluations[payer] = { recordId: `hypothetical:${payer}`, significant: e.significant, certifiedSavings: e.certifiedSavings };
  }
  return { ...inputs, indicators: replaced, facts: factsFor(replaced), evaluations };
}
