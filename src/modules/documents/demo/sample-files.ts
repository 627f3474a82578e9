/**
 * Small, valid files made in code for the demo and the tests: a one-page PDF with a title and
 * lines of text (Helvetica, WinAnsi encoding, so French accents and dashes print), and UTF-8 text.
 */

/** WinAnsi (cp1252) code for the characters outside Latin-1 that French text uses. */
const WIN_ANSI: Record<string, number> = { '€': 0x80, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94, '–': 0x96, '—': 0x97, 'œ': 0x9c, 'Œ': 0x8c };

function pdfString(text: string): string {
  const bytes = [...text].map((ch) => WIN_ANSI[ch] ?? (ch.charCodeAt(0) <= 0xff ? ch.charCodeAt(0) : 0x3f));
  return `<${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}>`;
}

/** A one-page A4 PDF: a bold title then one line of text per entry (an empty entry skips a line). */
export function simplePdf(title: string, lines: readonly string[]): Buffer {
  const text = [
    `BT /F2 18 Tf 56 780 Td ${pdfString(title)} Tj ET`,
    ...lines.map((line, i) => `BT /F1 12 Tf 56 ${740 - i * 18} Td ${pdfString(line)} Tj ET`),
  ].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** UTF-8 text with Windows line endings, as a teacher's notepad would save it. */
export function textFile(lines: readonly string[]): Buffer {
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8');
}
