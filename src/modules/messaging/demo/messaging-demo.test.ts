import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/database.ts';
import { ActorLoader } from '../../access/index.ts';
import { seedDemo } from '../../schools/demo/demo-school.ts';
import { getThread, listThreads } from '../inbox.service.ts';
import { countUnread } from '../messaging.store.ts';
import { seedMessagingDemo } from './messaging-demo.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let schoolId: string;
const now = new Date(Date.UTC(2026, 8, 18, 8, 0)); // Friday 18 September 2026, 10:00 in Paris
const user = async (login: string) => (await database.db.selectFrom('users').select('id').where('login', '=', login).executeTakeFirstOrThrow()).id;
const actor = async (login: string) => (await new ActorLoader(database.db).load(await user(login), '00000000-0000-0000-0000-000000000000'))!;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedDemo(database.db, () => undefined);
  schoolId = (await database.db.selectFrom('schools').select('id').executeTakeFirstOrThrow()).id;
  await seedMessagingDemo(database.db, { schoolId, now });
});
afterAll(() => database.close());

const count = async (table: 'messages' | 'message_copies') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('the demo week of messages', () => {
  it('writes the week once: a second run adds nothing', async () => {
    const before = [await count('messages'), await count('message_copies')];
    expect(before[0]).toBe(7);
    await seedMessagingDemo(database.db, { schoolId, now });
    expect([await count('messages'), await count('message_copies')]).toEqual(before);
  });

  it("gives Sophie Martin the principal's and the CPE's letters to every family, Karim's test notice and his answer, two unread", async () => {
    const sophie = await actor('sophie.martin');
    const inbox = await listThreads({ db: database.db }, sophie, {});
    expect(inbox.threads.map((t) => t.subject)).toEqual(['Absences et retards : rappel', 'Contrôle de mathématiques vendredi', 'Organisation de la semaine']);
    expect(inbox.threads.map((t) => t.unreadCount)).toEqual([1, 1, 0]);
    const thread = await getThread({ db: database.db }, sophie, inbox.threads[1]!.id);
    expect(thread.messages.map((m) => m.sender.lastName)).toEqual(['Benali', 'Martin', 'Benali']);
    expect(thread.messages[0]!.audience.groups.map((g) => g.label)).toEqual(['Parents de 6e A']);
    expect(new Date(thread.messages[2]!.sentAt).getTime()).toBeLessThan(now.getTime());
  });

  it('gives Léa her question and an unread answer, and reaches every family of the school', async () => {
    const counts = await countUnread(database.db, [await user('lea.martin'), await user('karim.benali')]);
    expect(Object.values(counts)).toEqual([1, 0]);
    const parents = await database.db
      .selectFrom('role_assignments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('school_id', '=', schoolId)
      .where('role', '=', 'parent')
      .executeTakeFirstOrThrow();
    const principal = await database.db
      .selectFrom('messages')
      .select('recipient_count')
      .where('sender_id', '=', await user('claire.dubois'))
      .executeTakeFirstOrThrow();
    expect(principal.recipient_count).toBe(Number(parents.n));
  });
});
