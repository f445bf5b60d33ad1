import { exampleDocument, messagesOf, padovaContext, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';
import type { RuleSetContext } from 'src/rule-sets/rule-set.validation';

const FOUNDATION = { id: 'FOND-CARIPARO', payer: 'F-CARIPARO', label: 'Fondazione: 50% dei risparmi certificati', share: '0.50', cap: '20000.00' };

function withFoundation(): RuleSetContext {
  return { ...padovaContext(), organisations: [...padovaContext().organisations, 'F-CARIPARO'] };
}

describe('evaluation-triggered payers: a known organisation pays a share within [0, 1] of certified savings, up to its cap', () => {
  it('accepts a foundation known to the platform', () => {
    const rules = padovaRules();
    rules.evaluationPayers = [FOUNDATION];
    expect(problemsOf(rules, withFoundation())).toEqual([]);
  });

  it('refuses a payer that is not a known organisation', () => {
    const rules = padovaRules();
    rules.evaluationPayers = [FOUNDATION];
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_UNKNOWN_ORGANISATION', field: 'evaluationPayers[0].payer', message: 'no organisation with code F-CARIPARO' },
    ]);
  });

  it('gives payers unique ids', () => {
    const rules = padovaRules();
    rules.evaluationPayers = [FOUNDATION, { ...FOUNDATION, share: '0.20' }];
    expect(problemsOf(rules, withFoundation())).toEqual([['RULE_SET_DUPLICATE_ID', 'evaluationPayers[1].id']]);
  });

  it('needs the share within [0, 1] and a cap, by the schema', () => {
    const rules = padovaRules();
    const uncapped: Record<string, string> = { ...FOUNDATION, share: '1.10' };
    delete uncapped.cap;
    rules.evaluationPayers = [uncapped];
    expect(messagesOf(rules, withFoundation())).toEqual([
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'evaluationPayers[0].cap', message: 'is required' },
      { code: 'RULE_SET_SCHEMA_INVALID', field: 'evaluationPayers[0].share', message: 'must be at most 1' },
    ]);
  });

  it('is how Bergamo has Regione Lombardia pay 40 % and 30 % of the certified savings', () => {
    const rules = exampleDocument('bergamo-elderly-platform.json').contract.paymentRules!;
    expect(rules.evaluationPayers!.map((p) => [p.payer, p.share, p.cap])).toEqual([
      ['REG-LOMBARDIA', '0.40', '150000.00'],
      ['REG-LOMBARDIA', '0.30', '150000.00'],
    ]);
  });
});
