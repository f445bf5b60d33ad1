import { InitialSchema1763800000000 } from 'src/database/migrations/1763800000000-initial-schema';
import { AuthAndAudit1763900000000 } from 'src/database/migrations/1763900000000-auth-and-audit';
import { CoDefinition1764000000000 } from 'src/database/migrations/1764000000000-co-definition';
import { Measurements1764100000000 } from 'src/database/migrations/1764100000000-measurements';
import { Comments1764200000000 } from 'src/database/migrations/1764200000000-comments';
import { Settlements1764300000000 } from 'src/database/migrations/1764300000000-settlements';
import { SettlementRuns1764400000000 } from 'src/database/migrations/1764400000000-settlement-runs';
import { SettlementRunContracts1764500000000 } from 'src/database/migrations/1764500000000-settlement-run-contracts';
import { SettlementRunWarnings1764600000000 } from 'src/database/migrations/1764600000000-settlement-run-warnings';
import { MeasurementAcceptedVersion1764700000000 } from 'src/database/migrations/1764700000000-measurement-accepted-version';

// In order. A landed migration is never edited: add a new one (docs/decisions/0003-migrations.md).
export const MIGRATIONS = [InitialSchema1763800000000, AuthAndAudit1763900000000, CoDefinition1764000000000, Measurements1764100000000, Comments1764200000000, Settlements1764300000000, SettlementRuns1764400000000, SettlementRunContracts1764500000000, SettlementRunWarnings1764600000000, MeasurementAcceptedVersion1764700000000];
