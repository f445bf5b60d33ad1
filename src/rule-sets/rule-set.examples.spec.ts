import { ruleSetContextOf } from 'src/contract-definitions/contract-definition.checks';
import { exampleDocument, padovaContext, padovaRules } from 'src/rule-sets/padova-rule-set.fixture';
import { ruleSetProblems } from 'src/rule-sets/rule-set.validation';

describe('the example contracts carry valid rule sets', () => {
  it('Padova PD-SDC-R1: 10 % of the fee at risk, Y1 in shadow with its milestone, five weighted terms, the UNDER60 gate and the IND-G1 guardrail', () => {
    const rules = padovaRules();
    expect(ruleSetProblems(rules, padovaContext())).toEqual([]);
    expect(rules.basis).toEqual({ kind: 'SHARE_OF_FEE', share: '0.10' });
    expect(rules.phases.map((p: { period: string; mode: string }) => `${p.period} ${p.mode}`)).toEqual(['Y1 SHADOW', 'Y2 LIVE', 'Y3 LIVE']);
    expect(rules.terms[2].gate).toEqual({
      label: 'UNDER60 share >= 0.15',
      condition: { all: [{ fact: 'IND-03.TARGET_GROUP.UNDER60.share', operator: 'greaterThanInclusive', value: '0.15' }] },
    });
    expect(rules.tests.map((t: { name: string }) => t.name)).toEqual([
      'Case A: RTI-A, Y2, partial achievement',
      'Case B: RTI-B, Y2, survey not assessable, policy ZERO',
      'Case D: as Case A, the UNDER60 gate fails',
    ]);
  });

  it('Bergamo BG-ABC-R1: fixed amounts at the yearly checks and Regione Lombardia paying on a significant evaluation', () => {
    const doc = exampleDocument('bergamo-elderly-platform.json');
    expect(ruleSetProblems(doc.contract.paymentRules, ruleSetContextOf(doc))).toEqual([]);
    expect(doc.contract.paymentRules!.evaluationPayers!.map((p) => [p.id, p.payer, p.share])).toEqual([
      ['REG-BG-01', 'REG-LOMBARDIA', '0.40'],
      ['REG-BG-02', 'REG-LOMBARDIA', '0.30'],
    ]);
  });
});
