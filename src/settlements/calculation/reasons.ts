import { quotedMoney, quotedNumber, type ReasonLang } from 'src/settlements/calculation/reason-numbers';
import type { CalculationOptions, EvaluatedCheck, MissingPolicy, Reason, ReasonStyle } from 'src/settlements/calculation/settlement.types';

// The sentence a settlement line carries, in Italian and English, built from the numbers it explains.
// Labels and other user-written text are quoted as written; the numbers as the style says:
//
//   PLAIN      (documents of format ancora.settlement/1) the decimal strings as computed, in both languages;
//              only a gate's or guardrail's actual value past 6 decimals is shown "≈" to 4, with a point.
//              Frozen: stored format-1 documents recompute to their hashes with exactly these texts.
//   LOCALISED  (ancora.settlement/2) money grouped with two decimals, other numbers exact up to 6 decimals
//              or "≈" to 4, each language with its own separators (reason-numbers.ts).
//   TRANSLATED (ancora.settlement/3) numbers as LOCALISED; every word in the reason's own language and
//              nothing left as "?": the values a gate or guardrail lacked follow the quoted label ("nessun
//              valore per IND-G1" / "no value for IND-G1"), and a not-assessable value without a sample
//              size or minimum says so ("campione non riportato" / "sample size not reported").
//   PLAIN and LOCALISED are frozen with their formats, "?" and English "; no value for" included.
//
// Example, Bergamo's regional payer: PLAIN "0.30 dei risparmi certificati 657000.00; limitato a 150000.00",
// LOCALISED "0,30 dei risparmi certificati 657.000,00; limitato a 150.000,00".

/** How one style writes, in one language, the numbers a reason quotes. */
interface Quote {
  /** Euros: caps, floors, savings, amounts settled or requested, prices per unit. */
  money(value: string): string;
  /** Achievements, payout factors, thresholds, shares, units, sample sizes. */
  number(value: string): string;
  /** The actual value of a gate or guardrail (a fact, possibly a long ratio). */
  actual(value: string): string;
}

type Quotes = Record<ReasonLang, Quote>;

const asComputed = (value: string): string => value;

const PLAIN: Quote = { money: asComputed, number: asComputed, actual: (v) => quotedNumber(v, 'en') };

function localised(lang: ReasonLang): Quote {
  return { money: (v) => quotedMoney(v, lang), number: (v) => quotedNumber(v, lang), actual: (v) => quotedNumber(v, lang) };
}

const LOCALISED: Quotes = { it: localised('it'), en: localised('en') };

function reasonTexts({ en, it }: Quotes, translated: boolean) {
  const actualOf = (check: EvaluatedCheck): Reason =>
    check.actual === null ? { en: '', it: '' } : { en: `, actual ${en.actual(check.actual)}`, it: `, valore ${it.actual(check.actual)}` };
  // The label a failed gate or guardrail quotes, and what follows it: its actual value, or the values it lacked.
  // Formats 1 and 2 wrote the lacking values into the quoted label, in English in both languages.
  const failedCheck = (check: EvaluatedCheck): { label: Reason; after: Reason } => {
    const missing = (check.missing ?? []).join(', ');
    if (missing === '') return { label: { en: check.label, it: check.label }, after: actualOf(check) };
    if (!translated) {
      const label = `${check.label}; no value for ${missing}`;
      return { label: { en: label, it: label }, after: actualOf(check) };
    }
    return { label: { en: check.label, it: check.label }, after: { en: `, no value for ${missing}`, it: `, nessun valore per ${missing}` } };
  };
  // Formats 1 and 2 wrote "?" for a sample size or minimum that was not there.
  const sample = (n: string | null, q: Quote): string => (n === null ? '?' : q.number(n));
  return {
    paid: (a: string, factor: string, threshold: string | null): Reason => ({
      en:
        threshold === null
          ? `paid: achievement ${en.number(a)}, payout ${en.number(factor)}`
          : `paid: achievement ${en.number(a)} >= threshold ${en.number(threshold)}, payout ${en.number(factor)}`,
      it:
        threshold === null
          ? `pagato: raggiungimento ${it.number(a)}, quota ${it.number(factor)}`
          : `pagato: raggiungimento ${it.number(a)} >= soglia ${it.number(threshold)}, quota ${it.number(factor)}`,
    }),
    perUnit: (units: string, price: string): Reason => ({
      en: `paid: ${en.number(units)} units above baseline x ${en.money(price)}`,
      it: `pagato: ${it.number(units)} unità oltre la baseline x ${it.money(price)}`,
    }),
    belowThreshold: (a: string, threshold: string | null): Reason => ({
      en:
        threshold === null
          ? `not paid: achievement ${en.number(a)} pays nothing`
          : `not paid: achievement ${en.number(a)} below threshold ${en.number(threshold)}`,
      it:
        threshold === null
          ? `non pagato: raggiungimento ${it.number(a)} non dà diritto a quota`
          : `non pagato: raggiungimento ${it.number(a)} sotto la soglia ${it.number(threshold)}`,
    }),
    gateFailed: (gate: EvaluatedCheck): Reason => {
      const { label, after } = failedCheck(gate);
      return { en: `not paid: gate '${label.en}' failed${after.en}`, it: `non pagato: condizione '${label.it}' non soddisfatta${after.it}` };
    },
    suspended: (guardrail: EvaluatedCheck): Reason => {
      const { label, after } = failedCheck(guardrail);
      return { en: `suspended: guardrail '${label.en}' failed${after.en}`, it: `sospeso: salvaguardia '${label.it}' non rispettata${after.it}` };
    },
    missing: (what: { en: string; it: string }, policy: MissingPolicy): Reason =>
      policy === 'ZERO'
        ? { en: `not paid: ${what.en} (policy ZERO)`, it: `non pagato: ${what.it} (politica ZERO)` }
        : {
            en: `excluded: ${what.en} (policy EXCLUDE_AND_REWEIGHT), its weight goes to the other terms`,
            it: `escluso: ${what.it} (politica EXCLUDE_AND_REWEIGHT), il suo peso passa agli altri termini`,
          },
    noValue: { en: 'no accepted value', it: 'nessun valore accettato' },
    noTarget: (): Reason => ({
      en: 'not paid: no target (or baseline) for this period, the value is recorded only',
      it: 'non pagato: nessun obiettivo (o baseline) per questo periodo, il valore è solo registrato',
    }),
    notAssessable: (n: string | null, minimum: string | null): Reason => {
      if (!translated || (n !== null && minimum !== null)) {
        return {
          en: `not assessable, sample ${sample(n, en)} below minimum ${sample(minimum, en)}`,
          it: `non valutabile, campione ${sample(n, it)} sotto il minimo ${sample(minimum, it)}`,
        };
      }
      // No minimum: the indicator is not a survey, so a member reported the value not assessable.
      if (minimum === null) {
        return n === null
          ? { en: 'reported not assessable, sample size not reported', it: 'dichiarato non valutabile, campione non riportato' }
          : { en: `reported not assessable, sample ${en.number(n)}`, it: `dichiarato non valutabile, campione ${it.number(n)}` };
      }
      return {
        en: `not assessable, sample size not reported, minimum ${en.number(minimum)}`,
        it: `non valutabile, campione non riportato, minimo ${it.number(minimum)}`,
      };
    },
    capped: (r: Reason, cap: string): Reason => ({ en: `${r.en}; capped at ${en.money(cap)}`, it: `${r.it}; limitato a ${it.money(cap)}` }),
    floored: (r: Reason, floor: string): Reason => ({ en: `${r.en}; raised to floor ${en.money(floor)}`, it: `${r.it}; portato al minimo ${it.money(floor)}` }),
    groupingCap: (cap: string): Reason => ({
      en: `grouping cap for the period ${en.money(cap)}`,
      it: `tetto del raggruppamento per il periodo ${it.money(cap)}`,
    }),
    groupingFloor: (floor: string): Reason => ({
      en: `grouping floor for the period ${en.money(floor)}`,
      it: `minimo del raggruppamento per il periodo ${it.money(floor)}`,
    }),
    shadow: (): Reason => ({ en: 'shadow period: computed for information, not payable', it: 'periodo ombra: calcolato a titolo informativo, non pagabile' }),
    milestone: (label: string, achieved: boolean): Reason =>
      achieved
        ? { en: `milestone reached: ${label}`, it: `traguardo raggiunto: ${label}` }
        : { en: `milestone not reached: ${label}`, it: `traguardo non raggiunto: ${label}` },
    lifetimeCap: (cap: string, before: string, remaining: string): Reason => ({
      en: `lifetime cap ${en.money(cap)}, already settled ${en.money(before)}, remaining ${en.money(remaining)}`,
      it: `tetto per l'intera durata ${it.money(cap)}, già liquidato ${it.money(before)}, residuo ${it.money(remaining)}`,
    }),
    poolCap: (cap: string, requested: string): Reason => ({
      en: `pool cap ${en.money(cap)} across groupings (requested ${en.money(requested)}): reduced pro rata`,
      it: `tetto complessivo ${it.money(cap)} tra i raggruppamenti (richiesto ${it.money(requested)}): ridotto in proporzione`,
    }),
    poolCommitted: (cap: string, others: string, remaining: string): Reason => ({
      en: `pool cap ${en.money(cap)}: other groupings hold ${en.money(others)} (approved settlements in force included), limited to the remaining ${en.money(remaining)}`,
      it: `tetto complessivo ${it.money(cap)}: gli altri raggruppamenti ne impegnano ${it.money(others)} (comprese le liquidazioni approvate in vigore), limitato al residuo ${it.money(remaining)}`,
    }),
    evaluationPaid: (label: string, share: string, savings: string): Reason => ({
      en: `paid by ${label}: evaluation found a significant impact, ${en.number(share)} of certified savings ${en.money(savings)}`,
      it: `pagato da ${label}: la valutazione ha rilevato un impatto significativo, ${it.number(share)} dei risparmi certificati ${it.money(savings)}`,
    }),
    evaluationNotSignificant: (label: string): Reason => ({
      en: `not paid by ${label}: the evaluation found no significant impact`,
      it: `non pagato da ${label}: la valutazione non ha rilevato un impatto significativo`,
    }),
    evaluationMissing: (label: string): Reason => ({
      en: `not paid by ${label}: no evaluation record for the period`,
      it: `non pagato da ${label}: nessun esito di valutazione per il periodo`,
    }),
  };
}

export type Reasons = ReturnType<typeof reasonTexts>;

const BY_STYLE: Record<ReasonStyle, Reasons> = {
  PLAIN: reasonTexts({ it: PLAIN, en: PLAIN }, false),
  LOCALISED: reasonTexts(LOCALISED, false),
  TRANSLATED: reasonTexts(LOCALISED, true),
};

/** The reason texts of a style; the calculation's options choose it (TRANSLATED unless told). */
export function reasonsFor(options: CalculationOptions): Reasons {
  return BY_STYLE[options.reasons ?? 'TRANSLATED'];
}
