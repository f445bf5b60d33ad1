import { DomainError } from 'src/common/errors/domain-error';
import { canonicalRoles, checkUserRoles } from 'src/users/users.rules';

function failure(run: () => void): { code: string; fields: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) {
      return { code: error.code, fields: error.details.fields };
    }
    throw error;
  }
  throw new Error('expected a domain error');
}

describe('which roles a user may hold', () => {
  it('lets a platform administrator exist without an organisation, and nobody else', () => {
    expect(() => checkUserRoles(['admin'], null)).not.toThrow();
    expect(failure(() => checkUserRoles(['contract_manager'], null))).toEqual({
      code: 'USER_ORGANISATION_REQUIRED',
      fields: [{ field: 'organisationId', message: 'required unless the user is a platform administrator with the only role admin' }],
    });
    expect(failure(() => checkUserRoles(['admin', 'auditor'], null)).code).toBe('USER_ORGANISATION_REQUIRED');
  });

  it('gives the Comune its officers and the ETS its members, naming each role that does not fit', () => {
    expect(() => checkUserRoles(['contract_manager', 'approver', 'auditor', 'admin'], 'MUNICIPALITY')).not.toThrow();
    expect(() => checkUserRoles(['ets_member', 'grouping_lead', 'admin'], 'ETS')).not.toThrow();
    expect(() => checkUserRoles(['evaluator', 'auditor'], 'OTHER')).not.toThrow();
    expect(failure(() => checkUserRoles(['ets_member', 'contract_manager', 'approver'], 'ETS', 'users[2].'))).toEqual({
      code: 'USER_ROLE_NOT_ALLOWED',
      fields: [
        { field: 'users[2].roles[1]', message: 'contract_manager is not a role of an organisation of kind ETS (only of MUNICIPALITY, DISTRICT)' },
        { field: 'users[2].roles[2]', message: 'approver is not a role of an organisation of kind ETS (only of MUNICIPALITY, DISTRICT)' },
      ],
    });
    expect(failure(() => checkUserRoles(['grouping_lead'], 'MUNICIPALITY')).code).toBe('USER_ROLE_NOT_ALLOWED');
  });

  it('stores roles in one order whatever order they were sent in', () => {
    expect(canonicalRoles(['auditor', 'admin', 'contract_manager'])).toEqual(['admin', 'contract_manager', 'auditor']);
  });
});
