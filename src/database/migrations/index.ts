import { InitialSchema1763800000000 } from 'src/database/migrations/1763800000000-initial-schema';

// In order. A landed migration is never edited: add a new one (docs/decisions/0003-migrations.md).
export const MIGRATIONS = [InitialSchema1763800000000];
