/** Reads a CSV as text: UTF-8 when it is, else Windows-1252 (what Excel writes on a French PC). */
export async function readCsvFile(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder('windows-1252').decode(bytes);
  }
  return text.replace(/^\uFEFF/, '');
}

export const CSV_HEADER = ['profil', 'identifiant', 'nom', 'prenom', 'date_naissance', 'classe', 'groupes', 'enfants', 'enseignements', 'email'] as const;

export const CSV_EXAMPLE_ROWS: ReadonlyArray<readonly string[]> = [
  ['eleve', 'E2024-101', 'Durand', 'Inès', '12/04/2013', '6e B', 'Latin', '', '', ''],
  ['eleve', 'E2024-102', 'Lefèvre', 'Noah', '30/09/2013', '6e B', '', '', '', ''],
  ['parent', 'P2024-201', 'Durand', 'Samia', '', '', '', 'E2024-101', '', 'samia.durand@example.fr'],
  ['enseignant', 'T2024-301', 'Garnier', 'Hugo', '', '', '', '', '6e B:MATHS|Latin:LATIN', 'hugo.garnier@example.fr'],
  ['cpe', 'S2024-401', 'Roche', 'Amélie', '', '', '', '', '', 'amelie.roche@example.fr'],
];

export function exampleCsv(): string {
  return [CSV_HEADER, ...CSV_EXAMPLE_ROWS].map((row) => row.join(';')).join('\r\n') + '\r\n';
}
