import { Injectable } from '@nestjs/common';
import { Principal } from 'src/auth/principal';
import { snapshotIndicatorSet } from 'src/co-definition/indicator-set.snapshot';
import { Database } from 'src/database/database';
import { runRuleSetTests } from 'src/rule-sets/rule-set.test-runner';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { RuleSetTestRunDto } from 'src/settlements/dto/rule-set-tests.dto';
import { SettlementAccess } from 'src/settlements/settlement.access';
import { loadContractFrame, testContext } from 'src/settlements/settlement-inputs.loader';
import { SettlementError } from 'src/settlements/settlements.errors';

/**
 * Runs the test cases of a contract's current (draft) rule set against its current indicators, groupings,
 * fees and members, before anything is frozen: what the approval will check, shown early. Read-only; any
 * reader of the contract may run them.
 */
@Injectable()
export class RuleSetTestsService {
  constructor(
    private readonly db: Database,
    private readonly access: SettlementAccess,
  ) {}

  async run(p: Principal, contractId: string): Promise<RuleSetTestRunDto> {
    return this.db.read(async (m) => {
      const { contract } = await this.access.contract(m, p, contractId);
      const frame = await loadContractFrame(m, contract);
      const content = await snapshotIndicatorSet(m, contract, { version: 0, effectiveFromPeriodCode: frame.periods[0]?.code ?? '', reason: null, minute: null });
      const rules = content.paymentRules as RuleSetDocument | null;
      if (rules === null || rules === undefined) {
        throw new SettlementError('SETTLEMENT_NO_RULE_SET', `Contract ${contract.code} has no payment rules yet`, { contractId });
      }
      const results = runRuleSetTests(rules, testContext(frame, { version: 0, contentHash: '' }, content.indicators));
      return { ruleSetCode: rules.code, total: results.length, passed: results.filter((r) => r.passed).length, results };
    });
  }
}
