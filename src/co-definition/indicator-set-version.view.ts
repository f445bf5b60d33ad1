import { EntityManager, In } from 'typeorm';
import { IndicatorSetVersionDto, IndicatorSetVersionSummaryDto } from 'src/co-definition/dto/indicator-set-version.dto';
import { IndicatorSetApprovalEntity, IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { PeriodInForce } from 'src/co-definition/indicator-set.resolver';
import { missingSides, requiredSides } from 'src/co-definition/indicator-set.rules';
import { IndicatorSetContent } from 'src/co-definition/indicator-set.snapshot';

/**
 * The answers for versions of one contract: one read of their approvals, whatever their number. `periods`
 * is the contract's `periodsInForce`, read once per request: it names each version's effective period and
 * the periods it governs (`inForceFor`).
 */
export async function versionViews(m: EntityManager, versions: readonly IndicatorSetVersionEntity[], periods: readonly PeriodInForce[]): Promise<IndicatorSetVersionDto[]> {
  if (versions.length === 0) return [];
  const approvals = await m.find(IndicatorSetApprovalEntity, { where: { versionId: In(versions.map((v) => v.id)) } });
  return versions.map((v) => viewOf(v, approvals.filter((a) => a.versionId === v.id), periods));
}

export async function versionView(m: EntityManager, version: IndicatorSetVersionEntity, periods: readonly PeriodInForce[]): Promise<IndicatorSetVersionDto> {
  return (await versionViews(m, [version], periods))[0];
}

/** The list entry: the view without the content. */
export function summaryOf(view: IndicatorSetVersionDto): IndicatorSetVersionSummaryDto {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropping the content from the summary
  const { content, ...summary } = view;
  return summary;
}

/**
 * What the audit log records of a version: its own facts. `inForceFor` is left out: it is derived, and
 * changes when a later version binds, without an entry of this version's own.
 */
export function auditSummaryOf(view: IndicatorSetVersionDto): Omit<IndicatorSetVersionSummaryDto, 'inForceFor'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- dropping the derived periods from the record
  const { inForceFor, ...summary } = summaryOf(view);
  return summary;
}

function viewOf(v: IndicatorSetVersionEntity, own: IndicatorSetApprovalEntity[], periods: readonly PeriodInForce[]): IndicatorSetVersionDto {
  const content = JSON.parse(v.content) as IndicatorSetContent;
  const required = requiredSides(content.groupings);
  // In the order of the sides (municipality, then groupings), whatever order they came in.
  const rank = (a: IndicatorSetApprovalEntity) => required.indexOf(a.sideKey);
  const approvals = [...own].sort((a, b) => rank(a) - rank(b));
  return {
    id: v.id,
    contractId: v.contractId,
    version: v.version,
    state: v.state,
    contentHash: v.contentHash,
    reason: v.reason,
    minute: v.minute,
    effectiveFromPeriodId: v.effectiveFromPeriodId,
    effectiveFromPeriodCode: periods.find((p) => p.periodId === v.effectiveFromPeriodId)?.code ?? content.effectiveFromPeriod,
    inForceFor: periods.filter((p) => p.versionId === v.id).map((p) => p.code),
    createdByLabel: v.createdByLabel,
    createdAt: v.createdAt,
    boundAt: v.boundAt,
    requiredSides: required,
    missingSides: missingSides(required, approvals.filter((a) => a.contentHash === v.contentHash)),
    approvals: approvals.map((a) => ({
      side: a.side,
      groupingId: a.groupingId,
      sideKey: a.sideKey,
      organisationId: a.organisationId,
      approvedByLabel: a.approvedByLabel,
      contentHash: a.contentHash,
      approvedAt: a.createdAt,
    })),
    content: content as unknown as Record<string, unknown>,
  };
}
