import { readFileSync } from 'node:fs';
import { DomainError } from 'src/common/errors/domain-error';
import { checkContractDefinition, usedOrganisationCodes } from 'src/contract-definitions/contract-definition.checks';
import { contractsPath } from 'src/contract-definitions/contract-definition.files';
import { ContractDefinition } from 'src/contract-definitions/contract-definition.types';

const example = (file: string): ContractDefinition => JSON.parse(readFileSync(contractsPath('examples', file), 'utf8'));

function refusal(doc: ContractDefinition): { code: string; status: number; fields: { field: string; message: string }[] } {
  try {
    checkContractDefinition(doc);
  } catch (error) {
    if (error instanceof DomainError) {
      return { code: error.code, status: error.status, fields: (error.details.fields ?? []).map(({ field, message }) => ({ field, message })) };
    }
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('contract definition checks', () => {
  it('accepts both examples', () => {
    expect(() => checkContractDefinition(example('padova-sdc-2.0.json'))).not.toThrow();
    expect(() => checkContractDefinition(example('bergamo-elderly-platform.json'))).not.toThrow();
  });

  it('lists organisations in order of first use: municipality, members grouping by grouping, then evaluation payers', () => {
    expect(usedOrganisationCodes(example('padova-sdc-2.0.json'))).toEqual([
      'C-PADOVA',
      'ETS-AURORA',
      'ETS-BORGO-VIVO',
      'ETS-CICLAMINO',
      'ETS-DELTA',
      'ETS-EDERA',
    ]);
    expect(usedOrganisationCodes(example('bergamo-elderly-platform.json'))).toEqual([
      'C-BERGAMO',
      'ETS-CONS-ORIZZONTE',
      'ETS-COOP-GIRASOLE',
      'ETS-ODV-NONNI-IN-RETE',
      'REG-LOMBARDIA',
    ]);
  });

  it('reports every unknown reference at once, each at its path', () => {
    const doc = example('padova-sdc-2.0.json');
    doc.project.valueChain.links[3].from = 'IN9';
    doc.contract.groupings[1].members[1].organisation = 'ETS-FAGGIO';
    doc.contract.groupings[0].fees[2].period = 'Y4';
    doc.contract.indicators[4].denominators![1].population = 'POP-X';
    doc.contract.indicators[0].baselines[0].establishedIn = 'Y0';
    doc.contract.paymentRules!.terms[1].indicator = 'IND-99';
    doc.contract.paymentRules!.evaluationPayers = [{ id: 'FOND', payer: 'FOND-CARIPARO', label: 'Fondazione', share: '0.5', cap: '1000.00' }];
    doc.organisations = doc.organisations.filter((o) => o.code !== 'ETS-EDERA');
    expect(refusal(doc)).toEqual({
      code: 'CONTRACT_DEFINITION_UNKNOWN_REFERENCE',
      status: 422,
      fields: [
        { field: 'project.valueChain.links[3].from', message: 'no node with code IN9 in the document' },
        { field: 'contract.groupings[0].fees[2].period', message: 'no period with code Y4 in the document' },
        { field: 'contract.groupings[1].members[1].organisation', message: 'no organisation with code ETS-FAGGIO in the document' },
        { field: 'contract.indicators[0].baselines[0].establishedIn', message: 'no period with code Y0 in the document' },
        { field: 'contract.indicators[4].denominators[1].population', message: 'no population with code POP-X in the document' },
        { field: 'contract.paymentRules.terms[1].indicator', message: 'no indicator with code IND-99 in the document' },
        { field: 'contract.paymentRules.evaluationPayers[0].payer', message: 'no organisation with code FOND-CARIPARO in the document' },
      ],
    });
  });

  it('puts the document path in front of the module rules, including the organisation rule that has no `at`', () => {
    const shares = example('padova-sdc-2.0.json');
    shares.contract.groupings[1].members[1].executionShare = '0.45';
    expect(refusal(shares)).toEqual({
      code: 'GROUPING_SHARES_NOT_ONE',
      status: 422,
      fields: [{ field: 'contract.groupings[1].members', message: 'execution shares sum to 1.05, not 1' }],
    });

    const legalForm = example('padova-sdc-2.0.json');
    delete legalForm.organisations[3].legalForm;
    expect(refusal(legalForm)).toEqual({
      code: 'ORGANISATION_LEGAL_FORM_REQUIRED',
      status: 422,
      fields: [{ field: 'organisations[3].legalForm', message: 'required for an ETS' }],
    });

    const target = example('bergamo-elderly-platform.json');
    target.contract.indicators[1].targets[1].value = '7.5';
    expect(refusal(target)).toEqual({
      code: 'INDICATOR_TARGET_WRONG_SIDE_OF_BASELINE',
      status: 422,
      fields: [{ field: 'contract.indicators[1].targets[1].value', message: 'must be below the baseline 7.5' }],
    });
  });

  it('refuses an organisation nobody uses, since the export could not give it back', () => {
    const doc = example('bergamo-elderly-platform.json');
    doc.organisations.push({ code: 'C-SERIATE', kind: 'MUNICIPALITY', name: 'Comune di Seriate' });
    expect(refusal(doc)).toEqual({
      code: 'CONTRACT_DEFINITION_UNUSED_ORGANISATION',
      status: 422,
      fields: [
        { field: 'organisations[5]', message: 'C-SERIATE is not the municipality, a member of any grouping, nor an evaluation payer of the payment rules' },
      ],
    });
  });

  it('checks the payment rules against the document last, as a rule set, with document paths', () => {
    const doc = example('padova-sdc-2.0.json');
    doc.contract.paymentRules!.terms[4].weight = '0.25';
    doc.contract.paymentRules!.guardrails![0].suspends = ['IND-06'];
    expect(refusal(doc)).toEqual({
      code: 'RULE_SET_WEIGHTS_NOT_ONE',
      status: 422,
      fields: [
        { field: 'contract.paymentRules.terms', message: 'the weights of the weighted terms sum to 1.05, not exactly 1' },
        { field: 'contract.paymentRules.guardrails[0].suspends[0]', message: 'no term has id IND-06' },
      ],
    });
  });

  it('checks targets against the document: Padova without its Y3 targets cannot keep Y3 LIVE', () => {
    const doc = example('padova-sdc-2.0.json');
    doc.contract.indicators[0].targets = doc.contract.indicators[0].targets.filter((t) => t.period !== 'Y3');
    expect(refusal(doc)).toEqual({
      code: 'RULE_SET_TARGET_MISSING',
      status: 422,
      fields: [
        {
          field: 'contract.paymentRules.terms[0].indicator',
          message: 'IND-01 has no target for RTI-A in Y3, RTI-B in Y3: a LINEAR term needs one in every LIVE period (mark a period SHADOW in phases, or add the targets)',
        },
      ],
    });
  });

  it('refuses a member that is not an ETS and a municipality that is not one', () => {
    const member = example('bergamo-elderly-platform.json');
    member.organisations[2] = { code: 'ETS-COOP-GIRASOLE', kind: 'DISTRICT', name: 'Ambito di Bergamo' };
    expect(refusal(member)).toEqual({
      code: 'GROUPING_MEMBER_NOT_ETS',
      status: 422,
      fields: [{ field: 'contract.groupings[0].members[1].organisation', message: 'ETS-COOP-GIRASOLE is a DISTRICT, not an ETS' }],
    });
  });
});
