import { messagesOf, padovaRules, problemsOf } from 'src/rule-sets/padova-rule-set.fixture';

describe('phases: each names a period of the contract at most once; milestones belong to shadow periods', () => {
  it('refuses an unknown period and a period given twice', () => {
    const rules = padovaRules();
    rules.phases[2].period = 'Y4';
    rules.phases.push({ period: 'Y2', mode: 'SHADOW' });
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_UNKNOWN_PERIOD', field: 'phases[2].period', message: 'the contract has no period Y4' },
      { code: 'RULE_SET_DUPLICATE_PHASE', field: 'phases[3].period', message: 'period Y2 already has a phase in phases[1]' },
    ]);
  });

  it('treats a period that is not listed as LIVE', () => {
    const rules = padovaRules();
    rules.phases = rules.phases.slice(0, 1);
    expect(problemsOf(rules)).toEqual([]);
  });

  it('pays a milestone with exactly one of share and amount', () => {
    const rules = padovaRules();
    rules.phases[0].milestone.amount = '1000.00';
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_MILESTONE_AMOUNT', field: 'phases[0].milestone', message: 'needs exactly one of share (of the amount at risk) and amount (in euros)' },
    ]);
    delete rules.phases[0].milestone.amount;
    delete rules.phases[0].milestone.share;
    expect(problemsOf(rules)).toEqual([['RULE_SET_MILESTONE_AMOUNT', 'phases[0].milestone']]);
  });

  it('refuses a milestone in a LIVE period, which pays its premium instead', () => {
    const rules = padovaRules();
    rules.phases[1].milestone = rules.phases[0].milestone;
    expect(messagesOf(rules)).toEqual([
      { code: 'RULE_SET_MILESTONE_NOT_SHADOW', field: 'phases[1].milestone', message: 'only a SHADOW period can have a milestone: a LIVE period pays its premium' },
    ]);
  });

  it('reaches the Padova milestone only through the .accepted facts of IND-01..05', () => {
    const rules = padovaRules();
    expect(rules.phases[0].milestone.condition.all.map((c: { fact: string }) => c.fact)).toEqual([
      'IND-01.accepted',
      'IND-02.accepted',
      'IND-03.accepted',
      'IND-04.accepted',
      'IND-05.accepted',
    ]);
    rules.phases[0].milestone.condition.all[4].fact = 'IND-06.accepted';
    expect(problemsOf(rules)).toEqual([['RULE_CONDITION_UNKNOWN_FACT', 'phases[0].milestone.condition.all[4].fact']]);
  });
});
