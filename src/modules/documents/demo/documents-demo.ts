/**
 * The demo collège's documents: Karim Benali (maths) keeps a folder per level. « Mathématiques
 * 6e » (with its « Fractions » subfolder) is shared with 6e A, « Mathématiques 5e » with 5e B, the
 * evaluation calendar with both classes on its own, and his drafts with nobody. The files are
 * small valid PDFs and text files made in code, stored in the BlobStore like any upload, and
 * dated over the past week.
 */
import { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import type { BlobStore } from '../../../platform/storage/blob-store.ts';
import { DEMO_ACCOUNTS } from '../../schools/index.ts';
import { MAX_FILE_BYTES } from '../documents.config.ts';
import { simplePdf, textFile } from './sample-files.ts';

interface DemoFile {
  name: string;
  contentType: string;
  bytes: Buffer;
  /** Days before `now`. */
  daysAgo: number;
}

interface DemoFolder {
  name: string;
  sharedWith: string[];
  files: DemoFile[];
  folders?: DemoFolder[];
}

const PDF = 'application/pdf';
const TEXT = 'text/plain; charset=utf-8';

const FOLDERS: DemoFolder[] = [
  {
    name: 'Mathématiques 6e',
    sharedWith: ['6e A'],
    files: [
      {
        name: 'Liste du matériel.txt',
        contentType: TEXT,
        daysAgo: 6,
        bytes: textFile([
          'Liste du matériel — mathématiques 6e',
          '',
          '- un cahier grand format 24×32, grands carreaux, 96 pages',
          '- une règle graduée de 30 cm (transparente, non flexible)',
          '- une équerre et un rapporteur gradué dans les deux sens',
          '- un compas à bague avec crayon',
          '- une calculatrice collège (modèle conseillé en réunion de rentrée)',
          '- crayon à papier HB, gomme, taille-crayon, quatre couleurs',
          '',
          'Merci de tout marquer au nom de l’élève. — M. Benali',
        ]),
      },
    ],
    folders: [
      {
        name: 'Fractions',
        sharedWith: [],
        files: [
          {
            name: "Fiche d'exercices — fractions.pdf",
            contentType: PDF,
            daysAgo: 3,
            bytes: simplePdf("Fiche d'exercices — fractions", [
              'Mathématiques — 6e A — M. Benali',
              '',
              'Exercice 1. Écris la fraction qui correspond à la partie coloriée.',
              'Exercice 2. Range dans l’ordre croissant : 3/4 ; 1/2 ; 5/8 ; 7/8.',
              'Exercice 3. Complète : 2/3 = …/12 et 15/20 = 3/…',
              'Exercice 4. Léa a mangé 3/8 d’une pizza et Hugo 1/4.',
              '                Qui en a mangé le plus ? Justifie ta réponse.',
              '',
              'À rendre pour jeudi, sur copie double.',
            ]),
          },
          {
            name: 'Corrigé — fractions (exercices 1 à 3).pdf',
            contentType: PDF,
            daysAgo: 1,
            bytes: simplePdf('Corrigé — fractions', [
              'Exercice 1. a) 3/8   b) 1/2   c) 5/6',
              'Exercice 2. 1/2 < 5/8 < 3/4 < 7/8 (on met tout en huitièmes).',
              'Exercice 3. 2/3 = 8/12 et 15/20 = 3/4.',
              '',
              'L’exercice 4 sera corrigé en classe.',
            ]),
          },
        ],
      },
    ],
  },
  {
    name: 'Mathématiques 5e',
    sharedWith: ['5e B'],
    files: [
      {
        name: 'Nombres relatifs — cours.pdf',
        contentType: PDF,
        daysAgo: 5,
        bytes: simplePdf('Nombres relatifs — le cours', [
          '1. Un nombre relatif est positif (+) ou négatif (−) ; 0 est les deux à la fois.',
          '2. Sur une droite graduée, deux nombres opposés sont à la même distance de 0.',
          '3. Pour comparer deux nombres négatifs : le plus petit est le plus éloigné de 0.',
          '',
          'Exemples : −7 < −2 ; −3,5 < 1 ; +4 > −10.',
        ]),
      },
      {
        name: 'Calcul mental — série 3.txt',
        contentType: TEXT,
        daysAgo: 2,
        bytes: textFile(['Calcul mental — série 3 (5e B)', '', '1) 25 × 4', '2) 1,5 + 2,75', '3) 120 ÷ 8', '4) 0,3 × 100', '5) la moitié de 3,6']),
      },
    ],
  },
  {
    name: 'Brouillons',
    sharedWith: [],
    files: [
      {
        name: 'Idées pour le contrôle de fin de chapitre.txt',
        contentType: TEXT,
        daysAgo: 0,
        bytes: textFile(['Contrôle fractions (6e A) — idées', '- comparer avec le même dénominateur', '- problème de partage (gâteau, pizza)', '- une question bonus sur les fractions égales']),
      },
    ],
  },
];

const LOOSE_FILE: DemoFile & { sharedWith: string[] } = {
  name: 'Calendrier des évaluations — 1er trimestre.pdf',
  contentType: PDF,
  daysAgo: 4,
  sharedWith: ['6e A', '5e B'],
  bytes: simplePdf('Calendrier des évaluations — 1er trimestre', [
    '6e A : fractions (jeudi 9 octobre), géométrie (jeudi 13 novembre)',
    '5e B : nombres relatifs (mardi 14 octobre), proportionnalité (mardi 25 novembre)',
    '',
    'Chaque évaluation est annoncée dans le cahier de textes une semaine avant.',
  ]),
};

/**
 * Fills Karim Benali's documents in the demo school; does nothing when the school already has
 * folders or files. Needs the BlobStore, where the contents go like any upload.
 */
export async function seedDocumentsDemo(db: Kysely<DB>, ctx: { schoolId: string; now: Date; blobs: BlobStore }): Promise<void> {
  const existing = await sql<{ any: boolean }>`
    SELECT EXISTS (SELECT 1 FROM folders WHERE school_id = ${ctx.schoolId})
        OR EXISTS (SELECT 1 FROM files WHERE school_id = ${ctx.schoolId}) AS any`.execute(db);
  if (existing.rows[0]?.any) return;
  const teacherLogin = DEMO_ACCOUNTS.find((a) => a.key === 'teacher')!.login;
  const teacher = await db.selectFrom('users').select('id').where('login', '=', teacherLogin).executeTakeFirst();
  if (!teacher) return;
  const classes = await db.selectFrom('classes').select(['id', 'name']).where('school_id', '=', ctx.schoolId).execute();
  const classId = (name: string): string | undefined => classes.find((c) => c.name === name)?.id;
  const at = (daysAgo: number, minutes = 0): Date => new Date(ctx.now.getTime() - daysAgo * 86_400_000 - minutes * 60_000);

  // Contents first (outside the transaction: the store is idempotent, same bytes → same key).
  const all = [...FOLDERS.flatMap(function walk(f): DemoFile[] {
    return [...f.files, ...(f.folders ?? []).flatMap(walk)];
  }), LOOSE_FILE];
  const stored = new Map<DemoFile, { sha256: string; size: number }>();
  for (const file of all) stored.set(file, await ctx.blobs.put(Readable.from([file.bytes]), { maxBytes: MAX_FILE_BYTES }));

  await db.transaction().execute(async (tx) => {
    const insertFile = async (file: DemoFile, folderId: string | null): Promise<string> => {
      const blob = stored.get(file)!;
      const row = await tx
        .insertInto('files')
        .values({ owner_id: teacher.id, school_id: ctx.schoolId, ...blob, content_type: file.contentType, name: file.name, folder_id: folderId, created_at: at(file.daysAgo, 30) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    const share = async (subject: { file_id: string } | { folder_id: string }, classNames: string[], daysAgo: number): Promise<void> => {
      for (const name of classNames) {
        const id = classId(name);
        if (id) await tx.insertInto('shares').values({ ...subject, class_id: id, shared_by: teacher.id, shared_at: at(daysAgo, 20) }).execute();
      }
    };
    const insertFolder = async (folder: DemoFolder, parentId: string | null): Promise<void> => {
      const oldest = Math.max(...folder.files.map((f) => f.daysAgo), 6);
      const row = await tx
        .insertInto('folders')
        .values({ owner_id: teacher.id, school_id: ctx.schoolId, parent_id: parentId, name: folder.name, created_at: at(oldest, 60) })
        .returning('id')
        .executeTakeFirstOrThrow();
      await share({ folder_id: row.id }, folder.sharedWith, oldest);
      for (const file of folder.files) await insertFile(file, row.id);
      for (const child of folder.folders ?? []) await insertFolder(child, row.id);
    };
    for (const folder of FOLDERS) await insertFolder(folder, null);
    await share({ file_id: await insertFile(LOOSE_FILE, null) }, LOOSE_FILE.sharedWith, LOOSE_FILE.daysAgo);
  });
}
