/** Services and SQL of the messagerie on a real database: costs, search, the picker against the policy, the dashboard's functions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries } from '../../platform/db/db.ts';
import { openTestDatabase } from '../../test/database.ts';
import { addPupils, createSchoolFixture, type SchoolFixture } from '../../test/fixtures.ts';
import { ActorLoader, can, type Actor } from '../access/index.ts';
import { getThread, listThreads } from './inbox.service.ts';
import { countUnread, findRecentThreads } from './index.ts';
import { effectiveRules } from './messaging.rules.ts';
import { listRecipientOptions } from './recipients.service.ts';
import { asPolicyRecipient, findRecipients } from './recipients.store.ts';
import { replyToThread, startThread, type MessagingDeps } from './send.service.ts';

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let deps: MessagingDeps;
let s: SchoolFixture;
let actors: ActorLoader;
const actor = async (userId: string): Promise<Actor> => (await actors.load(userId, '00000000-0000-0000-0000-000000000000'))!;

beforeAll(async () => {
  database = await openTestDatabase();
  deps = { db: database.db };
  s = await createSchoolFixture(database.db, { passwordHash: 'x' });
  actors = new ActorLoader(database.db, { ttlMs: 0 });
});
afterAll(() => database.close());

const toParentsOf6A = { groups: [{ kind: 'class_parents' as const, classId: '' }] };

describe('costs', () => {
  it('sending to a class costs the same few queries whatever its size', async () => {
    const karim = await actor(s.users.teacher6A);
    const measure = async () => {
      toParentsOf6A.groups[0]!.classId = s.class6A;
      const { result, queries } = await countQueries(() =>
        startThread(deps, karim, { subject: 'Réunion', body: 'Réunion mardi à 18 h.', recipients: toParentsOf6A }),
      );
      return { queries, recipients: result.recipientCount };
    };
    const small = await measure();
    await addPupils(database.db, s.schoolA, s.class6A, 40);
    const big = await measure();
    expect(small.recipients).toBe(1);
    expect(big.recipients).toBe(41);
    expect(big.queries).toBe(small.queries);
    expect(big.queries).toBeLessThanOrEqual(7); // context, people, BEGIN, thread, message, copies, COMMIT
  });

  it('an inbox page is one query, however many conversations there are', async () => {
    const sophie = await actor(s.users.parentLea);
    const before = await countQueries(() => listThreads(deps, sophie, {}));
    const karim = await actor(s.users.teacher6A);
    for (let i = 0; i < 12; i++) await startThread(deps, karim, { subject: `Information ${i}`, body: 'Texte', recipients: { people: [s.users.parentLea] } });
    const after = await countQueries(() => listThreads(deps, sophie, { limit: 50 }));
    expect(before.queries).toBe(1);
    expect(after.queries).toBe(1);
    expect(after.result.threads.length).toBe(before.result.threads.length + 12);
    const searched = await countQueries(() => listThreads(deps, sophie, { q: 'information', folder: 'archive' }));
    expect(searched.queries).toBe(1);
  });

  it('a thread is one query, plus one to mark it read when something was unread', async () => {
    const sophie = await actor(s.users.parentLea);
    const [latest] = (await listThreads(deps, sophie, { limit: 1 })).threads;
    const first = await countQueries(() => getThread(deps, sophie, latest!.id));
    const again = await countQueries(() => getThread(deps, sophie, latest!.id));
    expect(first.queries).toBe(2);
    expect(again.queries).toBe(1);
  });

  it("the dashboard's unread counts take one query for many people, and recent threads one query", async () => {
    const ids = [s.users.parentLea, s.users.lea, s.users.teacher6A, s.users.hugo];
    const { result, queries } = await countQueries(() => countUnread(database.db, ids));
    expect(queries).toBe(1);
    expect(Object.keys(result).sort()).toEqual([...ids].sort());
    expect(result[s.users.parentLea]).toBeGreaterThanOrEqual(12);
    expect(result[s.users.hugo]).toBe(0);
    const recent = await countQueries(() => findRecentThreads(database.db, s.users.parentLea, 3));
    expect(recent.queries).toBe(1);
    expect(recent.result).toHaveLength(3);
    expect(recent.result[0]).toMatchObject({ subject: 'Information 11', lastMessage: { sender: { lastName: 'Benali' } } });
  });
});

describe('search in one’s own messages', () => {
  beforeAll(async () => {
    const karim = await actor(s.users.teacher6A);
    const sent = await startThread(deps, karim, {
      subject: 'Évaluation de géométrie',
      body: 'Les élèves réviseront les fractions et les angles pour jeudi.',
      recipients: { people: [s.users.parentLea, s.users.lea] },
    });
    await replyToThread(deps, await actor(s.users.parentLea), sent.threadId, { inReplyTo: sent.messageId, body: 'Merci, bien noté pour le cahier.' });
    const julien = await actor(s.users.cpe);
    await startThread(deps, julien, { subject: 'Retards du matin', body: 'Merci de veiller à la ponctualité.', recipients: { people: [s.users.hugo] } });
  });

  const subjects = async (userId: string, q: string) =>
    (await listThreads(deps, await actor(userId), { q, limit: 50 })).threads.map((x) => x.subject);

  it('finds by subject, ignoring accents and case', async () => {
    expect(await subjects(s.users.parentLea, 'evaluation')).toEqual(['Évaluation de géométrie']);
    expect(await subjects(s.users.parentLea, 'GÉOMÉTRIE')).toEqual(['Évaluation de géométrie']);
  });

  it('finds by words of the text, in French (plural, part of a word)', async () => {
    expect(await subjects(s.users.lea, 'fraction')).toEqual(['Évaluation de géométrie']);
    expect(await subjects(s.users.lea, 'eleve')).toEqual(['Évaluation de géométrie']);
    expect(await subjects(s.users.parentLea, 'cahier')).toEqual(['Évaluation de géométrie']);
    expect(await subjects(s.users.lea, 'angl')).toEqual(['Évaluation de géométrie']);
  });

  it("finds by the sender's name", async () => {
    expect(await subjects(s.users.hugo, 'moreau')).toEqual(['Retards du matin']);
    expect(await subjects(s.users.hugo, 'Julien Moreau')).toEqual(['Retards du matin']);
  });

  it('never finds what one did not send or receive, and takes special characters literally', async () => {
    expect(await subjects(s.users.hugo, 'géométrie')).toEqual([]);
    expect(await subjects(s.users.lea, 'ponctualité')).toEqual([]);
    expect(await subjects(s.users.lea, 'cahier')).toEqual([]); // the reply went to Karim only
    expect(await subjects(s.users.lea, '%')).toEqual([]);
    expect(await subjects(s.users.lea, '"fractions" OR -angles')).toEqual(['Évaluation de géométrie']);
  });
});

describe('the recipient picker', () => {
  it('offers exactly the people of the school that the policy lets each person write to', async () => {
    const everyone = await database.db.selectFrom('role_assignments').select('user_id').where('school_id', '=', s.schoolA).distinct().execute();
    const rows = await findRecipients(database.db, s.schoolA, everyone.map((r) => r.user_id));
    const rules = effectiveRules([]);
    for (const userId of [s.users.lea, s.users.hugo, s.users.parentLea, s.users.teacherParentHugo, s.users.cpe]) {
      const who = await actor(userId);
      const allowed = rows
        .filter((r) => r.id !== userId && can(who, 'messaging.person.write', { schoolId: s.schoolA, rules, recipient: asPolicyRecipient(r) }))
        .map((r) => r.id)
        .sort();
      const offered = new Set<string>();
      for (const q of ['', ...'0123456789', 'a', 'e', 'i', 'o', 'u', 'y']) {
        const page = await listRecipientOptions(deps, who, { schoolId: s.schoolA, q, limit: 50 });
        for (const p of page.people) offered.add(p.id);
      }
      expect([...offered].sort(), userId).toEqual(allowed);
    }
  });

  it("describes a parent by their children and a teacher by subjects and classes", async () => {
    const karim = await actor(s.users.teacher6A);
    const page = await listRecipientOptions(deps, karim, { q: 'bernard' });
    const anne = page.people.find((p) => p.id === s.users.teacherParentHugo);
    expect(anne).toMatchObject({ roles: ['parent', 'teacher'], subjects: ['Français'], classes: ['6e A'], children: [{ firstName: 'Hugo', className: '5e B' }] });
    expect(page.school.name).toBe('Collège A');
    expect(page.groups.map((g) => g.label)).toEqual([]); // no group label contains « bernard »
  });
});
