import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { hasCount, openTab, signIn, type Tab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const subject = `Sortie au musée des Arts et Métiers (${Date.now().toString(36)})`;
let threadPath = '';

const browser = useBrowser();

async function as(login: string, phone = false): Promise<Tab> {
  const tab = await openTab(browser(), { phone });
  await signIn(tab.page, baseUrl, login);
  return tab;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

const nav = (page: Page) => page.getByRole('navigation', { name: 'Navigation principale' });

/** A request made by the page itself (its cookies, a fresh CSRF token), as a forger would. */
function forge(page: Page, body: unknown): Promise<{ status: number; message: string }> {
  return page.evaluate(async (payload) => {
    const { csrfToken } = (await (await fetch('/api/auth/csrf')).json()) as { csrfToken: string };
    const res = await fetch('/api/messages/threads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfToken },
      body: JSON.stringify(payload),
    });
    const json = (await res.json()) as { error?: { message: string } };
    return { status: res.status, message: json.error?.message ?? '' };
  }, body);
}

describe('messagerie', () => {
  it('a teacher writes to the parents of 6e A; a parent sees the badge, reads and replies; the teacher sees the reply', async () => {
    const karim = await as('karim.benali');
    await nav(karim.page).getByRole('link', { name: /^Messagerie/ }).click();
    await visible(karim.page.getByRole('heading', { level: 1, name: 'Messagerie' }));
    await karim.page.getByRole('link', { name: 'Nouveau message' }).click();
    await visible(karim.page.getByRole('heading', { level: 1, name: 'Nouveau message' }));
    await karim.page.getByLabel('Destinataires', { exact: true }).fill('6e A');
    await karim.page.getByRole('button', { name: 'Parents de 6e A', exact: true }).click();
    await visible(karim.page.getByRole('list', { name: 'Destinataires choisis' }).getByText('Parents de 6e A'));
    await karim.page.getByLabel('Objet').fill(subject);
    await karim.page.getByLabel('Message', { exact: true }).fill('Bonjour,\n\nLa sortie aura lieu jeudi. Merci de signer l’autorisation.\n\nKarim Benali');
    await karim.page.locator('#compose-files').setInputFiles({ name: 'Autorisation de sortie.pdf', mimeType: 'application/pdf', buffer: PDF });
    await visible(karim.page.locator('.msg-file', { hasText: 'Autorisation de sortie.pdf' }).getByText('Prêt'));
    await capture(karim.page, 'messagerie-nouveau');
    await karim.page.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await visible(karim.page.getByRole('heading', { level: 1, name: subject }));
    await visible(karim.page.getByText('À : Parents de 6e A'));
    threadPath = new URL(karim.page.url()).pathname;

    const sophie = await as('sophie.martin', true);
    const badge = nav(sophie.page).getByRole('link', { name: /^Messagerie \(\d+ non lus?\)$/ });
    await visible(badge);
    await badge.click();
    const row = sophie.page.locator('li.msg-unread', { hasText: subject });
    await visible(row);
    await capture(sophie.page, 'messagerie-boite');
    await row.getByRole('link').click();
    await visible(sophie.page.getByRole('heading', { level: 1, name: subject }));
    await visible(sophie.page.getByText('La sortie aura lieu jeudi.'));
    const [download] = await Promise.all([
      sophie.page.waitForEvent('download'),
      sophie.page.getByRole('link', { name: 'Autorisation de sortie.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Autorisation de sortie.pdf');
    await sophie.page.getByRole('button', { name: /^Répondre Karim Benali/ }).click();
    await sophie.page.getByLabel('Votre réponse').fill('Bonjour Monsieur, Léa a bien son autorisation signée. Sophie Martin');
    await sophie.page.getByRole('button', { name: 'Envoyer la réponse' }).click();
    await visible(sophie.page.getByRole('status').filter({ hasText: 'Réponse envoyée à 1 personne.' }));
    await capture(sophie.page, 'messagerie-conversation');
    await sophie.page.getByRole('link', { name: 'Retour à la messagerie' }).click();
    await visible(sophie.page.locator('li.msg-row', { hasText: subject }));
    await hasCount(sophie.page.locator('li.msg-unread', { hasText: subject }), 0);

    await karim.page.reload();
    await visible(karim.page.getByText('Léa a bien son autorisation signée.'));
    await visible(karim.page.getByRole('heading', { level: 2, name: /Sophie Martin/ }));
    expect(karim.problems).toEqual([]);
    expect(sophie.problems).toEqual([]);
    await karim.context.close();
    await sophie.context.close();
  });

  it('a pupil is offered only her teachers and the staff, and a forged message to a parent or a pupil is refused (403)', async () => {
    const sophie = await as('sophie.martin');
    const me = await sophie.page.evaluate(async () => (await (await fetch('/api/me')).json()) as { id: string });
    const dashboard = await sophie.page.evaluate(async () => (await (await fetch('/api/dashboard')).json()) as { parent: { children: Array<{ id: string; firstName: string }> } });
    const hugo = dashboard.parent.children.find((c) => c.firstName === 'Hugo')!.id;
    await sophie.context.close();

    const lea = await as('lea.martin');
    await lea.page.goto(`${baseUrl}/messagerie/nouveau`);
    await visible(lea.page.getByRole('heading', { level: 1, name: 'Nouveau message' }));
    await visible(lea.page.getByRole('button', { name: /Karim Benali/ }));
    await visible(lea.page.getByRole('button', { name: 'Direction et vie scolaire' }));
    await capture(lea.page, 'messagerie-nouveau-eleve');
    await lea.page.getByLabel('Destinataires', { exact: true }).fill('Martin');
    await visible(lea.page.getByText('Personne ne correspond parmi les destinataires possibles.'));
    await hasCount(lea.page.locator('.msg-option'), 0);
    await lea.page.getByLabel('Destinataires', { exact: true }).fill('Parents');
    await visible(lea.page.getByText('Personne ne correspond parmi les destinataires possibles.'));

    const toParent = await forge(lea.page, { subject: 'Coucou', body: 'Message interdit', recipients: { people: [me.id] } });
    expect(toParent.status).toBe(403);
    expect(toParent.message).toContain('Sophie Martin');
    const toPupil = await forge(lea.page, { subject: 'Coucou', body: 'Message interdit', recipients: { people: [hugo] } });
    expect(toPupil.status).toBe(403);
    expect(toPupil.message).toContain('Hugo Martin');
    expect(lea.problems).toEqual([]);
    await lea.context.close();
  });

  it("another family's parent cannot read the conversation (404)", async () => {
    expect(threadPath).toMatch(/^\/messagerie\/[0-9a-f-]{36}$/);
    const nadia = await as('nadia.petit');
    await nadia.page.goto(`${baseUrl}${threadPath}`);
    await visible(nadia.page.getByRole('alert').filter({ hasText: 'Conversation introuvable.' }));
    await hasCount(nadia.page.getByText('La sortie aura lieu jeudi.'), 0);
    const status = await nadia.page.evaluate(async (path) => (await fetch(`/api${path.replace('/messagerie/', '/messages/threads/')}`)).status, threadPath);
    expect(status).toBe(404);
    await nadia.context.close();
  });
});
