import {
  AuditExportHeader,
  csvCell,
  csvEntry,
  csvPreamble,
  ExportedEntryDocument,
  exportFileName,
  jsonEnd,
  jsonEntry,
  jsonPreamble,
} from 'src/audit/audit-export.format';

const header: AuditExportHeader = {
  scope: { kind: 'contract', contractId: 'c-1', contractCode: 'PD-SDC-2.0', municipalityId: 'm-1', upToSeq: 9 },
  exportedAt: '2026-01-15T10:00:00.000Z',
  verification: {
    wholeChain: { ok: false, entries: 2, headSeq: 9, firstBreak: { seq: 3, id: 'e-3', reason: 'HASH_MISMATCH', message: 'entry 3 was changed after it was written' } },
    exportedEntries: { ok: true, entries: 1, broken: 0, firstBreak: null },
  },
};

const entry: ExportedEntryDocument = {
  seq: 2,
  id: 'e-2',
  occurredAt: '2026-01-15T10:00:02.000Z',
  actor: { id: 'u-1', label: '=HYPERLINK("http://x","Rossi, Paolo")', organisationId: null, organisationCode: null, organisationName: null },
  action: 'submit',
  object: { type: 'measurement', id: '+39' },
  contractId: 'c-1',
  municipalityId: 'm-1',
  beforeDigest: null,
  afterDigest: 'a'.repeat(64),
  prevHash: '0'.repeat(64),
  entryHash: 'b'.repeat(64),
  link: 'OK',
};

describe('audit export format', () => {
  it('neutralises cells a spreadsheet would run as a formula, then quotes per RFC 4180', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+39 049')).toBe("'+39 049");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('Rossi, Paolo')).toBe('"Rossi, Paolo"');
    expect(csvCell('riga 1\nriga 2')).toBe('"riga 1\nriga 2"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });

  it('starts the CSV with a BOM, the verification in # lines and the header row, CRLF line ends', () => {
    const lines = csvPreamble(header).split('\r\n');
    expect(lines).toEqual([
      '\uFEFF# format: ancora.audit-export/1',
      '# scope: contract PD-SDC-2.0 (c-1) up to seq 9',
      '# exportedAt: 2026-01-15T10:00:00.000Z',
      '# wholeChain: BROKEN (every entry of the whole log recomputed in seq order) intactEntries=2 headSeq=9',
      '# wholeChain.firstBreak: seq 3 (entry e-3) HASH_MISMATCH: entry 3 was changed after it was written',
      '# exportedEntries: LINKED (each exported entry recomputed and linked to entries seq-1 and seq+1 of the full chain) entries=1 notLinked=0',
      '# exportedEntries.firstBreak: none',
      'seq,id,occurredAt,actorId,actorLabel,actorOrganisationId,actorOrganisationCode,action,objectType,objectId,contractId,municipalityId,beforeDigest,afterDigest,prevHash,entryHash,link',
      '',
    ]);
  });

  it('writes an entry as one row with the hashes and its link status', () => {
    expect(csvEntry(entry)).toBe(
      `2,e-2,2026-01-15T10:00:02.000Z,u-1,"'=HYPERLINK(""http://x"",""Rossi, Paolo"")",,,submit,measurement,'+39,c-1,m-1,,${'a'.repeat(64)},${'0'.repeat(64)},${'b'.repeat(64)},OK\r\n`,
    );
  });

  it('streams JSON that parses to { format, scope, exportedAt, verification, entries }', () => {
    const text = jsonPreamble(header) + jsonEntry(entry, true) + jsonEntry({ ...entry, seq: 5, id: 'e-5' }, false) + jsonEnd(true);
    expect(JSON.parse(text)).toEqual({ format: 'ancora.audit-export/1', ...header, entries: [entry, { ...entry, seq: 5, id: 'e-5' }] });
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['format', 'scope', 'exportedAt', 'verification', 'entries']);
    expect(JSON.parse(jsonPreamble(header) + jsonEnd(false))).toMatchObject({ entries: [] });
  });

  it('names the file after the code, the day and the last seq', () => {
    expect(exportFileName(header, 'csv')).toBe('ancora-audit-PD-SDC-2.0-2026-01-15-seq9.csv');
    expect(exportFileName({ ...header, scope: { kind: 'municipality', municipalityId: 'm', municipalityCode: 'C/PD "x"', upToSeq: 0 } }, 'json')).toBe(
      'ancora-audit-C_PD__x_-2026-01-15-seq0.json',
    );
  });
});
