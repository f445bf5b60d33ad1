import { Column, Entity } from 'typeorm';
import { BaseEntity, OrderedChildEntity } from 'src/database/base.entity';

export const PROPOSAL_STATES = ['DRAFT', 'SUBMITTED'] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

/** The answers to the four guiding questions of the co-design (null while not answered yet). */
export interface ProposalAnswers {
  q1: string | null;
  q2: string | null;
  q3: string | null;
  q4: string | null;
}

/** A proposed outcome dimension, metric or collection instrument. */
export interface ProposalItem {
  label: string;
  description: string | null;
}

/** A proposal sheet (scheda) of an ETS or an evaluator for one contract. */
@Entity('indicator_proposals')
export class ProposalEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  /** The proposing organisation (an ETS member of a grouping, or an evaluator's organisation). */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  /** The principal that created it (a user id, or `jwt:<sub>`), and its label. */
  @Column({ name: 'authored_by', type: 'varchar', length: 300 })
  authoredBy!: string;

  @Column({ name: 'authored_by_label', type: 'varchar', length: 300 })
  authoredByLabel!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: ProposalState;

  @Column({ type: 'simple-json' })
  answers!: ProposalAnswers;

  @Column({ type: 'simple-json' })
  dimensions!: ProposalItem[];

  @Column({ type: 'simple-json' })
  metrics!: ProposalItem[];

  @Column({ type: 'simple-json' })
  instruments!: ProposalItem[];

  @Column({ name: 'submitted_at', type: 'varchar', length: 32, nullable: true })
  submittedAt!: string | null;
}

/** A final indicator's link to a proposal it was consolidated from. */
@Entity('indicator_proposal_links')
export class IndicatorProposalLinkEntity extends OrderedChildEntity {
  @Column({ name: 'indicator_id', type: 'varchar', length: 36 })
  indicatorId!: string;

  @Column({ name: 'proposal_id', type: 'varchar', length: 36 })
  proposalId!: string;
}
