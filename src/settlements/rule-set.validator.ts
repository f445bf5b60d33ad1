import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { IndicatorSnapshot } from 'src/co-definition/indicator-set.snapshot';
import { ContractEntity } from 'src/contracts/contract.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { assertValidRuleSet, type RuleSetContext } from 'src/rule-sets/rule-set.validation';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { type ContractFrame, loadContractFrame } from 'src/settlements/settlement-inputs.loader';

/** The rule-set validation context of a contract frame and some indicators (a binding version's, or the current ones). */
export function ruleSetContext(frame: ContractFrame, indicators: readonly IndicatorSnapshot[], organisations: string[]): RuleSetContext {
  return {
    indicators: indicators.map((i) => ({
      code: i.code,
      unit: i.unit,
      direction: i.direction,
      disaggregations: i.disaggregations,
      aggregation: i.aggregation,
      minSampleSize: i.minSampleSize,
      baselines: i.baselines.map((b) => ({ grouping: b.grouping, value: b.value })),
      targets: i.targets,
    })),
    groupings: frame.groupings.map((g) => ({ code: g.code, fees: g.fees, members: g.members.map((x) => x.code) })),
    periods: frame.periods.map((p) => p.code),
    organisations,
  };
}

/** Validates a draft rule set sent for a simulation against a binding version's indicators (422 RULE_SET_* on problems). */
@Injectable()
export class RuleSetValidator {
  async validateDraft(m: EntityManager, contract: ContractEntity, doc: unknown, indicators: readonly IndicatorSnapshot[]): Promise<RuleSetDocument> {
    const frame = await loadContractFrame(m, contract);
    const organisations = (await m.find(OrganisationEntity, { select: { code: true } })).map((o) => o.code);
    assertValidRuleSet(doc, ruleSetContext(frame, indicators, organisations), { at: 'ruleSet' });
    return doc;
  }
}
