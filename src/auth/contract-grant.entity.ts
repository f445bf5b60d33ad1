import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

/**
 * Read access to one contract for an organisation outside it: a university evaluating the project
 * (its users hold `evaluator`), or an external audit office (`auditor`).
 */
@Entity('contract_grants')
export class ContractGrantEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ name: 'organisation_id', type: 'varchar', length: 36 })
  organisationId!: string;
}
