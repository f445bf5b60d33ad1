import type { BindingIndicatorSet } from 'src/co-definition/indicator-set.resolver';
import type { OrganisationKind } from 'src/organisations/organisation.entity';
import type { MeasurementRow } from 'src/settlements/engine/indicator-inputs';
import type { ValueChainLevel } from 'src/value-chain/value-chain-node.entity';

// What the open-data exports are built from: plain data loaded once (open-data.loader.ts), so the IATI
// and OCDS builders are pure functions of it.

export interface OrgData {
  id: string;
  code: string;
  name: string;
  kind: OrganisationKind;
  taxCode: string | null;
}

export interface PeriodData {
  id: string;
  code: string;
  startDate: string;
  endDate: string;
  position: number;
}

export interface GroupingData {
  id: string;
  code: string;
  name: string;
  members: { organisation: OrgData; lead: boolean; executionShare: string }[];
  /** Fee (compenso) per period code, decimal strings. */
  fees: { period: string; amount: string }[];
}

export interface ApprovedSettlement {
  id: string;
  periodId: string;
  groupingId: string;
  version: number;
  /** Decimal string, the currency of the contract. */
  payable: string;
  approvedAt: string;
  documentHash: string;
  /** The payable split among the members (member organisation code -> amount), when the document has it. */
  allocation: { member: string; amount: string }[];
}

export interface ContractData {
  id: string;
  code: string;
  title: string;
  currency: string;
  startDate: string;
  endDate: string;
  municipality: OrgData;
  periods: PeriodData[];
  groupings: GroupingData[];
  /** The binding indicator set in force per period code (null: none yet). */
  sets: Record<string, BindingIndicatorSet | null>;
  /** Accepted measurement versions by `${periodCode}|${groupingCode}|${indicatorCode}`. */
  rows: Map<string, MeasurementRow[]>;
  /** Codes of the groupings whose results (actuals, settlements) the caller may see (open-data.access.ts). */
  visibleGroupings: ReadonlySet<string>;
}

export interface NodeData {
  code: string;
  level: ValueChainLevel;
  labelIt: string;
  labelEn: string | null;
}

export interface ProjectData {
  id: string;
  code: string;
  name: string;
  description: string | null;
  municipality: OrgData;
  contracts: ContractData[];
  nodes: NodeData[];
}

export const rowKey = (period: string, grouping: string, indicator: string): string => `${period}|${grouping}|${indicator}`;
