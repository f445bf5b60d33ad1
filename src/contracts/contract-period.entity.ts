import { Column, Entity } from 'typeorm';
import { BaseEntity } from 'src/database/base.entity';

/** An annualità (or other period): contiguous with its neighbours, never overlapping. */
@Entity('contract_periods')
export class ContractPeriodEntity extends BaseEntity {
  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId!: string;

  @Column({ type: 'varchar', length: 64 })
  code!: string;

  @Column({ name: 'start_date', type: 'varchar', length: 10 })
  startDate!: string;

  @Column({ name: 'end_date', type: 'varchar', length: 10 })
  endDate!: string;

  /** Free label of the contract's phase in this period (TRANSITION, TERRITORIALISATION, ...). */
  @Column({ type: 'varchar', length: 64, nullable: true })
  phase!: string | null;

  @Column({ type: 'integer' })
  position!: number;
}
