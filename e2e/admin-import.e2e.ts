import { readFile } from 'node:fs/promises';
import type { Download, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { hasCount, openTab, signIn, useBrowser, visible } from './support/browser.ts';
import { capture, capturePrint } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

const HEADER = 'profil;identifiant;nom;prenom;date_naissance;classe;groupes;enfants;enseignements;email';
const GOOD_ROWS = [
  'eleve;E2026-01;Kerbrat;Zoé;14/02/2014;6e C;;;;',
  'eleve;E2026-02;Nguyen;Théo;2014-06-30;6e C;Latin;;;',
  'parent;P2026-01;Kerbrat;Agnès;;;;E2026-01;;agnes.kerbrat@example.org',
];
/** Théo has no class: line 3 (the header is line 1), column « classe ». */
const BAD_ROWS = [GOOD_ROWS[0], 'eleve;E2026-02;Nguyen;Théo;2014-06-30;;Latin;;;', GOOD_ROWS[2]];

const csv = (rows: readonly (string | undefined)[]) => Buffer.from([HEADER, ...rows].join('\n') + '\n', 'utf8');

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { download, text: await readFile(file, 'utf8') };
}

async function pick(page: Page, rows: readonly (string | undefined)[]): Promise<void> {
  await page.getByLabel('Choisissez un fichier CSV').setInputFiles({ name: 'nouveaux-eleves.csv', mimeType: 'text/csv', buffer: csv(rows) });
}

/** Drops the file on the drop zone, as when dragging it from the desktop. */
async function drop(page: Page, rows: readonly (string | undefined)[]): Promise<void> {
  const text = JSON.stringify(csv(rows).toString('utf8'));
  const dataTransfer = await page.evaluateHandle(
    `(() => { const dt = new DataTransfer(); dt.items.add(new File([${text}], 'nouveaux-eleves.csv', { type: 'text/csv' })); return dt; })()`,
  );
  const zone = page.locator('.dropzone');
  await zone.dispatchEvent('dragover', { dataTransfer });
  await zone.dispatchEvent('drop', { dataTransfer });
}

describe('school admin import', () => {
  it('imports a CSV (error shown by line and column, then fixed), hands out codes, and a new pupil activates', async () => {
    const { page, problems } = await openTab(browser());
    await signIn(page, baseUrl, 'nathalie.roux');
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Nathalie' }));
    await page.getByRole('link', { name: 'Importer des comptes' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Importer des comptes' }));

    const example = await downloaded(page, () => page.getByRole('button', { name: "Télécharger l'exemple (CSV)" }).click());
    expect(example.download.suggestedFilename()).toBe('preau-exemple-import.csv');
    expect(example.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toBe(HEADER);
    await capture(page, 'import');

    // The example we hand out must itself pass the check.
    await page.getByLabel('Choisissez un fichier CSV').setInputFiles(await example.download.path());
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await visible(page.getByRole('heading', { name: 'Fichier vérifié : aucune erreur' }));
    await capture(page, 'import-verifie');

    await drop(page, BAD_ROWS);
    await visible(page.getByText('Fichier choisi : nouveaux-eleves.csv'));
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await visible(page.getByRole('heading', { name: 'Le fichier contient 1 erreur' }));
    const errorRow = page.locator('.result-error tbody tr').first();
    expect(await errorRow.locator('td').nth(0).textContent()).toBe('3');
    expect(await errorRow.locator('td').nth(1).textContent()).toBe('classe');
    expect(await errorRow.locator('td').nth(2).textContent()).toContain('La classe est obligatoire');
    expect(await page.getByRole('button', { name: 'Importer', exact: true }).isDisabled()).toBe(true);
    await capture(page, 'import-erreurs');

    await pick(page, GOOD_ROWS);
    await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
    await visible(page.getByRole('heading', { name: 'Fichier vérifié : aucune erreur' }));
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Import terminé' }));
    const stats = page.locator('.stat');
    expect(await stats.nth(0).textContent()).toContain('3');
    expect(await stats.nth(3).textContent()).toContain('1');
    const zoe = page.locator('tbody tr', { hasText: 'Zoé' });
    const code = (await zoe.locator('.activation-code').textContent()) ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const login = (await zoe.locator('code').first().textContent()) ?? '';
    await capture(page, 'import-codes');
    await capturePrint(page, 'import-codes');

    const codes = await downloaded(page, () => page.getByRole('button', { name: 'Télécharger les codes (CSV)' }).click());
    expect(codes.text).toContain(code);
    expect(codes.text).toContain(login);

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Comptes' }).click();
    await visible(page.getByRole('heading', { level: 1, name: "Comptes et codes d'activation" }));
    await visible(page.locator('tbody tr'));
    await page.getByLabel('Rechercher').fill('Kerbrat');
    await hasCount(page.locator('tbody tr'), 2);
    await visible(page.locator('tbody tr', { hasText: 'Zoé' }).getByText('En attente'));
    await capture(page, 'personnes');

    await page.getByLabel('Profil').selectOption('parent');
    await hasCount(page.locator('tbody tr'), 1);
    await page.getByRole('button', { name: "Nouveau code d'activation pour Agnès Kerbrat" }).click();
    const dialog = page.getByRole('dialog', { name: "Nouveau code d'activation" });
    await visible(dialog.getByText('Créer un nouveau code pour Agnès Kerbrat'));
    await dialog.getByRole('button', { name: 'Créer le code' }).click();
    const newCode = (await (await visible(dialog.locator('.code-display code'))).textContent()) ?? '';
    expect(newCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    await capture(page, 'personnes-nouveau-code');
    await dialog.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(problems).toEqual([]);

    const pupil = await openTab(browser(), { phone: true });
    await pupil.page.goto(`${baseUrl}/activation`);
    await pupil.page.getByLabel("Code d'activation").fill(code.toLowerCase().replace(/-/g, ' '));
    await pupil.page.getByRole('button', { name: 'Continuer' }).click();
    await visible(pupil.page.getByText('Bonjour Zoé Kerbrat'));
    expect(await pupil.page.locator('.login-chip').textContent()).toBe(login);
    for (const label of ['Nouveau mot de passe', 'Confirmez le mot de passe']) {
      await pupil.page.getByLabel(label, { exact: true }).fill('la cour de récré 2026');
    }
    await pupil.page.getByRole('button', { name: 'Activer et me connecter' }).click();
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Bonjour Zoé' }));
    const myClass = pupil.page.locator('section.card', { has: pupil.page.getByRole('heading', { name: 'Ma classe' }) });
    expect(await (await visible(myClass)).textContent()).toContain('6e C');
    expect(pupil.problems).toEqual([]);

    await page.getByLabel('Profil').selectOption('pupil');
    await hasCount(page.locator('tbody tr'), 1);
    await visible(page.locator('tbody tr', { hasText: 'Zoé' }).getByText('Activé'));
    await pupil.context.close();
    await page.context().close();
  });
});
