import { Injectable } from '@nestjs/common';
import { isDecimalString } from 'src/common/decimal/decimal';
import { Principal } from 'src/auth/principal';
import { AuthError } from 'src/auth/auth.errors';
import { AccessScope } from 'src/auth/access-scope';
import { indicatorSetInForce } from 'src/co-definition/indicator-set.resolver';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { Database } from 'src/database/database';
import { hypotheticalRows } from 'src/rule-sets/rule-set.test-runner';
import type { RuleSetDocument, RuleSetTestCase } from 'src/rule-sets/rule-set.types';
import { indicatorInput } from 'src/settlements/engine/indicator-inputs';
import { computeSettlement, factsFor, withPoolRequests } from 'src/settlements/engine/settlement-engine';
import { hashOf } from 'src/settlements/engine/settlement-manifest';
import { SimulateDto, SimulationDto, SimulationMeasurementsDto, SimulationPeriodDto } from 'src/settlements/dto/settlement.dto';
import { reasonStyleOf, SETTLEMENT_FORMAT, type SettlementInputs } from 'src/settlements/settlement-document';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { loadSettlementInputs } from 'src/settlements/settlement-inputs.loader';
import { calculating, SettlementError } from 'src/settlements/settlements.errors';
import { RuleSetValidator } from 'src/settlements/rule-set.validator';

/**
 * What-if: the same engine and the same lines and reasons as a settlement, written nowhere. Either a
 * draft rule set against real periods (its accepted measurements), or hypothetical measurements for some
 * groupings (indicators not named keep their real values), or both. Contract managers and approvers of
 * the municipality simulate; it reads inside one transaction and changes nothing.
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
    return this.db.read(async (m) => {
      const { contract } = await this.access.contract(m, p, contractId);
      if (!(await this.scope.canManage(m, p, contract.municipalityId, ['contract_manager', 'approver']))) {
        throw new AuthError('AUTH_FORBIDDEN', 'Only contract managers and approvers of the contract simulate settlements', {});
      }
      const periods: SimulationPeriodDto[] = [];
      let used: { rules: RuleSetDocument; source: 'BINDING' | 'DRAFT' } | null = null;
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
        used = { rules, source: draft === null ? 'BINDING' : 'DRAFT' };
        const loaded = await loadSettlementInputs(m, contract, period.id, binding, rules);
        const inputs = withPoolRequests(
          loaded.inputs.map((inp) => applyHypothetical(inp, binding.indicators, dto.hypothetical ?? [])),
          rules.poolCap ?? null,
        );
        periods.push({
          periodId: period.id,
          periodCode: period.code,
          groupings: inputs.map((inp) => ({
            groupingCode: inp.grouping.code,
            result: calculating(() => computeSettlement(inp, { reasons: reasonStyleOf(SETTLEMENT_FORMAT) })) as unknown as Record<string, unknown>,
            indicators: inp.indicators as unknown as Record<string, unknown>[],
          })),
        });
      }
      const final = used as { rules: RuleSetDocument; source: 'BINDING' | 'DRAFT' };
      return { ruleSetCode: final.rules.code, ruleSetHash: hashOf(final.rules), ruleSetSource: final.source, periods };
    });
  }
}

function checkMeasurements(h: SimulationMeasurementsDto, at: string): RuleSetTestCase['measurements'] {
  const out: RuleSetTestCase['measurements'] = {};
  for (const [code, raw] of Object.entries(h.measurements)) {
    const field = `${at}.measurements.${code}`;
    const value = raw as Record<string, unknown> | null;
    const ok =
      value !== null &&
      typeof value === 'object' &&
      ((typeof value.status === 'string' && ['MISSING', 'NOT_ASSESSABLE'].includes(value.status)) || isDecimalString(value.value)) &&
      (value.sampleSize === undefined || (typeof value.sampleSize === 'number' && Number.isInteger(value.sampleSize) && value.sampleSize >= 0));
    if (!ok) {
      throw new SettlementError('SETTLEMENT_SIMULATION_INVALID', `${code}: give { "value": "<decimal>" } or { "status": "MISSING" | "NOT_ASSESSABLE" }`, {
        fields: [{ field, message: 'a decimal string value, or status MISSING or NOT_ASSESSABLE; sampleSize a whole number' }],
      });
    }
    out[code] = value as RuleSetTestCase['measurements'][string];
  }
  return out;
}

function applyHypothetical(inputs: SettlementInputs, indicators: Parameters<typeof indicatorInput>[0][], hypothetical: SimulationMeasurementsDto[]): SettlementInputs {
  const index = hypothetical.findIndex((h) => h.grouping === inputs.grouping.code);
  if (index < 0) return inputs;
  const h = hypothetical[index];
  const measurements = checkMeasurements(h, `hypothetical[${index}]`);
  const known = new Set(indicators.map((i) => i.code));
  const unknown = Object.keys(measurements).find((code) => !known.has(code));
  if (unknown !== undefined) {
    throw new SettlementError('SETTLEMENT_SIMULATION_INVALID', `${unknown} is not an indicator of the binding version`, {
      fields: [{ field: `hypothetical[${index}].measurements.${unknown}`, message: 'unknown indicator' }],
    });
  }
  const replaced = inputs.indicators.map((current) => {
    if (!(current.code in measurements)) return current;
    const snapshot = indicators.find((i) => i.code === current.code);
    return snapshot === undefined ? current : indicatorInput(snapshot, inputs.period.code, inputs.grouping.code, hypotheticalRows(current.code, measurements));
  });
  const evaluations = { ...inputs.evaluations };
  for (const [payer, raw] of Object.entries(h.evaluations ?? {})) {
    const e = raw as { significant?: unknown; certifiedSavings?: unknown };
    if (typeof e.significant !== 'boolean' || !isDecimalString(e.certifiedSavings)) {
      throw new SettlementError('SETTLEMENT_SIMULATION_INVALID', `evaluation ${payer}: give { "significant": true|false, "certifiedSavings": "<decimal>" }`, {
        fields: [{ field: `hypothetical[${index}].evaluations.${payer}`, message: 'significant boolean and certifiedSavings decimal string' }],
      });
    }
    evaluations[payer] = { recordId: `hypothetical:${payer}`, significant: e.significant, certifiedSavings: e.certifiedSavings };
  }
  return { ...inputs, indicators: replaced, facts: factsFor(replaced), evaluations };
}
