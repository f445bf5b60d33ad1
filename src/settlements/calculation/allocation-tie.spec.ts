import { allocateToMembers } from 'src/settlements/calculation/allocation';
import { MemberInput } from 'src/settlements/calculation/settlement.types';

const member = (id: string, share: string, lead = false): MemberInput => ({ id, name: id, executionShare: share, lead });

describe('Allocation: a cent left over with equal remainders goes to the mandataria', () => {
  it('gives the odd cent of 100.01 to the mandataria even when listed second', () => {
    const split = allocateToMembers('100.01', [member('mandante', '0.50'), member('mandataria', '0.50', true)]);
    expect(split.map((a) => [a.memberId, a.exact, a.amount])).toEqual([
      ['mandante', '50.005', '50.00'],
      ['mandataria', '50.005', '50.01'],
    ]);
  });

  it('gives 3 cents among four equal members to the mandataria first, then in order', () => {
    const split = allocateToMembers('0.03', [member('a', '0.25'), member('b', '0.25'), member('lead', '0.25', true), member('d', '0.25')]);
    expect(split.map((a) => a.amount)).toEqual(['0.01', '0.01', '0.01', '0.00']);
    const two = allocateToMembers('0.02', [member('a', '0.25'), member('b', '0.25'), member('lead', '0.25', true), member('d', '0.25')]);
    expect(two.map((a) => a.amount)).toEqual(['0.01', '0.00', '0.01', '0.00']);
  });

  it('refuses shares that do not sum to exactly 1, and a grouping without one mandataria', () => {
    expect(() => allocateToMembers('10.00', [member('a', '0.5', true), member('b', '0.49')])).toThrow(
      expect.objectContaining({ code: 'SETTLEMENT_CALC_SHARES_NOT_ONE' }),
    );
    expect(() => allocateToMembers('10.00', [member('a', '0.5'), member('b', '0.5')])).toThrow(expect.objectContaining({ code: 'SETTLEMENT_CALC_NO_LEAD' }));
  });
});
