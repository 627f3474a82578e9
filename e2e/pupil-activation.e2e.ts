import { describe, expect, inject, it } from 'vitest';
import { openTab, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('first sign-in of a pupil (on a phone)', () => {
  it('activates with the code given by the school, chooses a password, and sees his class', async () => {
    const { page, problems } = await openTab(browser(), { phone: true });
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(`${baseUrl}/connexion`);
    await visible(page.getByRole('heading', { level: 1, name: 'Connexion' }));
    await capture(page, 'connexion');

    await page.getByRole('link', { name: 'Activer mon compte' }).click();
    await page.waitForURL(`${baseUrl}/activation`);
    await page.getByLabel("Code d'activation").fill('0000-0000-0000');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await visible(page.getByText('Ce code est inconnu ou a expiré'));

    // Typed from the letter, in lower case with spaces: still accepted.
    await page.getByLabel("Code d'activation").fill('7e57 c0de 2026');
    await capture(page, 'activation-code');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await visible(page.getByText('Bonjour Tom Petit'));
    expect(await page.locator('.login-chip').textContent()).toBe('tom.petit');

    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('court');
    await page.getByRole('button', { name: 'Activer et me connecter' }).click();
    await visible(page.getByText('Le mot de passe doit contenir au moins 10 caractères.'));
    await capture(page, 'activation-mot-de-passe');

    await page.getByLabel('Nouveau mot de passe', { exact: true }).fill('un préau sous la pluie');
    await page.getByRole('button', { name: 'Afficher le mot de passe' }).first().click();
    expect(await page.getByLabel('Nouveau mot de passe', { exact: true }).getAttribute('type')).toBe('text');
    await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill('un préau sous la pluie');
    await page.getByRole('button', { name: 'Activer et me connecter' }).click();

    await page.waitForURL(`${baseUrl}/`);
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Tom' }));
    const myClass = page.locator('section.card', { has: page.getByRole('heading', { name: 'Ma classe' }) });
    expect(await (await visible(myClass)).textContent()).toContain('5e B');
    await visible(page.getByRole('heading', { name: 'Mes enseignants' }));
    await visible(page.getByText('Mathématiques'));
    await capture(page, 'accueil-eleve');

    expect(problems).toEqual([]);
    await page.context().close();
  });
});
