import { renderSettlementCsv } from 'src/reports/settlement-csv';
import { FIXTURE_APPROVED_AT, FIXTURE_APPROVER, FIXTURE_COMPUTED_AT, fixtureStatus, padovaCaseADocument, padovaReopenedDocument } from 'src/reports/testing/settlement-document.fixture';
import type { SettlementDocument } from 'src/settlements/settlement-document';

// Padova Case A (RTI-A, Y2) as the CSV an accounting office opens in a spreadsheet.

const BOM = '\uFEFF';

function csvLines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.slice(0, -2).split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
  return text.slice(0, -2).split('\r\n');
}

const draft = fixtureStatus('DRAFT');

describe('Settlement CSV: one row per line, Italian and international profiles, formula-safe', () => {
  const doc = padovaCaseADocument();
  const hash = doc.manifest.documentHash;
  // What every row of a draft ends with (Italian profile): document hash, version, state, computed at and by,
  // approved at and by (empty), superseded by (empty).
  const draftTail = `${hash};1;DRAFT;${FIXTURE_COMPUTED_AT};Maria Rossi (contract_manager, C-PADOVA);;;`;

  it('Italian profile: BOM, semicolons, decimal commas, CRLF, the hash on top and in every row', () => {
    const bytes = renderSettlementCsv(doc, { profile: 'it', lang: 'it', status: draft });
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csvLines(bytes);
    expect(lines[0]).toBe(`${BOM}# ancora.settlement/3 id=${doc.id} version=1 documentHash=${hash} state=DRAFT`);
    expect(lines[1]).toBe(
      'record;voce;indicatore;descrizione;misurazioni (ente v. versione id);baseline;target;valore rilevato;raggiungimento;quota di pagamento;' +
        'peso;peso effettivo;condizioni e tetti applicati;importo prima;importo;stato;motivazione;hash del documento;' +
        'versione della liquidazione;stato della liquidazione;calcolata il;calcolata da;approvata il;approvata da;sostituita dalla versione',
    );
    expect(lines[2]).toBe(
      "LINE;T1;IND-01;Quota di risorse non pubbliche sul totale delle risorse gestite dall'RTI nel progetto;" +
        `ETS-AURORA v2 7d2e0c55-0000-4000-8000-000000000001;8,0;12,0;11,0;0,75;0,75;0,20;0,2;;;4800;PAID;pagato: raggiungimento 0,75 >= soglia 0,5, quota 0,75;${draftTail}`,
    );
    // IND-04 has no baseline (a level indicator): an empty cell, not a zero.
    expect(lines[5]).toBe(
      `LINE;T4;IND-04;Partecipanti soddisfatti (voto >= 4 su scala 1-5);ETS-AURORA v1 7d2e0c55-0000-4000-8000-000000000007;;80,0;76,0;0,95;0,95;0,15;0,15;;;4560;PAID;pagato: raggiungimento 0,95 >= soglia 0,5, quota 0,95;${draftTail}`,
    );
    expect(lines.slice(2).every((l) => l.endsWith(`;${draftTail}`))).toBe(true);
  });

  it('has one LINE row per settlement line, then totals and the 50/30/20 allocation in the amount column', () => {
    const lines = csvLines(renderSettlementCsv(doc, { profile: 'it', lang: 'it', status: draft }));
    const records = lines.slice(2).map((l) => l.split(';').slice(0, 2).join(' '));
    expect(records).toEqual([
      'LINE T1',
      'LINE T2',
      'LINE T3',
      'LINE T4',
      'LINE T5',
      'TOTAL AT_RISK',
      'TOTAL PREMIUM_EXACT',
      'TOTAL PREMIUM',
      'TOTAL PAYABLE',
      'TOTAL WITHHELD',
      'ALLOCATION ETS-AURORA',
      'ALLOCATION ETS-BORGO-VIVO',
      'ALLOCATION ETS-CICLAMINO',
    ]);
    expect(lines).toContain(`TOTAL;PREMIUM;;Premio;;;;;;;;;;;18960,00;;HALF_UP 0.01;${draftTail}`);
    expect(lines).toContain(`TOTAL;WITHHELD;;Trattenuto;;;;;;;;;;;13040,00;;;${draftTail}`);
    expect(lines).toContain(`ALLOCATION;ETS-BORGO-VIVO;;Cooperativa Sociale Borgo Vivo (fittizia);;;;;;;0,30;;;5688;5688,00;;;${draftTail}`);
    // The same number of fields on every row: one rectangular table.
    expect(new Set(lines.slice(1).map((l) => l.split(';').length))).toEqual(new Set([25]));
  });

  it('international profile: commas, decimal points, no BOM, English headers and reasons, RFC 4180 quoting', () => {
    const bytes = renderSettlementCsv(doc, { profile: 'intl', lang: 'en', status: draft });
    expect(bytes[0]).toBe(0x23); // '#', no BOM
    const lines = csvLines(bytes);
    expect(lines[1].startsWith('record,item,indicator,label,measurements (organisation v. version id),baseline,target,actual,')).toBe(true);
    expect(lines[1].endsWith(',document hash,settlement version,settlement state,computed at,computed by,approved at,approved by,superseded by version')).toBe(true);
    expect(lines[2]).toBe(
      'LINE,T1,IND-01,Share of non-public resources in all resources the RTI manages in the project,' +
        `ETS-AURORA v2 7d2e0c55-0000-4000-8000-000000000001,8.0,12.0,11.0,0.75,0.75,0.20,0.2,,,4800,PAID,"paid: achievement 0.75 >= threshold 0.5, payout 0.75",` +
        `${hash},1,DRAFT,${FIXTURE_COMPUTED_AT},"Maria Rossi (contract_manager, C-PADOVA)",,,`,
    );
    // A label with commas and double quotes is quoted, its quotes doubled.
    expect(lines[6]).toContain(
      ',IND-05,"Share of over-60 residents of the area ""known"" to the network (at least one contact recorded with consent in the period)",',
    );
    expect(lines).toContain(`TOTAL,PREMIUM,,Premium,,,,,,,,,,,18960.00,,HALF_UP 0.01,${hash},1,DRAFT,${FIXTURE_COMPUTED_AT},"Maria Rossi (contract_manager, C-PADOVA)",,,`);
  });

  it('neutralises text a spreadsheet would run as a formula, but keeps negative decimals as numbers', () => {
    const hostile: SettlementDocument = structuredClone(doc);
    hostile.inputs.indicators[0].labelEn = '=HYPERLINK("http://evil.example","click")';
    hostile.result.lines[0].reason.en = '-2+3 looks like a formula';
    hostile.result.lines[1].reason.en = '@SUM(A1)';
    hostile.result.lines[2].reason.en = '\tTAB';
    hostile.result.lines[0].baseline = '-0.5';
    hostile.result.lines[0].achievement = '-1.25';

    const en = csvLines(renderSettlementCsv(hostile, { profile: 'intl', lang: 'en', status: draft }));
    expect(en[2]).toBe(
      `LINE,T1,IND-01,"'=HYPERLINK(""http://evil.example"",""click"")",ETS-AURORA v2 7d2e0c55-0000-4000-8000-000000000001,-0.5,12.0,11.0,-1.25,0.75,0.20,0.2,,,4800,PAID,'-2+3 looks like a formula,${hash},1,DRAFT,` +
        `${FIXTURE_COMPUTED_AT},"Maria Rossi (contract_manager, C-PADOVA)",,,`,
    );
    expect(en[3]).toContain(",PAID,'@SUM(A1),");
    expect(en[4]).toContain(",PAID,'\tTAB,");

    const it = csvLines(renderSettlementCsv(hostile, { profile: 'it', lang: 'en', status: draft }));
    expect(it[2]).toContain(';-0,5;12,0;11,0;-1,25;0,75;');
    expect(it[2]).toContain(';PAID;\'-2+3 looks like a formula;');
    // An approver's label is text like any other.
    const approvedBy = csvLines(renderSettlementCsv(hostile, { profile: 'it', lang: 'en', status: { ...fixtureStatus('APPROVED'), approvedBy: '=1+2' } }));
    expect(approvedBy[2].endsWith(`;${FIXTURE_APPROVED_AT};'=1+2;`)).toBe(true);
  });

  it('refuses a number cell that is not a decimal string instead of writing it as text', () => {
    const broken: SettlementDocument = structuredClone(doc);
    broken.result.lines[0].amount = '1e3';
    expect(() => renderSettlementCsv(broken, { profile: 'intl', lang: 'en', status: draft })).toThrow('not a decimal string: "1e3"');
  });

  it('writes the adjustments and evaluation payments of a reopened version as their own records', () => {
    const v2 = padovaReopenedDocument();
    const h = `${v2.manifest.documentHash},2,DRAFT,2026-09-03T14:00:00.000Z,"Maria Rossi (contract_manager, C-PADOVA)",,,`;
    const lines = csvLines(renderSettlementCsv(v2, { profile: 'intl', lang: 'it', status: draft }));
    expect(lines).toContain(`ADJUSTMENT,GROUPING_CAP,,Tetto del raggruppamento,,,,,,,,,,23440,20000.00,,"tetto del raggruppamento per il periodo 20.000,00",${h}`);
    expect(lines).toContain(
      'EVALUATION,EV-FOND,FOND-CARIPARO,Fondazione Cassa di Risparmio (fittizia),,,,,,,0.25,,cap 8000.00,10000,8000.00,SIGNIFICANT,' +
        `"pagato da Fondazione Cassa di Risparmio (fittizia): la valutazione ha rilevato un impatto significativo, 0,25 dei risparmi certificati 40.000,00; limitato a 8.000,00",${h}`,
    );
    expect(lines).toContain(`TOTAL,PAYABLE,,Da pagare,,,,,,,,,,,20000.00,,LIVE,${h}`);
  });

  it('says an approved settlement is APPROVED, when and by whom, on top and in every row; the draft\'s file differs', () => {
    const approved = renderSettlementCsv(doc, { profile: 'intl', lang: 'en', status: fixtureStatus('APPROVED') });
    const lines = csvLines(approved);
    expect(lines[0]).toBe(`# ancora.settlement/3 id=${doc.id} version=1 documentHash=${hash} state=APPROVED`);
    // The approver's label has a comma: quoted, so the columns stay where they are.
    const approvedTail = `,1,APPROVED,${FIXTURE_COMPUTED_AT},"Maria Rossi (contract_manager, C-PADOVA)",${FIXTURE_APPROVED_AT},"${FIXTURE_APPROVER}",`;
    expect(lines.slice(2)).toHaveLength(13);
    expect(lines.slice(2).every((l) => l.endsWith(`,${hash}${approvedTail}`))).toBe(true);
    // Same document, same lines and amounts: only the comment's state and the state columns tell them apart.
    const asDraft = csvLines(renderSettlementCsv(doc, { profile: 'intl', lang: 'en', status: draft }));
    const draftTail = `,1,DRAFT,${FIXTURE_COMPUTED_AT},"Maria Rossi (contract_manager, C-PADOVA)",,,`;
    expect(asDraft.slice(2).every((l) => l.endsWith(draftTail))).toBe(true);
    const withoutState = (ls: string[], state: string, tail: string): string[] => [ls[0].replace(` state=${state}`, ''), ls[1], ...ls.slice(2).map((l) => l.slice(0, -tail.length))];
    expect(withoutState(asDraft, 'DRAFT', draftTail)).toEqual(withoutState(lines, 'APPROVED', approvedTail));
    expect(approved.equals(renderSettlementCsv(doc, { profile: 'intl', lang: 'en', status: draft }))).toBe(false);
  });

  it('says a superseded settlement is SUPERSEDED and which version replaced it, keeping its own approval', () => {
    const lines = csvLines(renderSettlementCsv(doc, { profile: 'it', lang: 'it', status: fixtureStatus('SUPERSEDED') }));
    expect(lines[0].endsWith(' state=SUPERSEDED')).toBe(true);
    expect(lines.slice(2).every((l) => l.endsWith(`;${hash};1;SUPERSEDED;${FIXTURE_COMPUTED_AT};Maria Rossi (contract_manager, C-PADOVA);${FIXTURE_APPROVED_AT};${FIXTURE_APPROVER};2`))).toBe(true);
  });
});
