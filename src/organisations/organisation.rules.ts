import { LegalForm, OrganisationKind } from 'src/organisations/organisation.entity';
import { OrganisationError } from 'src/organisations/organisations.errors';

export interface OrganisationShape {
  kind: OrganisationKind;
  legalForm: LegalForm | null;
  districtId: string | null;
  leadOrganisationId: string | null;
}

/** What each kind of organisation may carry: only an ETS has a legal form, only a municipality a district. */
export function checkOrganisationShape(org: OrganisationShape): void {
  if (org.kind === 'ETS' && org.legalForm === null) {
    throw new OrganisationError('ORGANISATION_LEGAL_FORM_REQUIRED', 'An ETS needs its legal form', {
      fields: [{ field: 'legalForm', message: 'required for an ETS' }],
    });
  }
  if (org.kind !== 'ETS' && org.legalForm !== null) {
    throw new OrganisationError('ORGANISATION_LEGAL_FORM_NOT_APPLICABLE', `A ${org.kind} has no legal form`, {
      fields: [{ field: 'legalForm', message: 'only an ETS has a legal form' }],
    });
  }
  if (org.districtId !== null && org.kind !== 'MUNICIPALITY') {
    throw new OrganisationError('ORGANISATION_INVALID_DISTRICT', 'Only a municipality belongs to a district', {
      fields: [{ field: 'districtId', message: 'only a municipality belongs to a district' }],
    });
  }
  if (org.leadOrganisationId !== null && org.kind !== 'DISTRICT') {
    throw new OrganisationError('ORGANISATION_INVALID_LEAD', 'Only a district has a lead body', {
      fields: [{ field: 'leadOrganisationId', message: 'only a district has a lead body' }],
    });
  }
}
