import { describe, expect, inject, it } from 'vitest';
import { DEMO_PASSWORD, openTab, pathOf, useBrowser, visible } from './support/browser.ts';
import { capture } from './support/capture.ts';

const baseUrl = inject('baseUrl');
const browser = useBrowser();

describe('a teacher', () => {
  it('signs in from a deep link, sees his classes and his child, and opens a class roster', async () => {
    const { page, problems } = await openTab(browser());
    await page.goto(`${baseUrl}/compte/sessions`);
    await page.waitForURL(/\/connexion\?suivant=/);
    expect(pathOf(page)).toBe('/connexion?suivant=%2Fcompte%2Fsessions');

    await page.getByLabel('Identifiant', { exact: true }).fill('karim.benali');
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas-le-bon-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const alert = await visible(page.getByRole('alert'));
    expect(await alert.textContent()).toContain('Identifiant ou mot de passe incorrect.');
    await capture(page, 'connexion-erreur');

    await page.getByLabel('Mot de passe', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${baseUrl}/compte/sessions`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mes appareils' }));
    await visible(page.getByText('Cet appareil'));
    await capture(page, 'appareils');

    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: 'Accueil' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Karim' }));
    const classes = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Mes classes' }) });
    await visible(classes.getByRole('heading', { level: 3, name: '6e A' }));
    for (const name of ['5e B', '4e A', '3e B']) await visible(classes.getByRole('heading', { level: 3, name }));
    await visible(classes.getByText('Mathématiques'));
    const children = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Mes enfants' }) });
    await visible(children.getByText('Yanis Benali'));
    await capture(page, 'accueil-enseignant');

    await page.getByRole('link', { name: 'Liste de la classe 6e A' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Classe de 6e A' }));
    const pupils = page.locator('ol.name-list li');
    await visible(pupils);
    expect(await pupils.count()).toBe(26);
    await visible(page.getByText('Karim Benali'));
    await capture(page, 'classe');

    await page.getByRole('link', { name: "Retour à l'accueil" }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Bonjour Karim' }));
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
