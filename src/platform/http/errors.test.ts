import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { Type } from 'typebox';
import { AppError } from '../../shared/errors.ts';
import { registerErrorHandling } from './errors.ts';

async function app() {
  const a = Fastify({ logger: false });
  registerErrorHandling(a);
  a.post('/echo', { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }) }, { additionalProperties: false }) } }, async (r) => r.body);
  a.get('/boom', async () => {
    throw new Error('secret internals at /srv/app.ts:12');
  });
  a.get('/limited', async () => {
    throw new AppError('RATE_LIMITED', { message: 'Trop de tentatives.', retryAfterSeconds: 30 });
  });
  await a.ready();
  return a;
}

describe('error handling', () => {
  it('unknown routes answer 404 in the house format', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/nope?x=1' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Adresse inconnue : GET /nope' } });
  });

  it('schema failures are 400 with field paths and a French message', async () => {
    const res = await (await app()).inject({ method: 'POST', url: '/echo', payload: { name: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/« name » doit compter au moins 2 caractère/);
    expect(res.json().error.details.fields[0].path).toBe('name');
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const res = await (await app()).inject({ method: 'POST', url: '/echo', payload: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/JSON/);
  });

  it('an unsupported content type is a 415 with a message', async () => {
    const res = await (await app()).inject({ method: 'POST', url: '/echo', payload: '<x/>', headers: { 'content-type': 'application/xml' } });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toMatch(/Content-Type/);
  });

  it('an unexpected error is a generic 500 with a reference, never the stack or message', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/secret internals|\.ts:/);
    expect(res.json().error.message).toMatch(/référence/);
  });

  it('429 carries Retry-After', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/limited' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBe('30');
  });
});
