import { Injectable } from '@nestjs/common';
import { Brackets, EntityManager, In } from 'typeorm';
import { AuditChainHeadEntity, AuditEntryEntity } from 'src/audit/audit-entry.entity';
import {
  AuditExportFormat,
  AuditExportHeader,
  AuditExportScope,
  AuditExportSelection,
  AuditExportVerification,
  csvEntry,
  csvPreamble,
  ExportBreak,
  ExportedEntryDocument,
  exportFileName,
  jsonEnd,
  jsonEntry,
  jsonPreamble,
} from 'src/audit/audit-export.format';
import { checkLink, LinkResult, Neighbour, neighbourSeqs } from 'src/audit/audit-export.links';
import { AuditError } from 'src/audit/audit.errors';
import { applyAuditScope, AuditScope, auditScopeOf } from 'src/audit/audit.scope';
import { AuditService, HEAD_ID } from 'src/audit/audit.service';
import { GENESIS_HASH } from 'src/audit/audit.chain';
import { AccessScope } from 'src/auth/access-scope';
import { isPlatformAdmin, Principal } from 'src/auth/principal';
import { Clock } from 'src/common/clock/clock';
import { CommonError } from 'src/common/errors/common.errors';
import { ContractEntity } from 'src/contracts/contract.entity';
import { Database } from 'src/database/database';
import { OrganisationEntity } from 'src/organisations/organisation.entity';

export const AUDIT_EXPORT_PAGE_SIZE = 1000;
/** Seqs per `IN (...)` when loading neighbours: well under every driver's parameter limit. */
const IN_CHUNK = 500;

export interface AuditExportRequest {
  format: AuditExportFormat;
  contractId?: string;
  municipalityId?: string;
}

export interface AuditExport {
  fileName: string;
  contentType: string;
  header: AuditExportHeader;
  /** The document, produced page by page as it is read. */
  body: AsyncIterable<string>;
}

type Selection = { kind: 'contract'; contractId: string } | { kind: 'municipality'; municipalityId: string };

interface Page {
  entries: AuditEntryEntity[];
  links: LinkResult[];
  organisations: Map<string, OrganisationEntity>;
}

/**
 * The audit log of a contract or a municipality as a file (CSV or JSON), with the chain hashes and the
 * verification, for auditors and whoever may read those entries through GET /audit (same scope,
 * src/audit/audit.scope.ts).
 *
 * Order of work: resolve and check the scope (404 before anything is sent); run the whole-chain verify,
 * which fixes `upToSeq` (the head it read: later appends are not exported); check the exported entries'
 * links in a first pass; then stream the document in a second pass. Both passes read pages of 1000
 * entries by seq, each page its own short read, so a large log is never loaded at once and other
 * requests run between pages.
 */
@Injectable()
export class AuditExportService {
  /** Entries per page (tests lower it to cross page boundaries). */
  pageSize = AUDIT_EXPORT_PAGE_SIZE;

  constructor(
    private readonly db: Database,
    private readonly scope: AccessScope,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async open(principal: Principal, request: AuditExportRequest): Promise<AuditExport> {
    const selection = selectionOf(request);
    const { scopeFilter, described } = await this.db.read(async (m) => ({
      scopeFilter: await auditScopeOf(this.scope, m, principal),
      described: await this.describe(m, principal, selection),
    }));
    const chain = await this.audit.verify();
    const exportedAt = this.clock.nowIso();
    const scope: AuditExportScope = { ...described, upToSeq: chain.headSeq };
    // A whole-chain break may name an entry outside the caller's reach: only those who may run
    // GET /audit/verify (platform administrators, auditors) see its id; everybody sees seq and reason.
    const seesIds = isPlatformAdmin(principal) || principal.roles.has('auditor');
    const wholeBreak: ExportBreak | null =
      chain.firstBreak === null
        ? null
        : { seq: chain.firstBreak.seq, id: chain.firstBreak.id === '' || !seesIds ? null : chain.firstBreak.id, reason: chain.firstBreak.reason, message: chain.firstBreak.message };

    let entries = 0;
    let broken = 0;
    let firstBroken: LinkResult | null = null;
    for await (const page of this.pages(selection, scopeFilter, chain.headSeq, false)) {
      entries += page.entries.length;
      for (const link of page.links) {
        if (link.status === 'OK') continue;
        broken++;
        firstBroken ??= link;
      }
    }
    const verification: AuditExportVerification = {
      wholeChain: { ok: chain.ok, entries: chain.entries, headSeq: chain.headSeq, firstBreak: wholeBreak },
      exportedEntries: {
        ok: broken === 0,
        entries,
        broken,
        firstBreak: firstBroken === null ? null : { seq: firstBroken.seq, id: firstBroken.id, reason: firstBroken.status, message: firstBroken.message },
      },
    };
    const header: AuditExportHeader = { scope, exportedAt, verification };
    return {
      fileName: exportFileName(header, request.format),
      contentType: request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      header,
      body: this.document(request.format, header, selection, scopeFilter),
    };
  }

  private async *document(format: AuditExportFormat, header: AuditExportHeader, selection: Selection, scopeFilter: AuditScope): AsyncGenerator<string> {
    yield format === 'csv' ? csvPreamble(header) : jsonPreamble(header);
    let first = true;
    for await (const page of this.pages(selection, scopeFilter, header.scope.upToSeq, true)) {
      let chunk = '';
      page.entries.forEach((e, i) => {
        const doc = toDocument(e, page.links[i], e.organisationId === null ? undefined : page.organisations.get(e.organisationId));
        chunk += format === 'csv' ? csvEntry(doc) : jsonEntry(doc, first);
        first = false;
      });
      yield chunk;
    }
    if (format === 'json') yield jsonEnd(!first);
  }

  /** The selected entries up to `upToSeq` in seq order, a page per read, each with its link check. */
  private async *pages(selection: Selection, scopeFilter: AuditScope, upToSeq: number, withOrganisations: boolean): AsyncGenerator<Page> {
    let after = 0;
    for (;;) {
      const page = await this.db.read(async (m): Promise<Page | null> => {
        const qb = m.createQueryBuilder(AuditEntryEntity, 'e');
        if (!applyAuditScope(qb, scopeFilter)) return null;
        if (selection.kind === 'contract') {
          qb.andWhere('e.contract_id = :exportContract', { exportContract: selection.contractId });
        } else {
          qb.andWhere(
            new Brackets((w) => {
              w.where('e.municipality_id = :exportMunicipality')
                .orWhere('e.contract_id IN (SELECT ec.id FROM contracts ec WHERE ec.municipality_id = :exportMunicipality)')
                .orWhere('e.organisation_id = :exportMunicipality');
            }),
            { exportMunicipality: selection.municipalityId },
          );
        }
        const entries = await qb
          .andWhere('e.seq > :after AND e.seq <= :upTo', { after, upTo: upToSeq })
          .orderBy('e.seq', 'ASC')
          .take(this.pageSize)
          .getMany();
        if (entries.length === 0) return null;
        const head = await m.findOneBy(AuditChainHeadEntity, { id: HEAD_ID });
        const neighbours = await loadNeighbours(m, entries, head?.seq ?? 0);
        const links = entries.map((e) => checkLink(e, neighbours, { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH }));
        const orgIds = withOrganisations ? [...new Set(entries.map((e) => e.organisationId).filter((id): id is string => id !== null))] : [];
        const organisations = orgIds.length === 0 ? [] : await m.findBy(OrganisationEntity, { id: In(orgIds) });
        return { entries, links, organisations: new Map(organisations.map((o) => [o.id, o])) };
      });
      if (page === null) return;
      yield page;
      after = page.entries[page.entries.length - 1].seq;
      if (page.entries.length < this.pageSize) return;
    }
  }

  /** The scope as the export names it, or 404 for a contract or municipality the caller may not read. */
  private async describe(m: EntityManager, p: Principal, selection: Selection): Promise<AuditExportSelection> {
    if (selection.kind === 'contract') {
      const contract = await m.findOneBy(ContractEntity, { id: selection.contractId });
      if (!contract || !(await this.scope.canReadContract(m, p, contract.id))) {
        throw new AuditError('AUDIT_CONTRACT_NOT_FOUND', `Contract ${selection.contractId} not found`, {
          id: selection.contractId,
          fields: [{ field: 'contractId', message: 'no such contract' }],
        });
      }
      return { kind: 'contract', contractId: contract.id, contractCode: contract.code, municipalityId: contract.municipalityId };
    }
    const municipality = await m.findOneBy(OrganisationEntity, { id: selection.municipalityId, kind: 'MUNICIPALITY' });
    const administered = await this.scope.municipalities(m, p);
    if (!municipality || (administered !== 'ALL' && !administered.includes(municipality.id))) {
      throw new AuditError('AUDIT_MUNICIPALITY_NOT_FOUND', `Municipality ${selection.municipalityId} not found`, {
        id: selection.municipalityId,
        fields: [{ field: 'municipalityId', message: 'no such municipality' }],
      });
    }
    return { kind: 'municipality', municipalityId: municipality.id, municipalityCode: municipality.code };
  }
}

function selectionOf(request: AuditExportRequest): Selection {
  const given = [request.contractId, request.municipalityId].filter((x) => x !== undefined).length;
  if (given !== 1) {
    const message = given === 0 ? 'give contractId or municipalityId' : 'give contractId or municipalityId, not both';
    throw new CommonError('VALIDATION_FAILED', message, {
      fields: [
        { field: 'contractId', message },
        { field: 'municipalityId', message },
      ],
    });
  }
  return request.contractId !== undefined ? { kind: 'contract', contractId: request.contractId } : { kind: 'municipality', municipalityId: request.municipalityId! };
}

async function loadNeighbours(m: EntityManager, entries: readonly AuditEntryEntity[], headSeq: number): Promise<Map<number, Neighbour>> {
  const known = new Map<number, Neighbour>(entries.map((e) => [e.seq, { seq: e.seq, prevHash: e.prevHash, entryHash: e.entryHash }]));
  const missing = neighbourSeqs(entries, headSeq).filter((s) => !known.has(s));
  for (let i = 0; i < missing.length; i += IN_CHUNK) {
    const rows = await m.find(AuditEntryEntity, {
      where: { seq: In(missing.slice(i, i + IN_CHUNK)) },
      select: { seq: true, prevHash: true, entryHash: true },
    });
    rows.forEach((r) => known.set(r.seq, { seq: r.seq, prevHash: r.prevHash, entryHash: r.entryHash }));
  }
  return known;
}

function toDocument(e: AuditEntryEntity, link: LinkResult, organisation: OrganisationEntity | undefined): ExportedEntryDocument {
  return {
    seq: e.seq,
    id: e.id,
    occurredAt: e.occurredAt,
    actor: {
      id: e.actorId,
      label: e.actorLabel,
      organisationId: e.organisationId,
      organisationCode: organisation?.code ?? null,
      organisationName: organisation?.name ?? null,
    },
    action: e.action,
    object: { type: e.objectType, id: e.objectId },
    contractId: e.contractId,
    municipalityId: e.municipalityId,
    beforeDigest: e.beforeDigest,
    afterDigest: e.afterDigest,
    prevHash: e.prevHash,
    entryHash: e.entryHash,
    link: link.status,
  };
}
