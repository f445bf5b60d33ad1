import { EvaluatedCheck, MissingPolicy, Reason } from 'src/settlements/calculation/settlement.types';

// The sentence a settlement line carries, in Italian and English, built from the numbers it explains.

function actualOf(check: EvaluatedCheck): { en: string; it: string } {
  return check.actual === null ? { en: '', it: '' } : { en: `, actual ${check.actual}`, it: `, valore ${check.actual}` };
}

export const reasons = {
  paid: (a: string, factor: string, threshold: string | null): Reason => ({
    en: threshold === null ? `paid: achievement ${a}, payout ${factor}` : `paid: achievement ${a} >= threshold ${threshold}, payout ${factor}`,
    it:
      threshold === null
        ? `pagato: raggiungimento ${a}, quota ${factor}`
        : `pagato: raggiungimento ${a} >= soglia ${threshold}, quota ${factor}`,
  }),
  perUnit: (units: string, price: string): Reason => ({
    en: `paid: ${units} units above baseline x ${price}`,
    it: `pagato: ${units} unità oltre la baseline x ${price}`,
  }),
  belowThreshold: (a: string, threshold: string | null): Reason => ({
    en: threshold === null ? `not paid: achievement ${a} pays nothing` : `not paid: achievement ${a} below threshold ${threshold}`,
    it: threshold === null ? `non pagato: raggiungimento ${a} non dà diritto a quota` : `non pagato: raggiungimento ${a} sotto la soglia ${threshold}`,
  }),
  gateFailed: (gate: EvaluatedCheck): Reason => ({
    en: `not paid: gate '${gate.label}' failed${actualOf(gate).en}`,
    it: `non pagato: condizione '${gate.label}' non soddisfatta${actualOf(gate).it}`,
  }),
  suspended: (guardrail: EvaluatedCheck): Reason => ({
    en: `suspended: guardrail '${guardrail.label}' failed${actualOf(guardrail).en}`,
    it: `sospeso: salvaguardia '${guardrail.label}' non rispettata${actualOf(guardrail).it}`,
  }),
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
  notAssessable: (n: string | null, minimum: string | null) => ({
    en: `not assessable, sample ${n ?? '?'} below minimum ${minimum ?? '?'}`,
    it: `non valutabile, campione ${n ?? '?'} sotto il minimo ${minimum ?? '?'}`,
  }),
  capped: (r: Reason, cap: string): Reason => ({ en: `${r.en}; capped at ${cap}`, it: `${r.it}; limitato a ${cap}` }),
  floored: (r: Reason, floor: string): Reason => ({ en: `${r.en}; raised to floor ${floor}`, it: `${r.it}; portato al minimo ${floor}` }),
  groupingCap: (cap: string): Reason => ({ en: `grouping cap for the period ${cap}`, it: `tetto del raggruppamento per il periodo ${cap}` }),
  groupingFloor: (floor: string): Reason => ({ en: `grouping floor for the period ${floor}`, it: `minimo del raggruppamento per il periodo ${floor}` }),
  shadow: (): Reason => ({ en: 'shadow period: computed for information, not payable', it: 'periodo ombra: calcolato a titolo informativo, non pagabile' }),
  milestone: (label: string, achieved: boolean): Reason =>
    achieved
      ? { en: `milestone reached: ${label}`, it: `traguardo raggiunto: ${label}` }
      : { en: `milestone not reached: ${label}`, it: `traguardo non raggiunto: ${label}` },
  lifetimeCap: (cap: string, before: string, remaining: string): Reason => ({
    en: `lifetime cap ${cap}, already settled ${before}, remaining ${remaining}`,
    it: `tetto per l'intera durata ${cap}, già liquidato ${before}, residuo ${remaining}`,
  }),
  poolCap: (cap: string, requested: string): Reason => ({
    en: `pool cap ${cap} across groupings (requested ${requested}): reduced pro rata`,
    it: `tetto complessivo ${cap} tra i raggruppamenti (richiesto ${requested}): ridotto in proporzione`,
  }),
  evaluationPaid: (label: string, share: string, savings: string): Reason => ({
    en: `paid by ${label}: evaluation found a significant impact, ${share} of certified savings ${savings}`,
    it: `pagato da ${label}: la valutazione ha rilevato un impatto significativo, ${share} dei risparmi certificati ${savings}`,
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
