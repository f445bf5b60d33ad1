import { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Principal } from 'src/auth/principal';
import { Role } from 'src/auth/roles';
import { IndicatorSetVersionsService } from 'src/co-definition/indicator-set-versions.service';
import { contractsPath } from 'src/contract-definitions/contract-definition.files';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import { Database } from 'src/database/database';
import type { DemoCredential } from 'src/demo/demo-credentials';
import { MeasurementSubmissionsService } from 'src/measurements/measurement-submissions.service';
import { MeasurementsService } from 'src/measurements/measurements.service';
import { PeriodClosuresService } from 'src/measurements/period-closures.service';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementDraftsService } from 'src/settlements/settlement-drafts.service';
import { SettlementsService } from 'src/settlements/settlements.service';

// The demo contract a newcomer can settle and audit at once: after the demo users exist, the Padova
// indicator set (with the PD-SDC-R1 payment rules) is approved by the approver and both grouping leads,
// the mandatarie submit the Y1 values of contracts/examples/settlements/padova-sdc-2.0.scenario.json and the
// contract manager accepts them, and Y1 (the shadow year) is settled, approved and closed. Y2 is left to the README
// tour: submitting, reviewing and settling it by hand. Every step goes through the services as the demo user
// who would do it, so the audit log reads like real work.

const SCENARIO = ['examples', 'settlements', 'padova-sdc-2.0.scenario.json'] as const;

interface Scenario {
  periods: { period: string; measurements: Record<string, Record<string, { value: string; disaggregations?: Record<string, Record<string, string>>; sampleSize?: number }>> }[];
}

/** The principal a demo user's API key would give. */
async function principalOf(db: Database, c: DemoCredential): Promise<Principal> {
  const org = c.organisation === null ? null : await db.read((m) => m.findOneBy(OrganisationEntity, { code: c.organisation as string }));
  return { userId: c.userId, label: c.name, organisationId: org?.id ?? null, organisationKind: org?.kind ?? null, roles: new Set<Role>([c.role]), via: 'demo' };
}

export async function createDemoSettlements(app: INestApplicationContext, contractCode: string, users: Record<string, DemoCredential>): Promise<string[]> {
  const db = app.get(Database);
  const as = async (handle: string): Promise<Principal> => principalOf(db, users[handle]);
  const manager = await as('contract_manager');
  const approver = await as('approver');
  const contract = await db.read((m) => m.findOneByOrFail(ContractEntity, { code: contractCode }));
  const periods = new Map((await db.read((m) => m.find(ContractPeriodEntity, { where: { contractId: contract.id } }))).map((p) => [p.code, p.id]));
  const groupings = new Map((await db.read((m) => m.find(ProviderGroupingEntity, { where: { contractId: contract.id } }))).map((g) => [g.code, g.id]));

  const versions = app.get(IndicatorSetVersionsService);
  const version = await versions.create(manager, contract.id, { minute: 'Verbale del tavolo di co-progettazione (demo)' });
  await versions.approve(approver, version.id, { contentHash: version.contentHash });
  await versions.approve(await as('grouping_lead'), version.id, { contentHash: version.contentHash, groupingId: groupings.get('RTI-A') });
  await versions.approve(await as('grouping_lead_rti_b'), version.id, { contentHash: version.contentHash, groupingId: groupings.get('RTI-B') });

  const submitters: Record<string, Principal> = { 'RTI-A': await as('ets_member'), 'RTI-B': await as('ets_member_rti_b') };
  const scenario = JSON.parse(readFileSync(contractsPath(...SCENARIO), 'utf8')) as Scenario;
  const submissions = app.get(MeasurementSubmissionsService);
  const reviews = app.get(MeasurementsService);
  const settlements = app.get(SettlementsService);
  const summary: string[] = [];
  for (const p of scenario.periods.filter((x) => x.period === 'Y1')) {
    const periodId = periods.get(p.period) as string;
    for (const [grouping, values] of Object.entries(p.measurements)) {
      for (const [indicatorCode, v] of Object.entries(values)) {
        const created = await submissions.create(submitters[grouping], contract.id, { indicatorCode, periodId, groupingId: groupings.get(grouping) as string, ...v });
        await reviews.accept(manager, created.body.id, {});
      }
    }
    const computed = await app.get(SettlementDraftsService).compute(manager, contract.id, periodId);
    for (const s of computed.computed) {
      await settlements.approve(approver, s.id, { documentHash: s.documentHash });
      summary.push(`${p.period} ${s.groupingCode} premium ${s.premium} payable ${s.payable} (approved)`);
    }
    // Settled and approved, so closed, as a contract manager would: nothing more is submitted to it.
    await app.get(PeriodClosuresService).close(manager, periodId);
    summary.push(`${p.period} closed`);
  }
  return summary;
}
