import { Dec, dec } from 'src/common/decimal/decimal';
import { groupedDecimal, SEPARATORS, type TextLang } from 'src/common/decimal/decimal-text';

// How a settlement reason quotes a number for people (formats ancora.settlement/2 and /3). Only the sentence
// changes: every amount and field of the document keeps its exact decimal string. Works on the strings
// with decimal.js, never through a JS number.
//
//   money    grouped, at least two decimals     "120000.00" -> "120.000,00" (it), "120,000.00" (en)
//   number   exact up to 6 decimals, else "≈" and half-up to 4 decimals, never grouped
//            "0.12" -> "0,12" (it); "1.0555555555555555555555555555555555555555555555556" -> "≈1,0556" (it), "≈1.0556" (en)

export type ReasonLang = TextLang;

/** Most decimal places a number is quoted with exactly; beyond, it is rounded for reading. */
const EXACT_PLACES = 6;
const ROUNDED_PLACES = 4;

/**
 * A ratio, factor, threshold, share, count or measured value: as written when it has at most 6 decimal
 * places, else "≈" and the value rounded half-up to 4 places (trailing zeros dropped). In English this is
 * exactly what format 1 quoted for the actual value of a failed gate or guardrail.
 */
export function quotedNumber(value: string, lang: ReasonLang): string {
  const v = dec(value);
  const plain = v.decimalPlaces() <= EXACT_PLACES ? value : `≈${v.toDecimalPlaces(ROUNDED_PLACES, Dec.ROUND_HALF_UP).toString()}`;
  return lang === 'en' ? plain : plain.replace('.', SEPARATORS[lang].decimal);
}

/** Euros: thousands grouped, two decimals ("850" -> "850,00"); more only if the amount has them, never rounded. */
export function quotedMoney(value: string, lang: ReasonLang): string {
  const v = dec(value);
  return groupedDecimal(v.decimalPlaces() <= 2 ? v.toFixed(2) : v.toFixed(), lang);
}
