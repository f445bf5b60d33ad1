import { AuditChainHeadEntity, AuditEntryEntity } from 'src/audit/audit-entry.entity';
import { ContractGrantEntity } from 'src/auth/contract-grant.entity';
import { IndicatorProposalLinkEntity, ProposalEntity } from 'src/co-definition/proposal.entity';
import { CommentEntity } from 'src/co-definition/comment.entity';
import { IndicatorSetApprovalEntity, IndicatorSetVersionEntity } from 'src/co-definition/indicator-set-version.entity';
import { ApiKeyEntity, UserEntity } from 'src/auth/user.entity';
import { ContractPeriodEntity } from 'src/contracts/contract-period.entity';
import { ContractEntity } from 'src/contracts/contract.entity';
import { GroupingFeeEntity, GroupingMemberEntity, ProviderGroupingEntity } from 'src/contracts/provider-grouping.entity';
import {
  IndicatorBaselineEntity,
  IndicatorDenominatorEntity,
  IndicatorEntity,
  IndicatorTargetEntity,
} from 'src/indicators/indicator.entity';
import { MeasurementEntity, MeasurementEvidenceEntity, MeasurementIdempotencyKeyEntity, MeasurementVersionEntity, PeriodClosureEntity } from 'src/measurements/measurement.entity';
import { OrganisationEntity } from 'src/organisations/organisation.entity';
import { SettlementRunContractEntity, SettlementRunEntity } from 'src/settlements/settlement-run.entity';
import { EvaluationRecordEntity, SettlementEntity } from 'src/settlements/settlement.entity';
import { ProjectEntity } from 'src/value-chain/project.entity';
import { ReferencePopulationEntity } from 'src/value-chain/reference-population.entity';
import { ValueChainLinkEntity } from 'src/value-chain/value-chain-link.entity';
import { ValueChainNodeEntity } from 'src/value-chain/value-chain-node.entity';

// Listed, not globbed: the same list works under ts-jest, the compiled app and the TypeORM CLI.
export const ENTITIES = [
  OrganisationEntity,
  ProjectEntity,
  ValueChainNodeEntity,
  ValueChainLinkEntity,
  ReferencePopulationEntity,
  ContractEntity,
  ContractPeriodEntity,
  ProviderGroupingEntity,
  GroupingMemberEntity,
  GroupingFeeEntity,
  IndicatorEntity,
  IndicatorBaselineEntity,
  IndicatorTargetEntity,
  IndicatorDenominatorEntity,
  UserEntity,
  ApiKeyEntity,
  ContractGrantEntity,
  AuditEntryEntity,
  AuditChainHeadEntity,
  ProposalEntity, IndicatorProposalLinkEntity, IndicatorSetVersionEntity, IndicatorSetApprovalEntity,
  MeasurementEntity, MeasurementVersionEntity, MeasurementIdempotencyKeyEntity, PeriodClosureEntity, MeasurementEvidenceEntity,
  CommentEntity,
  SettlementEntity, EvaluationRecordEntity, SettlementRunEntity, SettlementRunContractEntity,
];
