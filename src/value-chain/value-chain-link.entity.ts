import { Column, Entity } from 'typeorm';
import { OrderedChildEntity } from 'src/database/base.entity';

@Entity('value_chain_links')
export class ValueChainLinkEntity extends OrderedChildEntity {
  @Column({ name: 'project_id', type: 'varchar', length: 36 })
  projectId!: string;

  @Column({ name: 'from_node_id', type: 'varchar', length: 36 })
  fromNodeId!: string;

  @Column({ name: 'to_node_id', type: 'varchar', length: 36 })
  toNodeId!: string;
}
