import { conditionTraceText } from 'src/reports/condition-trace-text';

describe('condition trace entries in a report: Italian words, the stored values untouched', () => {
  it.each([
    ['all of 5 is false', 'tutte e 5: falso'],
    ['all of 1 is true', 'tutte e 1: vero'],
    ['any of 2 is true', 'almeno una di 2: vero'],
    ['not is false', 'non: falso'],
    ['IND-G1 8 >= 10 is false', 'IND-G1 8 >= 10: falso'],
    ['IND-02.accepted 0 = 1 is false', 'IND-02.accepted 0 = 1: falso'],
    [
      'IND-03.TARGET_GROUP.UNDER60.share 0.17962962962962962962962962962962962962962962962963 >= 0.15 is true',
      'IND-03.TARGET_GROUP.UNDER60.share 0.17962962962962962962962962962962962962962962962963 >= 0.15: vero',
    ],
    ['IND-01 12 > IND-01.baseline 10 is true', 'IND-01 12 > IND-01.baseline 10: vero'],
    ['no value for IND-G1: cannot hold', 'nessun valore per IND-G1: non può essere rispettata'],
    ['no value for IND-G1, IND-02: cannot hold', 'nessun valore per IND-G1, IND-02: non può essere rispettata'],
  ])('%s -> %s', (stored, shown) => {
    expect(conditionTraceText(stored, 'it')).toBe(shown);
  });

  it('keeps a fact whose name reads like a group label as a comparison', () => {
    // Only the whole subject "all of N" is a group; a comparison merely starting with it is not.
    expect(conditionTraceText('all of 2 5 = 5 is true', 'it')).toBe('all of 2 5 = 5: vero');
  });

  it('shows a text in no known shape as stored', () => {
    expect(conditionTraceText('something else', 'it')).toBe('something else');
    expect(conditionTraceText('IND-01 1 = 1 is maybe', 'it')).toBe('IND-01 1 = 1 is maybe');
  });

  it('leaves English reports exactly as the document stores them', () => {
    for (const entry of ['all of 5 is false', 'IND-G1 8 >= 10 is false', 'no value for IND-G1: cannot hold']) {
      expect(conditionTraceText(entry, 'en')).toBe(entry);
    }
  });
});
