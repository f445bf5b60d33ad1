import { Column, PrimaryColumn } from 'typeorm';

// Ids are UUIDs made by the service and times are ISO-8601 UTC strings set from the injected Clock:
// the same text on SQLite and PostgreSQL, and deterministic under a fixed clock in tests.
export abstract class BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'created_at', type: 'varchar', length: 32 })
  createdAt!: string;

  @Column({ name: 'updated_at', type: 'varchar', length: 32 })
  updatedAt!: string;
}

/** Child rows that only live inside their parent (members, targets, ...) keep their document order. */
export abstract class OrderedChildEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'integer' })
  position!: number;
}
