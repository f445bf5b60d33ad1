import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { text } from 'src/database/migrations/migration-helpers';

// What a portfolio run tells about each contract it settled (docs/settlements.md, "Warnings"): the period not
// closed, drafts settled on missing data. JSON text, null when there is nothing to tell, so the results of
// runs recorded before read as having no warnings. On SQLite TypeORM adds the column by copying
// settlement_run_contracts: no foreign key points at it, so nothing cascades.
export class SettlementRunWarnings1764600000000 implements MigrationInterface {
  name = 'SettlementRunWarnings1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('settlement_run_contracts', new TableColumn(text('warnings')));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('settlement_run_contracts', 'warnings');
  }
}
