import { describe, expect, it } from 'vitest';
import { classLevel, parseColumnName, parseProfile, splitList } from './import-format.ts';
import { loginBase, pickLogin } from './logins.ts';
import { detectSeparator, parseCsv } from './parse-csv.ts';
import { parseBirthDate } from './validate-fields.ts';

describe('parseCsv', () => {
  it('detects the separator from the header line', () => {
    expect(detectSeparator('profil;identifiant;nom\neleve,x')).toBe(';');
    expect(detectSeparator('profil,identifiant,nom\neleve;x')).toBe(',');
    expect(detectSeparator('profil')).toBe(';');
  });

  it('gives each row its physical line, skipping blank lines and rows of empty cells', () => {
    const parsed = parseCsv('\uFEFFprofil;identifiant;nom;prenom\n\neleve;A;"Nom\nsur deux lignes";Léa\n;;;\neleve;B;C;D\n');
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows.map((r) => [r.line, r.cells.get('identifiant')])).toEqual([
      [3, 'A'],
      [6, 'B'],
    ]);
  });

  it('reports missing, unknown and repeated columns, and values under no column', () => {
    const parsed = parseCsv('profil;identifiant;Nom;nom;ville;\neleve;A;B;C;Paris;en trop\n');
    expect(parsed.issues.map((i) => [i.line, i.column, i.message.slice(0, 24)])).toEqual([
      [1, 'nom', 'La colonne nom apparaît '],
      [1, null, 'Colonne inconnue « ville'],
      [1, 'prenom', 'Colonne obligatoire abse'],
      [2, null, "Cette ligne a une valeur"],
    ]);
    expect(parsed.rows[0]?.cells.get('nom')).toBe('B');
  });
});

describe('cell readers', () => {
  it('reads profiles in French or English, whatever the case and accents', () => {
    expect(['Élève', 'PARENT', 'enseignant', 'Direction', 'cpe', 'Admin', 'pupil', 'teacher', 'principal', 'school_admin', 'School admin'].map(parseProfile)).toEqual([
      'pupil',
      'parent',
      'teacher',
      'principal',
      'cpe',
      'school_admin',
      'pupil',
      'teacher',
      'principal',
      'school_admin',
      'school_admin',
    ]);
    expect(parseProfile('directeur')).toBeNull();
  });

  it('reads column names whatever the case, accents and spacing', () => {
    expect(['Prénom', 'DATE NAISSANCE', 'Date de naissance', 'E-mail', 'Groupes', 'enseignements'].map(parseColumnName)).toEqual([
      'prenom',
      'date_naissance',
      'date_naissance',
      'email',
      'groupes',
      'enseignements',
    ]);
  });

  it('reads birth dates that exist, in French or ISO order', () => {
    const today = '2026-09-01';
    expect(parseBirthDate('04/09/2014', today)).toEqual({ date: '2014-09-04' });
    expect(parseBirthDate('4/9/2014', today)).toEqual({ date: '2014-09-04' });
    expect(parseBirthDate('2014-09-04', today)).toEqual({ date: '2014-09-04' });
    expect(parseBirthDate('29/02/2016', today)).toEqual({ date: '2016-02-29' });
    expect(parseBirthDate('29/02/2015', today)).toHaveProperty('error');
    expect(parseBirthDate('2014/09/04', today)).toHaveProperty('error');
    expect(parseBirthDate('01/01/1850', today)).toHaveProperty('error');
    expect(parseBirthDate('01/01/2030', today)).toHaveProperty('error');
  });

  it('splits lists and finds class levels', () => {
    expect(splitList(' Latin | latin|| Allemand  LV2 ')).toEqual(['Latin', 'Allemand LV2']);
    expect(classLevel(' 6e  A')).toBe('6e');
  });
});

describe('logins', () => {
  it('builds prenom.nom without accents, spaces or punctuation', () => {
    expect(loginBase('Léa', 'Martin')).toBe('lea.martin');
    expect(loginBase('Jean-Noël', "N'Diaye")).toBe('jean-noel.ndiaye');
    expect(loginBase('Anne Sophie', 'De La Fontaine')).toBe('anne-sophie.de-la-fontaine');
    expect(loginBase('Chloé', 'Lœvenbruck')).toBe('chloe.loevenbruck');
    expect(loginBase('李', '王')).toBe('compte');
  });

  it('numbers a taken login from 2', () => {
    const taken = new Set(['lea.martin', 'lea.martin2']);
    expect(pickLogin('lea.martin', taken)).toBe('lea.martin3');
    expect(pickLogin('lea.martin', taken)).toBe('lea.martin4');
    expect(pickLogin('hugo.martin', taken)).toBe('hugo.martin');
  });
});
