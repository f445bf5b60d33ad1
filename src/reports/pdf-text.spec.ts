import PDFDocument from 'pdfkit';
import { printableText, winAnsiText } from 'src/reports/pdf-text';

describe('text the standard PDF fonts can print', () => {
  it('keeps Italian, Latin-1 and the WinAnsi extras as they are', () => {
    const italian = 'Città – «Sviluppo di Comunità 2.0» … 18.960,00 € • l’ente “capofila” ß ø ÿ';
    expect(winAnsiText(italian)).toBe(italian);
    expect(winAnsiText('riga 1\nriga 2')).toBe('riga 1\nriga 2');
  });

  it('spells the symbols reasons and labels use, so a rounded number reads ~0,9203, not "H0,9203', () => {
    expect(winAnsiText('pagato: raggiungimento ≈0,9203 ≥ soglia 0,5')).toBe('pagato: raggiungimento ~0,9203 >= soglia 0,5');
    expect(winAnsiText('a ≤ b, a ≠ c, x → y, −3')).toBe('a <= b, a != c, x -> y, -3');
  });

  it('drops a mark WinAnsi lacks and turns the rest into ?', () => {
    expect(winAnsiText('Dvořák Łódź Ödön Erdős Čapek')).toBe('Dvorák Lódz Ödön Erdos Capek');
    expect(winAnsiText('合作社 🙂')).toBe('??? ?');
  });

  it('applies to everything a document draws and measures', () => {
    const doc = printableText(new PDFDocument({ autoFirstPage: true }));
    doc.font('Helvetica').fontSize(10);
    expect(doc.widthOfString('≈1')).toBe(doc.widthOfString('~1'));
    expect(doc.heightOfString('≥ '.repeat(200), { width: 100 })).toBe(doc.heightOfString('>= '.repeat(200), { width: 100 }));
    expect(() => doc.text('≈0,9203', 50, 50)).not.toThrow();
    doc.end();
  });
});
