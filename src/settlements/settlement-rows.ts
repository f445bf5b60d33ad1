import type { Principal } from 'src/auth/principal';
import { SettlementVerificationDto } from 'src/settlements/dto/settlement.dto';
import type { ContractFrame } from 'src/settlements/settlement-inputs.loader';
import { verifyDocument } from 'src/settlements/settlement-document.builder';
import type { SettlementDocument } from 'src/settlements/settlement-document';
import { SettlementEntity } from 'src/settlements/settlement.entity';

// Settlement rows: a document as a row of the settlements table, and back; the verification of a stored row.

/** The row of a new or recomputed DRAFT version (a redraft keeps the reopening it belongs to). */
export function settlementRow(
  doc: SettlementDocument,
  text: string,
  at: { contractId: string; periodId: string; groupingId: string; bindingVersionId: string },
  p: Principal,
  now: string,
  latest: SettlementEntity | null,
): SettlementEntity {
  return {
    id: doc.id,
    contractId: at.contractId,
    periodId: at.periodId,
    groupingId: at.groupingId,
    version: doc.version,
    state: 'DRAFT',
    document: text,
    documentHash: doc.manifest.documentHash,
    indicatorSetVersionId: at.bindingVersionId,
    premium: doc.result.premium,
    payable: doc.result.payable,
    computedBy: p.userId,
    computedByLabel: p.label,
    computedAt: now,
    approvedBy: null,
    approvedByLabel: null,
    approvedAt: null,
    previousId: latest?.previousId ?? null,
    reopenedBy: latest?.reopenedBy ?? null,
    reopenReason: latest?.reopenReason ?? null,
    createdAt: latest?.createdAt ?? now,
    updatedAt: now,
  };
}

export function parseDocument(s: Pick<SettlementEntity, 'document'>): SettlementDocument {
  return JSON.parse(s.document) as SettlementDocument;
}

export function verification(settlement: SettlementEntity): SettlementVerificationDto {
  const doc = parseDocument(settlement);
  const result = verifyDocument(doc, settlement.document);
  const differences = [...result.differences];
  if (settlement.documentHash !== doc.manifest.documentHash && !differences.includes('documentHash')) differences.push('documentHash');
  return { settlementId: settlement.id, matches: differences.length === 0, stored: result.stored, recomputed: result.recomputed, differences, error: result.error };
}

/** Period and grouping codes of a settlement row, from the contract frame already read. */
export function codesOf(frame: ContractFrame): (s: Pick<SettlementEntity, 'periodId' | 'groupingId'>) => { period: string; grouping: string } {
  const periods = new Map(frame.periods.map((x) => [x.id, x.code]));
  const groupings = new Map(frame.groupings.map((x) => [x.id, x.code]));
  return (s) => ({ period: periods.get(s.periodId) ?? s.periodId, grouping: groupings.get(s.groupingId) ?? s.groupingId });
}
