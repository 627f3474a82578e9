/**
 * Step 1 of an import: text → rows of named cells, with the 1-based physical line of each row.
 * Only the shape of the file is checked here (encoding, header, number of rows); the meaning of
 * the cells is checked by validate-rows.ts.
 */
import { CsvError, parse } from 'csv-parse/sync';
import type { TImportIssue } from '../schools.schemas.ts';
import { COLUMNS, MAX_ROWS, REQUIRED_COLUMNS, importFailed, issue, parseColumnName, type Column } from './import-format.ts';

export interface RawRow {
  /** Physical line where the row starts (the header is line 1). */
  readonly line: number;
  /** Trimmed cells of the known columns present in the header. */
  readonly cells: ReadonlyMap<Column, string>;
}

export interface ParsedCsv {
  readonly separator: ';' | ',';
  readonly columns: ReadonlySet<Column>;
  readonly rows: readonly RawRow[];
  /** Header and shape problems; the rows are still worth validating. */
  readonly issues: readonly TImportIssue[];
}

interface Record {
  record: string[];
  info: { lines: number };
}

/**
 * Decodes uploaded bytes as UTF-8 (a BOM is dropped). Throws UNPROCESSABLE when the bytes are
 * not UTF-8, which is what a spreadsheet saved as « CSV (séparateur : point-virgule) » in
 * Windows-1252 gives: the message says how to save the file again.
 */
export function decodeCsvBuffer(bytes: Uint8Array): string {
  try {
    return stripBom(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw importFailed([
      issue(1, null, "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » puis recommencez."),
    ]);
  }
}

/** Drops a leading byte order mark (Excel writes one in « CSV UTF-8 »). */
export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

/** `;` or `,`: whichever the header line holds more of (`;` on a tie, the French default). */
export function detectSeparator(text: string): ';' | ',' {
  const end = text.indexOf('\n');
  const header = end < 0 ? text : text.slice(0, end);
  const count = (ch: string): number => header.split(ch).length - 1;
  return count(',') > count(';') ? ',' : ';';
}

/**
 * Parses the whole file. Throws UNPROCESSABLE only when nothing can be read (empty file, broken
 * quoting, too many rows); otherwise returns the rows with the header's problems.
 */
export function parseCsv(input: string): ParsedCsv {
  const text = stripBom(input);
  if (!text.trim()) throw importFailed([issue(1, null, "Le fichier est vide : il faut une ligne d'en-tête puis une ligne par personne.")]);
  const garbled = text.indexOf('\uFFFD');
  if (garbled >= 0) {
    const line = text.slice(0, garbled).split('\n').length;
    throw importFailed([issue(line, null, "Caractère illisible : le fichier n'est sans doute pas encodé en UTF-8 ; enregistrez-le au format « CSV UTF-8 » puis recommencez.")]);
  }
  const separator = detectSeparator(text);
  const records = readRecords(text, separator);
  const [header, ...body] = records;
  if (!header) throw importFailed([issue(1, null, 'Le fichier est vide.')]);
  const dataRows = body.filter((r) => r.record.some((cell) => cell.trim() !== ''));
  if (dataRows.length > MAX_ROWS) {
    throw importFailed([
      issue(1, null, `Le fichier contient ${dataRows.length} lignes de données ; la limite est de ${MAX_ROWS} : découpez-le en plusieurs fichiers.`),
    ]);
  }
  const { byIndex, issues } = readHeader(header.record);
  if (dataRows.length === 0) issues.push(issue(1, null, "Le fichier ne contient que l'en-tête : aucune personne à importer."));
  const rows = dataRows.map((r) => toRow(r, byIndex, issues));
  return { separator, columns: new Set(byIndex.filter((c): c is Column => c !== 'ignored' && c !== 'unnamed')), rows, issues };
}

function readRecords(text: string, separator: string): Record[] {
  try {
    return parse(text, {
      delimiter: separator,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }) as unknown as Record[];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? error.lines : 1;
    throw importFailed([issue(line, null, `Fichier CSV illisible (${error.message}) : vérifiez les guillemets de cette ligne.`)]);
  }
}

/** What a header cell names: a column, a column we report and skip, or nothing. */
type Slot = Column | 'ignored' | 'unnamed';

function readHeader(cells: readonly string[]): { byIndex: Slot[]; issues: TImportIssue[] } {
  const issues: TImportIssue[] = [];
  const byIndex: Slot[] = [];
  const seen = new Set<Column>();
  for (const cell of cells) {
    const name = cell.trim();
    const column = name ? parseColumnName(name) : null;
    if (name && !column) issues.push(issue(1, null, `Colonne inconnue « ${name} » : colonnes possibles ${COLUMNS.join(', ')}.`));
    if (column && seen.has(column)) issues.push(issue(1, column, `La colonne ${column} apparaît deux fois dans l'en-tête.`));
    byIndex.push(!name ? 'unnamed' : column && !seen.has(column) ? column : 'ignored');
    if (column) seen.add(column);
  }
  for (const column of REQUIRED_COLUMNS) {
    if (!seen.has(column)) {
      issues.push(issue(1, column, `Colonne obligatoire absente : ${column} (en-tête attendu : ${COLUMNS.join(';')}).`));
    }
  }
  return { byIndex, issues };
}

function toRow(r: Record, byIndex: readonly Slot[], issues: TImportIssue[]): RawRow {
  const newlinesInside = r.record.reduce((n, cell) => n + (cell.match(/\n/g)?.length ?? 0), 0);
  const line = r.info.lines - newlinesInside;
  const cells = new Map<Column, string>();
  let stray = false;
  r.record.forEach((cell, index) => {
    const slot = byIndex[index] ?? 'unnamed';
    const value = cell.trim();
    if (slot === 'unnamed') stray ||= value !== '';
    else if (slot !== 'ignored') cells.set(slot, value);
  });
  if (stray) issues.push(issue(line, null, "Cette ligne a une valeur dans une colonne sans nom d'en-tête (séparateur en trop ?)."));
  return { line, cells };
}
