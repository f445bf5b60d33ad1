import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Role } from 'src/auth/roles';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { TestApp } from 'test/support/test-app';
import { insertTestUser, TestUser } from 'test/support/test-users';

// A contract from contracts/examples imported through the API, its indicator set (with the payment rules)
// made binding by the municipality's approver and every grouping lead, and the users who work on it.
// Measurements are submitted by each grouping's lead organisation for the whole grouping and accepted by
// the contract manager, so settlements see exactly the values a test gives.

export const EXAMPLES_DIR = join(__dirname, '..', '..', 'contracts', 'examples');

export function exampleDocument(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as Record<string, unknown>;
}

export type MeasuredValue = { value: string; disaggregations?: Record<string, Record<string, string>>; sampleSize?: number };

export interface ExampleContract {
  contractId: string;
  contractCode: string;
  municipalityId: string;
  periodIds: Record<string, string>;
  groupingIds: Record<string, string>;
  /** Organisation ids by code. */
  orgIds: Record<string, string>;
  manager: TestUser;
  approver: TestUser;
  secondApprover: TestUser;
  auditor: TestUser;
  /** A member of each grouping's lead organisation with the grouping_lead role, by grouping code. */
  leads: Record<string, TestUser>;
  bindingVersionId: string;
}

export async function importExample(t: TestApp, file: string): Promise<ExampleContract> {
  const doc = exampleDocument(file);
  const res = await t.request('POST', '/api/v1/contract-definitions', doc);
  if (res.status !== 201) throw new Error(`import of ${file} failed: ${res.status} ${res.text}`);
  const ds = t.app.get(DataSource);
  const code = (doc.contract as { code: string }).code;
  const contract = await ds.getRepository(ContractEntity).findOneByOrFail({ code });
  const periods = await ds.getRepository(ContractPeriodEntity).find({ where: { contractId: contract.id } });
  const groupings = await ds.getRepository(ProviderGroupingEntity).find({ where: { contractId: contract.id }, order: { position: 'ASC' } });
  const orgs = await ds.getRepository(OrganisationEntity).find();
  const orgIds = Object.fromEntries(orgs.map((o) => [o.code, o.id]));
  const now = t.clock.nowIso();
  const user = (name: string, roles: Role[], organisationId: string): Promise<TestUser> => insertTestUser(ds, { name, roles, organisationId }, now);
  const members = (doc.contract as { groupings: { code: string; members: { organisation: string; role: string }[] }[] }).groupings;
  const leads: Record<string, TestUser> = {};
  for (const g of members) {
    const lead = g.members.find((x) => x.role === 'MANDATARIA') ?? g.members[0];
    leads[g.code] = await user(`Capofila ${g.code}`, ['grouping_lead'], orgIds[lead.organisation]);
  }
  const fx = {
    contractId: contract.id,
    contractCode: contract.code,
    municipalityId: contract.municipalityId,
    periodIds: Object.fromEntries(periods.map((p) => [p.code, p.id])),
    groupingIds: Object.fromEntries(groupings.map((g) => [g.code, g.id])),
    orgIds,
    manager: await user('Laura Bianchi (contract manager)', ['contract_manager'], contract.municipalityId),
    approver: await user('Dott. Luca Neri (approver)', ['approver'], contract.municipalityId),
    secondApprover: await user('Dott.ssa Anna Conti (approver)', ['approver'], contract.municipalityId),
    auditor: await user('Revisore dei conti', ['auditor'], contract.municipalityId),
    leads,
    bindingVersionId: '',
  };
  fx.bindingVersionId = await makeBinding(t, fx);
  return fx;
}

/** Freezes the current indicators and rules and has every side approve: the version binds. */
export async function makeBinding(t: TestApp, fx: Omit<ExampleContract, 'bindingVersionId'>, body: Record<string, unknown> = {}): Promise<string> {
  const created = await t.request('POST', `/api/v1/contracts/${fx.contractId}/indicator-set-versions`, body, { as: fx.manager.apiKey });
  if (created.status !== 201) throw new Error(`freeze failed: ${created.status} ${created.text}`);
  const version = created.body as { id: string; contentHash: string };
  const approve = async (user: TestUser, groupingId?: string): Promise<void> => {
    const res = await t.request('POST', `/api/v1/indicator-set-versions/${version.id}/approvals`, { contentHash: version.contentHash, ...(groupingId ? { groupingId } : {}) }, { as: user.apiKey });
    if (res.status !== 201) throw new Error(`approval failed: ${res.status} ${res.text}`);
  };
  await approve(fx.approver);
  for (const [code, lead] of Object.entries(fx.leads)) await approve(lead, fx.groupingIds[code]);
  return version.id;
}

/** Submits (as the grouping's lead organisation) and accepts (as the manager) one value per indicator. */
export async function acceptMeasurements(t: TestApp, fx: ExampleContract, period: string, grouping: string, values: Record<string, MeasuredValue>): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [indicatorCode, v] of Object.entries(values)) {
    const body = { indicatorCode, periodId: fx.periodIds[period], groupingId: fx.groupingIds[grouping], ...v };
    const res = await t.request('POST', `/api/v1/contracts/${fx.contractId}/measurements`, body, { as: fx.leads[grouping].apiKey });
    if (res.status !== 201) throw new Error(`measurement ${indicatorCode} ${period} ${grouping} refused: ${res.status} ${res.text}`);
    const id = (res.body as { id: string }).id;
    const accepted = await t.request('POST', `/api/v1/measurements/${id}/accept`, {}, { as: fx.manager.apiKey });
    if (accepted.status !== 200 && accepted.status !== 201) throw new Error(`accept ${indicatorCode} failed: ${accepted.status} ${accepted.text}`);
    ids[indicatorCode] = id;
  }
  return ids;
}

/** Padova Case A inputs (RTI-A, Y2) of ../shared/examples/padova-sdc.md, with the guardrail indicator met. */
export const PADOVA_CASE_A: Record<string, MeasuredValue> = {
  'IND-01': { value: '11.0' },
  'IND-02': { value: '12' },
  'IND-03': { value: '1210', disaggregations: { TARGET_GROUP: { OVER60: '968', UNDER60: '242' } } },
  'IND-04': { value: '76.0', sampleSize: 240 },
  'IND-05': { value: '5.8' },
  'IND-G1': { value: '12' },
};

/** Padova Case B inputs (RTI-B, Y2): the survey sample of 150 is below the minimum of 200. */
export const PADOVA_CASE_B: Record<string, MeasuredValue> = {
  'IND-01': { value: '14.5' },
  'IND-02': { value: '6' },
  'IND-03': { value: '1080', disaggregations: { TARGET_GROUP: { OVER60: '886', UNDER60: '194' } } },
  'IND-04': { value: '71.0', sampleSize: 150 },
  'IND-05': { value: '5.5' },
  'IND-G1': { value: '12' },
};
