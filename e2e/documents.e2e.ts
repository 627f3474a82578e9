/**
 * Documents: a teacher uploads a PDF into a new folder and shares it with 6e A → a pupil of 6e A
 * sees it in « Documents de la classe » and downloads the very same bytes → the teacher unshares
 * → the pupil no longer sees it. Then bad input through the API: an oversized file (413, nothing
 * stored: no new blob on disk, no new file), a wrong type (415), someone else's file (404), an
 * unknown folder (404).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIRequestContext, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { simplePdf } from '../src/modules/documents/demo/sample-files.ts';
import { openTab, signIn, type Tab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const blobsDir = path.join(inject('dataDir'), 'blobs');
const PDF = simplePdf('Triangles — exercices', ['Exercice 1. Construis un triangle ABC tel que AB = 5 cm.', 'Exercice 2. Trace ses trois hauteurs.']);
const FILE_NAME = 'Triangles — exercices.pdf';
let teacher: Tab;
let pupil: Tab;

const browser = useBrowser();

async function session(login: string): Promise<Tab> {
  const tab = await openTab(browser());
  await signIn(tab.page, baseUrl, login);
  return tab;
}

async function openDocuments(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Documents' }).click();
  await visible(page.getByRole('heading', { level: 1, name: 'Documents' }));
}

/** Requests with the page's cookies and a fresh CSRF token, as the web app sends them. */
async function apiOf(page: Page): Promise<{ request: APIRequestContext; headers: Record<string, string> }> {
  const request = page.context().request;
  const { csrfToken } = (await (await request.get(`${baseUrl}/api/auth/csrf`)).json()) as { csrfToken: string };
  return { request, headers: { 'x-csrf-token': csrfToken } };
}

async function blobFiles(): Promise<string[]> {
  const entries = await readdir(blobsDir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
}

const classDocuments = (page: Page) => page.locator('section.doc-class', { has: page.getByRole('heading', { name: 'Classe 6e A' }) });

describe('sharing a document with a class', () => {
  let fileId = '';

  it('a teacher creates a folder, uploads a PDF into it and shares it with 6e A', async () => {
    teacher = await session('karim.benali');
    const { page, problems } = teacher;
    await openDocuments(page);
    await visible(page.getByText('Espace utilisé'));

    await page.getByRole('button', { name: 'Nouveau dossier' }).click();
    const dialog = page.getByRole('dialog', { name: 'Nouveau dossier' });
    await dialog.getByLabel('Nom du dossier').fill('Géométrie');
    await dialog.getByRole('button', { name: 'Nouveau dossier' }).click();
    await visible(page.getByRole('status').getByText('Le dossier « Géométrie » est créé.'));
    await visible(page.getByRole('button', { name: 'Ouvrir le dossier Géométrie' }));
    await capture(page, 'documents-dossiers');
    await page.getByRole('button', { name: 'Ouvrir le dossier Géométrie' }).click();
    await visible(page.getByRole('heading', { level: 2, name: 'Contenu de « Géométrie »' }));

    await page.getByLabel('Déposer des fichiers', { exact: true }).setInputFiles({ name: FILE_NAME, mimeType: 'application/pdf', buffer: PDF });
    const link = await visible(page.getByRole('link', { name: FILE_NAME, exact: true }));
    fileId = /files\/([0-9a-f-]{36})\/content/.exec((await link.getAttribute('href')) ?? '')?.[1] ?? '';
    expect(fileId).not.toBe('');
    await visible(page.getByRole('status').getByText(`${FILE_NAME} est déposé.`));

    await page.getByRole('group', { name: `Actions pour ${FILE_NAME}` }).getByRole('button', { name: 'Partager' }).click();
    const share = page.getByRole('dialog', { name: `Partager « ${FILE_NAME} »` });
    await share.getByLabel('6e A', { exact: true }).check();
    await capture(page, 'documents-partage');
    await share.getByRole('button', { name: 'Enregistrer' }).click();
    await visible(page.getByRole('button', { name: 'Ne plus partager avec 6e A' }));
    await capture(page, 'documents-enseignant');
    expect(problems).toEqual([]);
  });

  it('a pupil of 6e A sees it among the class documents and downloads the same bytes', async () => {
    pupil = await session('lea.martin');
    const { page, problems } = pupil;
    await openDocuments(page);
    const documents = classDocuments(page);
    await visible(documents.getByRole('heading', { name: 'Fichiers partagés' }));
    await visible(documents.getByText('Partagé par Karim Benali'));
    const [download] = await Promise.all([page.waitForEvent('download'), documents.getByRole('link', { name: FILE_NAME, exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(FILE_NAME);
    expect((await readFile(await download.path())).equals(PDF)).toBe(true);
    await capture(page, 'documents-eleve');
    expect(problems).toEqual([]);
  });

  it('the teacher unshares it and the pupil no longer sees it', async () => {
    await teacher.page.getByRole('button', { name: 'Ne plus partager avec 6e A' }).click();
    await visible(teacher.page.getByRole('status').getByText(`Vous ne partagez plus « ${FILE_NAME} » avec 6e A.`));
    await visible(teacher.page.getByText('Non partagé'));

    await pupil.page.reload();
    await visible(pupil.page.getByRole('heading', { level: 1, name: 'Documents' }));
    await pupil.page.waitForSelector('.loading', { state: 'detached' });
    expect(await pupil.page.getByRole('link', { name: FILE_NAME, exact: true }).count()).toBe(0);
    const lea = await apiOf(pupil.page);
    expect((await lea.request.get(`${baseUrl}/api/documents/files/${fileId}/content`)).status()).toBe(404);
    expect(teacher.problems.concat(pupil.problems)).toEqual([]);
  });

  it('refuses bad input through the API with a clear 4xx, leaving nothing behind', async () => {
    const karim = await apiOf(teacher.page);
    const library = async () => (await (await karim.request.get(`${baseUrl}/api/documents`)).json()) as { files: Array<{ id: string }>; quota: { usedBytes: number } };
    const [blobsBefore, libraryBefore] = [await blobFiles(), await library()];
    expect(blobsBefore.length).toBeGreaterThan(0);

    const huge = await karim.request.post(`${baseUrl}/api/files`, {
      headers: karim.headers,
      multipart: { file: { name: 'enorme.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.alloc(21 * 1024 * 1024, 7)]) } },
    });
    expect(huge.status()).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toBe('Le fichier dépasse la taille maximale autorisée (20 Mo par fichier).');
    expect(await blobFiles()).toEqual(blobsBefore);
    const libraryAfter = await library();
    expect(libraryAfter.files.map((f) => f.id)).toEqual(libraryBefore.files.map((f) => f.id));
    expect(libraryAfter.quota.usedBytes).toBe(libraryBefore.quota.usedBytes);

    const exe = await karim.request.post(`${baseUrl}/api/files`, {
      headers: karim.headers,
      multipart: { file: { name: 'cours.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(4096)]) } },
    });
    expect(exe.status()).toBe(415);
    expect(((await exe.json()) as { error: { message: string } }).error.message).toMatch(/Formats acceptés : PDF, images/);
    expect(await blobFiles()).toEqual(blobsBefore);

    const lea = await apiOf(pupil.page);
    expect((await lea.request.patch(`${baseUrl}/api/documents/files/${fileId}`, { headers: lea.headers, data: { name: 'à moi.pdf' } })).status()).toBe(404);
    expect((await lea.request.delete(`${baseUrl}/api/documents/files/${fileId}`, { headers: lea.headers })).status()).toBe(404);

    const unknownFolder = await karim.request.post(`${baseUrl}/api/files?folderId=00000000-0000-4000-8000-000000000000`, {
      headers: karim.headers,
      multipart: { file: { name: 'a.pdf', mimeType: 'application/pdf', buffer: PDF } },
    });
    expect(unknownFolder.status()).toBe(404);
    expect(((await unknownFolder.json()) as { error: { message: string } }).error.message).toBe('Dossier introuvable.');

    for (const tab of [teacher, pupil]) await tab.page.context().close();
  });
});
