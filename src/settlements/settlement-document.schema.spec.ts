import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractsPath } from 'src/contract-definitions/contract-definition.files';
import { factsFor } from 'src/settlements/engine/settlement-engine';
import type { IndicatorInput, SettlementDocument, SettlementInputs } from 'src/settlements/settlement-document';
import { buildDocument } from 'src/settlements/settlement-document.builder';
import { bergamoReasonInputs, padovaReasonInputs, reasonFixtureMeta } from 'src/settlements/testing/reason-coverage.fixture';
import { settlementDocumentProblems, settlementResultProblems } from 'test/support/settlement-document-schema';

// contracts/schema/settlement-document.schema.json is what auditors are told a settlement document is:
// every document the service produces must match it (stored format-1 and format-2 documents, format-3 documents,
// reopened versions with their delta, missing data), and it must refuse what a document never is.
// test/golden/settlements.spec.ts checks the documents of the example contracts as the API serves them.

function stored(name: 'padova' | 'bergamo'): SettlementDocument {
  return storedFile(`format-1-${name}`);
}

function storedFile(file: string): SettlementDocument {
  return JSON.parse(readFileSync(join(__dirname, 'testing', `${file}.settlement.json`), 'utf8')) as SettlementDocument;
}

function withIndicator(inputs: SettlementInputs, code: string, change: (i: IndicatorInput) => IndicatorInput): SettlementInputs {
  const indicators = inputs.indicators.map((i) => (i.code === code ? change(i) : i));
  return { ...inputs, indicators, facts: factsFor(indicators) };
}

const built = (name: 'padova' | 'bergamo'): SettlementDocument =>
  buildDocument(reasonFixtureMeta(name), name === 'padova' ? padovaReasonInputs() : bergamoReasonInputs(), null).doc;

/** Padova's format-1 document reopened with IND-01 corrected from 11.0 to 12.0: version 2, format 3, with a delta. */
function reopened(): SettlementDocument {
  const previous = stored('padova');
  const inputs = withIndicator(padovaReasonInputs(), 'IND-01', (i) => ({ ...i, value: '12.0', sources: i.sources.map((s) => ({ ...s, value: '12.0', version: 2 })) }));
  const meta = { ...reasonFixtureMeta('padova'), version: 2, computedAt: '2026-09-01T08:00:00.000Z', reopenReason: 'IND-01 corrected after review' };
  return buildDocument(meta, inputs, previous).doc;
}

/** Padova with no accepted value for IND-01 (MISSING: no value, no sources, a ZERO line). */
function missingData(): SettlementDocument {
  const inputs = withIndicator(padovaReasonInputs(), 'IND-01', (i) => ({ ...i, status: 'MISSING', value: null, sources: [] }));
  return buildDocument(reasonFixtureMeta('padova'), inputs, null).doc;
}

describe('the published settlement document schema', () => {
  describe('matches every document the service produces', () => {
    it.each(['padova', 'bergamo'] as const)('the stored ancora.settlement/1 document (%s)', (name) => {
      const doc = stored(name);
      expect(doc.format).toBe('ancora.settlement/1');
      expect(settlementDocumentProblems(doc)).toEqual([]);
    });

    it('the stored ancora.settlement/2 document (Padova, a sample size and a guardrail value not there)', () => {
      const doc = storedFile('format-2-padova-unreported');
      expect(doc.format).toBe('ancora.settlement/2');
      expect(settlementDocumentProblems(doc)).toEqual([]);
    });

    it.each(['padova', 'bergamo'] as const)('an ancora.settlement/3 document built now (%s)', (name) => {
      const doc = built(name);
      expect(doc.format).toBe('ancora.settlement/3');
      expect(settlementDocumentProblems(doc)).toEqual([]);
    });

    it('a reopened version, with its delta against the approved format-1 version', () => {
      const doc = reopened();
      expect(doc.delta).toMatchObject({ previousVersion: 1, lines: expect.arrayContaining([{ termId: 'T1', before: '4800.00', after: '6400.00', change: '1600.00' }]) });
      expect(settlementDocumentProblems(doc)).toEqual([]);
    });

    it('a grouping reopened while another grouping\'s approved settlement holds part of the pool (pool.committed, POOL_COMMITTED)', () => {
      const inputs = padovaReasonInputs();
      const pool = inputs.pool as NonNullable<SettlementInputs['pool']>;
      const committed = [{ grouping: 'RTI-B', settlementId: 's-b1', payable: '10000.00' }];
      const doc = buildDocument(reasonFixtureMeta('padova'), { ...inputs, pool: { ...pool, committed } }, null).doc;
      expect([doc.result.payable, doc.result.adjustments.at(-1)?.kind]).toEqual(['5000.00', 'POOL_COMMITTED']);
      expect(settlementDocumentProblems(doc)).toEqual([]);
      const empty = JSON.parse(JSON.stringify(doc)) as SettlementDocument;
      (empty.inputs.pool as NonNullable<SettlementInputs['pool']>).committed = [];
      expect(settlementDocumentProblems(empty)).toContain('/inputs/pool/committed minItems must NOT have fewer than 1 items');
    });

    it('a settlement with missing data: the indicator has no value and its line pays nothing', () => {
      const doc = missingData();
      expect([doc.inputs.indicators[0].status, doc.result.lines[0].status, doc.result.lines[0].actual]).toEqual(['MISSING', 'MISSING_ZERO', null]);
      expect(settlementDocumentProblems(doc)).toEqual([]);
    });

    it('the expected results of every example contract (contracts/examples/settlements)', () => {
      const dir = contractsPath('examples', 'settlements');
      const files = readdirSync(dir).filter((f) => f.endsWith('.expected.json'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) {
        const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { settlements: { period: string; grouping: string; result: unknown }[] };
        expect(expected.settlements.length).toBeGreaterThan(0);
        for (const s of expected.settlements) {
          expect([file, s.period, s.grouping, settlementResultProblems(s.result)]).toEqual([file, s.period, s.grouping, []]);
        }
      }
    });
  });

  describe('refuses what a document never is', () => {
    const REMOVE = Symbol('remove');
    /** The document with the member at `pointer` (a JSON pointer) set to `value`, or removed; then its problems. */
    const broken = (pointer: string, value: unknown, doc: SettlementDocument = built('padova')): string[] => {
      const copy = structuredClone(doc) as unknown;
      const keys = pointer.split('/').slice(1);
      const parent = keys.slice(0, -1).reduce((o, k) => (o as Record<string, unknown>)[k], copy) as Record<string, unknown>;
      const last = keys[keys.length - 1];
      if (value === REMOVE) delete parent[last];
      else parent[last] = value;
      return settlementDocumentProblems(copy);
    };

    it('an amount as a JSON number instead of a decimal string', () => {
      expect(broken('/result/premium', 8300)).toEqual(['/result/premium type must be string']);
      expect(broken('/result/lines/0/amount', 4800)).toEqual(['/result/lines/0/amount type must be string']);
    });

    it('a decimal string the project does not write: exponent, grouping, plus sign, leading zero, bare point', () => {
      for (const amount of ['4.8e3', '4,800.00', '+4800', '04800', '4800.']) {
        expect(broken('/result/lines/0/amount', amount)).toEqual([`/result/lines/0/amount pattern must match pattern "^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$"`]);
      }
    });

    it('a manifest without its document hash, or with a hash that is not 64 lowercase hex digits', () => {
      expect(broken('/manifest/documentHash', REMOVE)).toEqual(["/manifest required must have required property 'documentHash'"]);
      expect(broken('/manifest/inputsHash', built('padova').manifest.inputsHash.toUpperCase())).toEqual(['/manifest/inputsHash pattern must match pattern "^[0-9a-f]{64}$"']);
    });

    it('an unknown field, at the top level or inside a closed object', () => {
      expect(broken('/totals', { payable: '8765.44' })).toEqual(['/ additionalProperties must NOT have additional properties']);
      expect(broken('/result/lines/0/note', 'x')).toEqual(['/result/lines/0 additionalProperties must NOT have additional properties']);
    });

    it('a format other than the three', () => {
      expect(broken('/format', 'ancora.settlement/4')).toEqual(['/format enum must be equal to one of the allowed values']);
    });

    it('an omitted nullable field, a reason without its English text, a rule set that is not one', () => {
      expect(broken('/delta', REMOVE)).toEqual(["/ required must have required property 'delta'"]);
      expect(broken('/result/lines/0/reason/en', REMOVE)).toEqual(["/result/lines/0/reason required must have required property 'en'"]);
      expect(broken('/inputs/ruleSet/terms', REMOVE)).toEqual(["/inputs/ruleSet required must have required property 'terms'"]);
    });

    it('a delta amount that is not in cents (a delta is a closed object or null)', () => {
      expect(broken('/delta/payable/change', '0', reopened())).toContain('/delta/payable/change pattern must match pattern "^-?(0|[1-9][0-9]*)\\.[0-9]{2}$"');
    });
  });
});
