import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/app.ts';

describe('fast path: the waiting room document answered before the framework', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp();
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('sends the same document as the framework route, with the security headers and its cache policy', async () => {
    const viaFramework = await t.app.inject({ method: 'GET', url: '/file-attente/etat.json' });
    const response = await fetch(`${base}/file-attente/etat.json?t=12345`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(viaFramework.body);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=1');
    expect(response.headers.get('content-security-policy')).toBe(viaFramework.headers['content-security-policy']);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    // Fastify's hooks set a request id on every answer: none here, so the framework did not run.
    expect(response.headers.get('x-request-id')).toBeNull();
    expect(viaFramework.headers['x-request-id']).toBeTruthy();
  });

  it('follows the room: after a change of cap the next answer says so', async () => {
    await t.frontDoor.setCap(60);
    await t.frontDoor.step();
    const capped = (await (await fetch(`${base}/file-attente/etat.json`)).json()) as Record<string, unknown>;
    expect(capped).toEqual(JSON.parse(t.frontDoor.publicStateJson()));
    await t.frontDoor.setCap(null);
  });

  it('leaves every other request, and HEAD, to the framework', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.headers.get('x-request-id')).toBeTruthy();
    const head = await fetch(`${base}/file-attente/etat.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-request-id')).toBeTruthy();
    const other = await fetch(`${base}/file-attente/etat.jsonx`);
    expect(other.status).toBe(404);
  });
});
