import { randomUUID } from 'node:crypto';
import type { DataSource, QueryRunner } from 'typeorm';
import { canonicalHash, INDICATOR_SET_FORMAT, type IndicatorSetContent } from 'src/co-definition/indicator-set.snapshot';
import { dec } from 'src/common/decimal/decimal';
import { padovaIndicatorSnapshots, padovaRules } from 'bench/padova';
import { Prng } from 'bench/prng';

// A generated portfolio for the settlement benchmark: one municipality with `contracts` Padova-like
// contracts, each with its project, one period Y2, one or two groupings (RTI-A, RTI-B) of one to three
// member ETS with execution shares and a fee, a BINDING indicator-set version whose frozen content is
// the Padova indicators and payment rules (as `snapshotIndicatorSet` writes it), and accepted
// measurements for every indicator (some corrected once, so with two versions; about 1 in 20 with a
// correction of the accepted value awaiting review, which does not count; counts split among members). Values vary around Padova Cases A and B, so gates, guardrails, the survey's minimum sample
// and the pool cap all go both ways; about 1 contract in 200 lacks its guardrail indicator.
//
// Rows go in with multi-row INSERTs through a QueryRunner, in large transactions (not measured).

export interface Portfolio {
  municipalityId: string;
  contracts: number;
  rows: Record<string, number>;
}

const NOW = '2026-11-22T09:00:00.000Z';
const SHARES: readonly (readonly string[])[] = [['1'], ['0.60', '0.40'], ['0.50', '0.30', '0.20']];
const ETS_POOL = 300;

type Row = unknown[];

class Batches {
  readonly tables = new Map<string, { columns: string[]; rows: Row[] }>();

  add(table: string, columns: string[], row: Row): void {
    const t = this.tables.get(table) ?? { columns, rows: [] };
    this.tables.set(table, t);
    t.rows.push(row);
  }
}

async function flush(q: QueryRunner, postgres: boolean, batches: Batches, counts: Record<string, number>): Promise<void> {
  for (const [table, { columns, rows }] of batches.tables) {
    // Under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
    const perStatement = Math.max(1, Math.floor(30000 / columns.length));
    for (let start = 0; start < rows.length; start += perStatement) {
      const chunk = rows.slice(start, start + perStatement);
      let n = 0;
      const values = chunk.map((r) => `(${r.map(() => (postgres ? `$${++n}` : '?')).join(', ')})`).join(', ');
      await q.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values}`, chunk.flat());
    }
    counts[table] = (counts[table] ?? 0) + rows.length;
  }
  batches.tables.clear();
}

function shareOf(rng: Prng, total: string, min: number, max: number): string {
  return dec(total).times(dec(rng.decimal(min, max, 2))).toDecimalPlaces(0).toString();
}

/** The six Padova indicators' values for one grouping, around Case A (RTI-A) or Case B (RTI-B). */
function groupingValues(rng: Prng): Record<string, { value: string; sampleSize?: number; parts?: Record<string, Record<string, string>> }> {
  const placements = rng.decimal(900, 1500, 0);
  const under60 = shareOf(rng, placements, 10, 25);
  return {
    'IND-01': { value: rng.decimal(70, 160, 1) },
    'IND-02': { value: rng.decimal(0, 15, 0) },
    'IND-03': { value: placements, parts: { TARGET_GROUP: { OVER60: dec(placements).minus(dec(under60)).toString(), UNDER60: under60 } } },
    'IND-04': { value: rng.decimal(650, 850, 1), sampleSize: rng.int(150, 320) },
    'IND-05': { value: rng.decimal(40, 80, 1) },
    'IND-G1': { value: rng.decimal(8, 14, 0) },
  };
}

/** Splits a count among members (largest share to the lead); parts split the same way. */
function split(total: string, members: number, rng: Prng): string[] {
  const out: string[] = [];
  let rest = dec(total);
  for (let i = 0; i < members - 1; i += 1) {
    const part = rest.times(dec(rng.decimal(20, 60, 2))).toDecimalPlaces(0);
    out.push(part.toString());
    rest = rest.minus(part);
  }
  out.push(rest.toString());
  return out;
}

export async function insertPortfolio(ds: DataSource, contracts: number, seed: number): Promise<Portfolio> {
  const postgres = ds.options.type === 'postgres';
  const rng = new Prng(seed);
  const counts: Record<string, number> = {};
  const rules = padovaRules();
  const rulesText = JSON.stringify(rules);
  const indicators = padovaIndicatorSnapshots();
  const q = ds.createQueryRunner();
  await q.connect();
  const b = new Batches();
  const ts = [NOW, NOW];

  const municipalityId = randomUUID();
  await q.startTransaction();
  b.add('organisations', ['id', 'code', 'kind', 'name', 'tax_code', 'legal_form', 'district_id', 'lead_organisation_id', 'created_at', 'updated_at'], [
    municipalityId, 'C-BENCH', 'MUNICIPALITY', 'Comune di Benchmark', null, null, null, null, ...ts,
  ]);
  const ets = Array.from({ length: ETS_POOL }, (_, i) => ({ id: randomUUID(), code: `ETS-B${String(i + 1).padStart(4, '0')}` }));
  for (const o of ets) {
    b.add('organisations', ['id', 'code', 'kind', 'name', 'tax_code', 'legal_form', 'district_id', 'lead_organisation_id', 'created_at', 'updated_at'], [
      o.id, o.code, 'ETS', `Cooperativa Sociale ${o.code} (fittizia)`, null, 'COOPERATIVA_SOCIALE', null, null, ...ts,
    ]);
  }
  await flush(q, postgres, b, counts);
  await q.commitTransaction();

  const perTransaction = 1000;
  for (let first = 1; first <= contracts; first += perTransaction) {
    await q.startTransaction();
    for (let i = first; i < Math.min(first + perTransaction, contracts + 1); i += 1) {
      const code = `BENCH-${String(i).padStart(5, '0')}`;
      const title = `Sviluppo di Comunità, lotto ${i}`;
      const projectId = randomUUID();
      const contractId = randomUUID();
      const periodId = randomUUID();
      const versionId = randomUUID();
      b.add('projects', ['id', 'code', 'name', 'municipality_id', 'department', 'description', 'work_areas', 'target_groups', 'created_at', 'updated_at'], [
        projectId, `P-${code}`, title, municipalityId, 'Settore Servizi Sociali', null, '["ANZIANI","COMMUNITY_BUILDING"]', '["OVER60","UNDER60"]', ...ts,
      ]);
      b.add('contracts', ['id', 'code', 'title', 'project_id', 'municipality_id', 'currency', 'start_date', 'end_date', 'payment_rules', 'created_at', 'updated_at'], [
        contractId, code, title, projectId, municipalityId, 'EUR', '2025-07-01', '2026-06-30', rulesText, ...ts,
      ]);
      b.add('contract_periods', ['id', 'contract_id', 'code', 'start_date', 'end_date', 'phase', 'position', 'created_at', 'updated_at'], [
        periodId, contractId, 'Y2', '2025-07-01', '2026-06-30', 'TERRITORIALISATION', 1, ...ts,
      ]);
      const groupingCodes = rng.chance(0.6) ? ['RTI-A', 'RTI-B'] : ['RTI-A'];
      const chosen = rng.sample(ets, groupingCodes.length * 3);
      const groupings = groupingCodes.map((g, gi) => {
        const shares = rng.pick(SHARES);
        const members = shares.map((share, mi) => ({ org: chosen[gi * 3 + mi], share }));
        return { id: randomUUID(), code: g, members };
      });
      groupings.forEach((g, gi) => {
        b.add('provider_groupings', ['id', 'contract_id', 'code', 'name', 'type', 'areas', 'position', 'created_at', 'updated_at'], [
          g.id, contractId, g.code, `${g.code} ${code}`, g.members.length === 1 ? 'SINGLE' : 'RTI', '["Quartiere 1 Centro"]', gi, ...ts,
        ]);
        g.members.forEach((m, mi) => {
          b.add('grouping_members', ['id', 'grouping_id', 'organisation_id', 'role', 'execution_share', 'position'], [
            randomUUID(), g.id, m.org.id, mi === 0 ? 'MANDATARIA' : 'MANDANTE', m.share, mi,
          ]);
        });
        b.add('grouping_fees', ['id', 'grouping_id', 'period_id', 'amount', 'position'], [randomUUID(), g.id, periodId, `${rng.decimal(200, 700, 0)}000.00`, 0]);
      });
      const content: IndicatorSetContent = {
        format: INDICATOR_SET_FORMAT,
        contract: { code, title },
        version: 1,
        effectiveFromPeriod: 'Y2',
        reason: null,
        minute: null,
        groupings: groupingCodes,
        indicators: indicators.map((ind) => ({
          ...ind,
          baselines: ind.baselines.filter((x) => x.grouping === null || groupingCodes.includes(x.grouping)),
          targets: ind.targets.filter((x) => x.grouping === null || groupingCodes.includes(x.grouping)),
        })),
        paymentRules: rules,
      };
      const frozen = canonicalHash(content);
      b.add('indicator_set_versions', ['id', 'contract_id', 'version', 'state', 'content', 'content_hash', 'reason', 'minute', 'effective_from_period_id', 'created_by', 'created_by_label', 'bound_at', 'created_at', 'updated_at'], [
        versionId, contractId, 1, 'BINDING', frozen.json, frozen.hash, null, null, periodId, 'bench', 'bench', NOW, ...ts,
      ]);
      const missingGuardrail = rng.chance(0.005);
      for (const g of groupings) {
        for (const [indicatorCode, v] of Object.entries(groupingValues(rng))) {
          if (indicatorCode === 'IND-G1' && missingGuardrail) continue;
          const counted = (indicatorCode === 'IND-02' || indicatorCode === 'IND-03') && g.members.length > 1;
          const values = counted ? split(v.value, g.members.length, rng) : [v.value];
          values.forEach((value, mi) => {
            // A member's UNDER60 part in the grouping's proportion.
            const under60 = v.parts === undefined ? '0' : dec(value).times(dec(v.parts.TARGET_GROUP.UNDER60)).dividedBy(dec(v.value)).toDecimalPlaces(0).toString();
            const parts = v.parts === undefined ? {} : counted ? { TARGET_GROUP: { OVER60: dec(value).minus(dec(under60)).toString(), UNDER60: under60 } } : v.parts;
            const measurementId = randomUUID();
            const accepted = rng.chance(0.1) ? 2 : 1;
            // A correction of the accepted value awaiting review: one more version, SUBMITTED, which does not count yet.
            const version = rng.chance(0.05) ? accepted + 1 : accepted;
            b.add('measurements', ['id', 'contract_id', 'period_id', 'grouping_id', 'organisation_id', 'indicator_code', 'status', 'version', 'accepted_version', 'created_at', 'updated_at'], [
              measurementId, contractId, periodId, g.id, g.members[mi].org.id, indicatorCode, version === accepted ? 'ACCEPTED' : 'SUBMITTED', version, accepted, ...ts,
            ]);
            for (let n = 1; n <= version; n += 1) {
              const counts = n === accepted;
              const pending = n > accepted;
              b.add('measurement_versions', [
                'id', 'measurement_id', 'version', 'indicator_set_version_id', 'value', 'numerator', 'denominator', 'sample_size', 'not_assessable', 'disaggregations',
                'method_notes', 'correction_reason', 'created_by', 'submitted_at', 'review_outcome', 'review_reason', 'reviewed_by', 'reviewed_at', 'created_at', 'updated_at',
              ], [
                randomUUID(), measurementId, n, versionId, counts ? value : dec(value).plus(1).toString(), null, null, v.sampleSize ?? null, 'false', JSON.stringify(parts),
                null, n > 1 && n >= accepted ? (pending ? 'corrected after acceptance' : 'corrected after review') : null, 'bench', NOW,
                counts ? 'ACCEPTED' : pending ? null : 'RETURNED', n < accepted ? 'check the register' : null, pending ? null : 'bench', pending ? null : NOW, ...ts,
              ]);
            }
          });
        }
      }
    }
    await flush(q, postgres, b, counts);
    await q.commitTransaction();
  }
  // Fresh planner statistics, as autovacuum would gather them in a while: without them PostgreSQL plans the
  // baseline's municipality-wide joins over 10,000 contracts as nested loops (40 s instead of ~4 s).
  if (postgres) await q.query('ANALYZE');
  await q.release();
  return { municipalityId, contracts, rows: counts };
}
