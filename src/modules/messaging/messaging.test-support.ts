/** For the messaging route tests: one signed-in browser per person for a whole file (sign-in is rate-limited per account). */
import type { FastifyInstance } from 'fastify';
import { Client } from '../../test/app.ts';
import { FIXTURE_PASSWORD } from '../../test/fixtures.ts';

export function browsers(app: () => FastifyInstance): (login: string) => Promise<Client> {
  const signedIn = new Map<string, Client>();
  return async (login) => {
    let c = signedIn.get(login);
    if (!c) {
      c = new Client(app());
      await c.signIn(login, FIXTURE_PASSWORD);
      signedIn.set(login, c);
    }
    return c;
  };
}
