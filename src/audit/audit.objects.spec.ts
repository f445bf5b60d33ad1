import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditObjectReach, CONTRACT_WIDE_OBJECT_TYPES, NON_CONTRACT_OBJECT_TYPES, PRIVATE_OBJECT_TYPES } from 'src/audit/audit.objects';

const SRC = join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(path);
    return d.name.endsWith('.ts') && !d.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * Every object type the services hand to AuditService: `objectType: 'x'` literals (audit types are lower
 * case; comment DTOs use upper-case names of their own), and the indicators' `indicator_${kind}`, one per
 * row list of ROW_ENTITIES.
 */
function recordedObjectTypes(): string[] {
  const types = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/objectType: '([a-z_]+)'/g)) types.add(match[1]);
    if (text.includes('objectType: `indicator_${kind}`')) {
      const rows = /const ROW_ENTITIES = \{([^}]*)\}/.exec(text);
      if (rows === null) throw new Error(`${file}: indicator_\${kind} without ROW_ENTITIES`);
      for (const match of rows[1].matchAll(/(\w+):/g)) types.add(`indicator_${match[1]}`);
    } else if (/objectType: `/.test(text)) {
      throw new Error(`${file}: an object type built at run time; list its values here`);
    }
  }
  return [...types].sort();
}

describe('audit object types: who reads the entries about them', () => {
  it('classifies every object type the services record, so none is hidden from ETS staff by omission or shown by mistake', () => {
    const recorded = recordedObjectTypes();
    // The scan finds the types the modules are known to record (guards the scan itself).
    expect(recorded).toEqual(expect.arrayContaining(['contract', 'measurement', 'measurement_evidence', 'settlement', 'indicator_baselines', 'indicator_denominators', 'co_definition_comment']));
    expect(recorded.filter((t) => auditObjectReach(t) === 'UNKNOWN')).toEqual([]);
  });

  it('lists each type once, and lists no type that is no longer recorded', () => {
    const listed = [...CONTRACT_WIDE_OBJECT_TYPES, ...PRIVATE_OBJECT_TYPES, ...NON_CONTRACT_OBJECT_TYPES];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(recordedObjectTypes());
  });

  it("keeps members' and groupings' objects private and the contract's structure shared", () => {
    expect(['measurement', 'measurement_evidence', 'settlement', 'evaluation_record', 'indicator_proposal', 'co_definition_comment'].map(auditObjectReach)).toEqual(Array(6).fill('PRIVATE'));
    expect(['contract', 'contract_period', 'grouping', 'grouping_fee', 'indicator', 'indicator_set_version', 'payment_rules'].map(auditObjectReach)).toEqual(Array(7).fill('CONTRACT'));
    expect(['settlement_run', 'user', 'api_key'].map(auditObjectReach)).toEqual(Array(3).fill('NO_CONTRACT'));
    expect(auditObjectReach('proposal')).toBe('UNKNOWN');
  });
});
