import { MemberRole, GroupingType } from 'src/contracts/provider-grouping.entity';
import {
  Aggregation,
  DataOwner,
  Direction,
  Disaggregation,
  Frequency,
  IndicatorScope,
  IndicatorUnit,
} from 'src/indicators/indicator.entity';
import { LegalForm, OrganisationKind } from 'src/organisations/organisation.entity';
import type { RuleSetDocument } from 'src/rule-sets/rule-set.types';
import { FundingSource, ValueChainLevel } from 'src/value-chain/value-chain-node.entity';

// The contract definition document (contracts/schema/contract-definition.schema.json) as TypeScript sees it
// once the schema has accepted it. Optional fields are absent, never null; decimals are strings; every
// reference is a code naming something else in the same document.

export const CONTRACT_DEFINITION_SCHEMA_VERSION = '1';

export interface ContractDefinition {
  schemaVersion: typeof CONTRACT_DEFINITION_SCHEMA_VERSION;
  organisations: OrganisationDefinition[];
  project: ProjectDefinition;
  contract: ContractSection;
}

export interface OrganisationDefinition {
  code: string;
  kind: OrganisationKind;
  name: string;
  legalForm?: LegalForm;
  taxCode?: string;
}

export interface ProjectDefinition {
  code: string;
  name: string;
  /** Organisation code. */
  municipality: string;
  department?: string;
  description?: string;
  workAreas: string[];
  targetGroups: string[];
  referencePopulations: ReferencePopulationDefinition[];
  valueChain: { nodes: NodeDefinition[]; links: LinkDefinition[] };
}

export interface ReferencePopulationDefinition {
  code: string;
  labelIt: string;
  labelEn?: string;
  area?: string;
  targetGroup?: string;
  referenceDate: string;
  source: string;
  value: string;
}

export interface NodeDefinition {
  code: string;
  level: ValueChainLevel;
  labelIt: string;
  labelEn?: string;
  description?: string;
  quantity?: string;
  unit?: string;
  monetaryValue?: string;
  fundingSource?: FundingSource;
}

export interface LinkDefinition {
  from: string;
  to: string;
}

export interface ContractSection {
  code: string;
  title: string;
  /** Organisation code. */
  municipality: string;
  currency: 'EUR';
  startDate: string;
  endDate: string;
  periods: PeriodDefinition[];
  groupings: GroupingDefinition[];
  indicators: IndicatorDefinition[];
  /** A rule set checked against this document's indicators, periods, groupings and organisations; stored as written (JSON text). */
  paymentRules?: PaymentRulesDefinition;
}

export interface PeriodDefinition {
  code: string;
  startDate: string;
  endDate: string;
  phase?: string;
}

export interface GroupingDefinition {
  code: string;
  name: string;
  type: GroupingType;
  areas: string[];
  members: MemberDefinition[];
  fees: FeeDefinition[];
}

export interface MemberDefinition {
  /** Organisation code. */
  organisation: string;
  role: MemberRole;
  executionShare: string;
}

export interface FeeDefinition {
  /** Period code. */
  period: string;
  amount: string;
}

export interface IndicatorDefinition {
  code: string;
  /** Value-chain node code. */
  node: string;
  labelIt: string;
  labelEn?: string;
  unit: IndicatorUnit;
  direction: Direction;
  formula?: { text: string; numerator?: string; denominator?: string };
  instrument?: string;
  dataOwner?: DataOwner;
  frequency: Frequency;
  minSampleSize?: number;
  disaggregations?: Disaggregation[];
  scope: IndicatorScope;
  aggregation: Aggregation;
  baselines: BaselineDefinition[];
  targets: TargetDefinition[];
  denominators?: DenominatorDefinition[];
}

export interface BaselineDefinition {
  grouping?: string;
  value?: string;
  /** Period code. */
  establishedIn?: string;
  reference?: string;
  note?: string;
}

export interface TargetDefinition {
  period: string;
  grouping?: string;
  value: string;
}

export interface DenominatorDefinition {
  grouping?: string;
  /** Reference population code. */
  population: string;
}

/** The payment rule set (contracts/schema/rule-set.schema.json, docs/rule-sets.md), stored and exported as written. */
export type PaymentRulesDefinition = RuleSetDocument;
