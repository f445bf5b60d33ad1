import { Column, Entity } from 'typeorm';
import { Role } from 'src/auth/roles';
import { BaseEntity } from 'src/database/base.entity';

export const COMMENT_OBJECT_TYPES = ['PROPOSAL', 'INDICATOR_SET_VERSION'] as const;
export type CommentObjectType = (typeof COMMENT_OBJECT_TYPES)[number];

/**
 * A comment on a proposal sheet or on an indicator-set version. Immutable: a correction is a new comment
 * (optionally a reply to the one it corrects). Exactly one of `proposalId` and `versionId` is set.
 */
@Entity('co_definition_comments')
export class CommentEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'proposal_id', type: 'varchar', length: 36, nullable: true })
  proposalId!: string | null;

  @Column({ name: 'version_id', type: 'varchar', length: 36, nullable: true })
  versionId!: string | null;

  /** 1, 2, 3, ... per commented object, in the order written (unique per object). */
  @Column({ type: 'integer' })
  seq!: number;

  /** A comment on the same object this one answers. */
  @Column({ name: 'reply_to_id', type: 'varchar', length: 36, nullable: true })
  replyToId!: string | null;

  @Column({ type: 'text' })
  text!: string;

  /** The author's organisation. */
  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;

  /** The principal that wrote it (a user id, or `jwt:<sub>`), its label and its roles when it wrote. */
  @Column({ name: 'authored_by', type: 'varchar', length: 300 })
  authoredBy!: string;

  @Column({ name: 'authored_by_label', type: 'varchar', length: 300 })
  authoredByLabel!: string;

  @Column({ name: 'author_roles', type: 'simple-json' })
  authorRoles!: Role[];
}
