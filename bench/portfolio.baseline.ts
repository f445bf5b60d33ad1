import type { DataSource, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from 'src/audit/audit.chain';

// The baseline of the portfolio benchmark: only the database work a portfolio settlement cannot avoid,
// through the same DataSource's driver (raw SQL on a QueryRunner, no entities, no computing):
//
//   read  every row the settlement reads, set-wise for the whole municipality: contracts, the municipality,
//         periods, groupings, members, fees, member organisations, binding indicator-set versions (with
//         their content), measurements of the period with an accepted version and all their versions, evaluation records,
//         the period's closures, earlier settlements, the audit chain head;
//   write the very rows the settlement wrote (same settlement documents, same audit entries), one
//         transaction per contract as the run's one-atomic-job-per-contract requires, and the chain head
//         once per contract.
//
// `writeInOneTransaction` is the same writes as multi-row INSERTs in a single transaction (informative:
// what the per-contract commits cost).

export interface WrittenRows {
  /** Column names, then rows in the order the run wrote them, grouped by contract (contracts in code order). */
  settlements: { columns: string[]; byContract: Map<string, unknown[][]> };
  audit: { columns: string[]; byContract: Map<string, unknown[][]> };
  count: { settlements: number; audit: number };
}

function place(postgres: boolean, rows: readonly unknown[][], offset = 0): string {
  let n = offset;
  return rows.map((r) => `(${r.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`).join(', ');
}

async function grouped(q: QueryRunner, sql: string, contractColumn: string): Promise<{ columns: string[]; byContract: Map<string, unknown[][]>; count: number }> {
  const rows = (await q.query(sql)) as Record<string, unknown>[];
  const columns = rows.length === 0 ? [] : Object.keys(rows[0]);
  const byContract = new Map<string, unknown[][]>();
  for (const r of rows) {
    const key = String(r[contractColumn]);
    const list = byContract.get(key) ?? [];
    list.push(columns.map((c) => r[c]));
    byContract.set(key, list);
  }
  return { columns, byContract, count: rows.length };
}

/** What the run wrote, kept in memory; then removed, so the baseline writes it again on the same database. */
export async function takeWrittenRows(ds: DataSource): Promise<WrittenRows> {
  const q = ds.createQueryRunner();
  await q.connect();
  try {
    const s = await grouped(q, 'SELECT s.* FROM settlements s JOIN contracts c ON c.id = s.contract_id ORDER BY c.code, s.created_at, s.id', 'contract_id');
    const a = await grouped(q, 'SELECT * FROM audit_entries ORDER BY seq', 'contract_id');
    await q.startTransaction();
    await q.query('DELETE FROM audit_entries');
    await q.query('DELETE FROM settlements');
    await q.query(`UPDATE audit_chain_head SET seq = 0, hash = '${GENESIS_HASH}'`);
    await q.commitTransaction();
    return { settlements: s, audit: a, count: { settlements: s.count, audit: a.count } };
  } finally {
    await q.release();
  }
}

export async function removeWrittenRows(ds: DataSource): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query('DELETE FROM audit_entries');
    await m.query('DELETE FROM settlements');
    await m.query(`UPDATE audit_chain_head SET seq = 0, hash = '${GENESIS_HASH}'`);
  });
}

/** Reads what a settlement of `periodCode` reads, for every contract of the municipality; returns the row count. */
export async function readInputs(q: QueryRunner, municipalityId: string, periodCode: string): Promise<number> {
  const postgres = q.connection.options.type === 'postgres';
  const p = (n: number): string => (postgres ? `$${n}` : '?');
  const ofMunicipality = `JOIN contracts c ON c.id = x.contract_id WHERE c.municipality_id = ${p(1)}`;
  const ofGroupings = `JOIN provider_groupings g ON g.id = x.grouping_id JOIN contracts c ON c.id = g.contract_id WHERE c.municipality_id = ${p(1)}`;
  const queries: [string, unknown[]][] = [
    [`SELECT * FROM organisations WHERE id = ${p(1)}`, [municipalityId]],
    [`SELECT * FROM contracts WHERE municipality_id = ${p(1)} ORDER BY code`, [municipalityId]],
    [`SELECT x.* FROM contract_periods x ${ofMunicipality}`, [municipalityId]],
    [`SELECT x.* FROM provider_groupings x ${ofMunicipality}`, [municipalityId]],
    [`SELECT x.* FROM grouping_members x ${ofGroupings}`, [municipalityId]],
    [`SELECT x.* FROM grouping_fees x ${ofGroupings}`, [municipalityId]],
    [
      `SELECT DISTINCT o.* FROM organisations o JOIN grouping_members x ON x.organisation_id = o.id JOIN provider_groupings g ON g.id = x.grouping_id ` +
        `JOIN contracts c ON c.id = g.contract_id WHERE c.municipality_id = ${p(1)}`,
      [municipalityId],
    ],
    [`SELECT x.* FROM indicator_set_versions x ${ofMunicipality} AND x.state = 'BINDING'`, [municipalityId]],
    [
      `SELECT x.* FROM measurements x JOIN contract_periods pe ON pe.id = x.period_id ${ofMunicipality} AND pe.code = ${p(2)} AND x.accepted_version IS NOT NULL`,
      [municipalityId, periodCode],
    ],
    [
      `SELECT v.* FROM measurement_versions v JOIN measurements x ON x.id = v.measurement_id JOIN contract_periods pe ON pe.id = x.period_id ` +
        `${ofMunicipality} AND pe.code = ${p(2)} AND x.accepted_version IS NOT NULL`,
      [municipalityId, periodCode],
    ],
    [`SELECT x.* FROM evaluation_records x JOIN contract_periods pe ON pe.id = x.period_id ${ofMunicipality} AND pe.code = ${p(2)}`, [municipalityId, periodCode]],
    // Whether the period is closed (the run's warnings), once per contract as the run's batches read it.
    [
      `SELECT pc.period_id FROM period_closures pc JOIN contract_periods x ON x.id = pc.period_id ${ofMunicipality} AND x.code = ${p(2)} AND pc.reopened_at IS NULL`,
      [municipalityId, periodCode],
    ],
    [`SELECT x.* FROM settlements x ${ofMunicipality}`, [municipalityId]],
    [`SELECT * FROM audit_chain_head`, []],
  ];
  let rows = 0;
  for (const [sql, params] of queries) rows += ((await q.query(sql, params)) as unknown[]).length;
  return rows;
}

async function insert(q: QueryRunner, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const postgres = q.connection.options.type === 'postgres';
  const perStatement = Math.max(1, Math.floor(30000 / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${place(postgres, chunk)}`, chunk.flat());
  }
}

async function moveHead(q: QueryRunner, audit: WrittenRows['audit'], rows: unknown[][]): Promise<void> {
  const last = rows[rows.length - 1];
  if (last === undefined) return;
  const postgres = q.connection.options.type === 'postgres';
  const seq = last[audit.columns.indexOf('seq')];
  const hash = last[audit.columns.indexOf('entry_hash')];
  await q.query(`UPDATE audit_chain_head SET seq = ${postgres ? '$1' : '?'}, hash = ${postgres ? '$2' : '?'} WHERE id = 'head'`, [seq, hash]);
}

/** One transaction per contract: its settlement rows, its audit entries, the chain head. */
export async function writePerContract(q: QueryRunner, written: WrittenRows): Promise<void> {
  for (const [contractId, settlements] of written.settlements.byContract) {
    const audit = written.audit.byContract.get(contractId) ?? [];
    await q.startTransaction();
    await insert(q, 'settlements', written.settlements.columns, settlements);
    await insert(q, 'audit_entries', written.audit.columns, audit);
    await moveHead(q, written.audit, audit);
    await q.commitTransaction();
  }
}

export async function writeInOneTransaction(q: QueryRunner, written: WrittenRows): Promise<void> {
  const settlements = [...written.settlements.byContract.values()].flat();
  const audit = [...written.audit.byContract.values()].flat().sort((a, b) => Number(a[written.audit.columns.indexOf('seq')]) - Number(b[written.audit.columns.indexOf('seq')]));
  await q.startTransaction();
  // Rows of ~10 kB: chunks of 200 keep statements small.
  for (let start = 0; start < settlements.length; start += 200) await insert(q, 'settlements', written.settlements.columns, settlements.slice(start, start + 200));
  await insert(q, 'audit_entries', written.audit.columns, audit);
  await moveHead(q, written.audit, audit);
  await q.commitTransaction();
}
