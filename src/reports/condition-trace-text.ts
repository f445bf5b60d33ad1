import type { ReportLang } from 'src/reports/report-text';

// A condition trace entry as a settlement document stores it (src/rules/condition.compiler.ts `trace`,
// src/settlements/engine/settlement-engine.ts for a condition missing a value) is English and part of the
// hashed result, so it never changes. A report in Italian shows it in Italian: only the words are
// translated; fact names, the values read, the operators and the literals are printed exactly as stored.
//
//   all of 3 is true                        tutte e 3: vero
//   any of 2 is false                       almeno una di 2: falso
//   not is true                             non: vero
//   IND-G1 8 >= 10 is false                 IND-G1 8 >= 10: falso
//   no value for IND-G1, IND-02: cannot hold   nessun valore per IND-G1, IND-02: non può essere rispettata
//
// A text in none of these shapes is shown as stored.

const VERDICT = / is (true|false)$/;
const GROUP = /^(all|any) of (\d+)$/;
const MISSING = /^no value for (.+): cannot hold$/;

function italian(entry: string): string {
  const missing = MISSING.exec(entry);
  if (missing !== null) return `nessun valore per ${missing[1]}: non può essere rispettata`;
  const verdict = VERDICT.exec(entry);
  if (verdict === null) return entry;
  const subject = entry.slice(0, verdict.index);
  const truth = verdict[1] === 'true' ? 'vero' : 'falso';
  if (subject === 'not') return `non: ${truth}`;
  const group = GROUP.exec(subject);
  if (group !== null) return `${group[1] === 'all' ? 'tutte e' : 'almeno una di'} ${group[2]}: ${truth}`;
  return `${subject}: ${truth}`;
}

/** One trace entry as a report in `lang` shows it. */
export function conditionTraceText(entry: string, lang: ReportLang): string {
  return lang === 'it' ? italian(entry) : entry;
}
