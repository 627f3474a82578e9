import { describe, expect, it } from 'vitest';
import {
  buildOccurrence,
  expandOccurrences,
  parseOccurrenceId,
  type LessonRule,
  type OccurrenceException,
} from './occurrences.ts';
import { frenchTime, isoWeek, isoWeekday, mondayOf, parseDate, weekParityOf, zonedInstant } from './zoned-time.ts';

const LESSON_ID = '11111111-2222-4333-8444-555555555555';
const iso = (ms: number) => new Date(ms).toISOString();

function lesson(overrides: Partial<LessonRule & { exceptions: OccurrenceException[] }> = {}): LessonRule & { exceptions: OccurrenceException[] } {
  return {
    id: LESSON_ID,
    weekday: 1,
    startTime: '08:00',
    endTime: '09:00',
    timeZone: 'Europe/Paris',
    validFrom: '2025-09-01',
    validTo: '2026-07-04',
    weekParity: null,
    room: 'Salle 12',
    virtualKind: null,
    virtualUrl: null,
    exceptions: [],
    ...overrides,
  };
}

function exception(overrides: Partial<OccurrenceException>): OccurrenceException {
  return {
    occursOn: '2026-03-30',
    cancelled: false,
    cancelReason: null,
    movedOn: null,
    movedStart: null,
    movedEnd: null,
    movedRoom: null,
    substituteId: null,
    substituteName: null,
    virtualKind: null,
    virtualUrl: null,
    ...overrides,
  };
}

describe('wall-clock times in Europe/Paris', () => {
  it('keeps 8:00 at 8:00 across the change to summer time (last Sunday of March)', () => {
    expect(iso(zonedInstant('2026-03-27', 8 * 60))).toBe('2026-03-27T07:00:00.000Z');
    expect(iso(zonedInstant('2026-03-30', 8 * 60))).toBe('2026-03-30T06:00:00.000Z');
  });

  it('keeps 8:00 at 8:00 across the change back to winter time (last Sunday of October)', () => {
    expect(iso(zonedInstant('2026-10-23', 8 * 60))).toBe('2026-10-23T06:00:00.000Z');
    expect(iso(zonedInstant('2026-10-26', 8 * 60))).toBe('2026-10-26T07:00:00.000Z');
  });

  it('on the Sunday clocks jump forward, 02:30 does not exist and means 03:30 summer time', () => {
    expect(iso(zonedInstant('2026-03-29', 2 * 60 + 30))).toBe('2026-03-29T01:30:00.000Z');
    expect(iso(zonedInstant('2026-03-29', 3 * 60))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(zonedInstant('2026-03-29', 1 * 60 + 59))).toBe('2026-03-29T00:59:00.000Z');
  });

  it('on the Sunday clocks fall back, 02:30 happens twice and means the first one', () => {
    expect(iso(zonedInstant('2026-10-25', 2 * 60 + 30))).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(zonedInstant('2026-10-25', 3 * 60 + 30))).toBe('2026-10-25T02:30:00.000Z');
  });

  it('writes times the French way and knows ISO weeks and weekdays', () => {
    expect(frenchTime(Date.parse('2026-09-07T06:50:00Z'))).toBe('8 h 50');
    expect(frenchTime(Date.parse('2026-01-05T13:05:00Z'))).toBe('14 h 05');
    expect(isoWeekday('2026-09-07')).toBe(1);
    expect(isoWeekday('2026-09-13')).toBe(7);
    expect(isoWeek('2026-01-01')).toBe(1);
    expect(isoWeek('2027-01-01')).toBe(53);
    expect(isoWeek('2025-12-29')).toBe(1);
    expect(mondayOf('2026-09-10')).toBe('2026-09-07');
    expect([weekParityOf('2026-09-07'), weekParityOf('2026-09-14')]).toEqual(['A', 'B']);
  });

  it('refuses dates that do not exist (VALIDATION)', () => {
    expect(() => parseDate('2026-02-30')).toThrow(/n'existe pas/);
    expect(() => parseDate('07/09/2026')).toThrow(/AAAA-MM-JJ/);
  });
});

describe('expanding weekly lessons into occurrences', () => {
  it('gives the Monday lessons of a range, an hour earlier in UTC after the change to summer time', () => {
    const occurrences = expandOccurrences([lesson()], '2026-03-16', '2026-04-05');
    expect(occurrences.map((o) => [o.date, iso(o.start), iso(o.end)])).toEqual([
      ['2026-03-16', '2026-03-16T07:00:00.000Z', '2026-03-16T08:00:00.000Z'],
      ['2026-03-23', '2026-03-23T07:00:00.000Z', '2026-03-23T08:00:00.000Z'],
      ['2026-03-30', '2026-03-30T06:00:00.000Z', '2026-03-30T07:00:00.000Z'],
    ]);
    expect(occurrences[0]).toMatchObject({ id: `${LESSON_ID}_2026-03-16`, status: 'scheduled', room: 'Salle 12', virtual: null });
    expect(iso(occurrences[0]!.joinOpensAt)).toBe('2026-03-16T06:50:00.000Z');
  });

  it('gives a 01:30–03:30 lesson three real hours the night clocks fall back, one the night they jump forward', () => {
    const sunday = lesson({ weekday: 7, startTime: '01:30', endTime: '03:30', validTo: '2026-12-31' });
    const [october] = expandOccurrences([sunday], '2026-10-25', '2026-10-25');
    expect([iso(october!.start), iso(october!.end)]).toEqual(['2026-10-24T23:30:00.000Z', '2026-10-25T02:30:00.000Z']);
    const [march] = expandOccurrences([sunday], '2026-03-29', '2026-03-29');
    expect([iso(march!.start), iso(march!.end)]).toEqual(['2026-03-29T00:30:00.000Z', '2026-03-29T01:30:00.000Z']);
  });

  it('keeps to the validity dates and to semaine A or B', () => {
    const a = lesson({ weekParity: 'A', validFrom: '2026-09-01', validTo: '2026-10-31' });
    expect(expandOccurrences([a], '2026-08-24', '2026-09-30').map((o) => o.date)).toEqual(['2026-09-07', '2026-09-21']);
    const b = lesson({ weekParity: 'B', validFrom: '2026-09-01', validTo: '2026-10-31' });
    expect(expandOccurrences([b], '2026-08-24', '2026-09-30').map((o) => o.date)).toEqual(['2026-09-14', '2026-09-28']);
    expect(expandOccurrences([a], '2026-11-01', '2026-12-31')).toEqual([]);
  });

  it('marks a cancelled occurrence with its reason and keeps it in place', () => {
    const l = lesson({ exceptions: [exception({ occursOn: '2026-03-30', cancelled: true, cancelReason: 'Sortie au musée' })] });
    const [o] = expandOccurrences([l], '2026-03-30', '2026-03-30');
    expect(o).toMatchObject({ status: 'cancelled', exception: { cancelReason: 'Sortie au musée' } });
  });

  it('moves an occurrence to another day: gone from its date, found on the new one with where it was planned', () => {
    const moved = exception({ occursOn: '2026-03-30', movedOn: '2026-04-02', movedStart: '14:00', movedEnd: '15:00', movedRoom: 'Labo SVT' });
    const l = lesson({ exceptions: [moved] });
    expect(expandOccurrences([l], '2026-03-30', '2026-03-30')).toEqual([]);
    const [o] = expandOccurrences([l], '2026-04-02', '2026-04-02');
    expect(o).toMatchObject({ id: `${LESSON_ID}_2026-03-30`, date: '2026-03-30', day: '2026-04-02', status: 'moved', room: 'Labo SVT' });
    expect([iso(o!.start), iso(o!.planned!.start), o!.planned!.room]).toEqual(['2026-04-02T12:00:00.000Z', '2026-03-30T06:00:00.000Z', 'Salle 12']);
    // A week view holding both days shows it once.
    expect(expandOccurrences([l], '2026-03-30', '2026-04-05')).toHaveLength(1);
  });

  it('counts a change of room alone as moved, and an occurrence link over the lesson link', () => {
    const l = lesson({
      virtualKind: 'jitsi',
      exceptions: [exception({ occursOn: '2026-03-30', movedRoom: 'Gymnase', virtualKind: 'url', virtualUrl: 'https://visio.example.org/x' })],
    });
    const [first, second] = expandOccurrences([l], '2026-03-30', '2026-04-06');
    expect(first).toMatchObject({ status: 'moved', room: 'Gymnase', virtual: { kind: 'url', scope: 'occurrence' } });
    expect(second).toMatchObject({ status: 'scheduled', room: 'Salle 12', virtual: { kind: 'jitsi', scope: 'lesson' } });
  });

  it('ignores an exception on a date the rule does not hold (stale after an edit)', () => {
    const l = lesson({ exceptions: [exception({ occursOn: '2026-03-31', movedOn: '2026-04-01', movedStart: '10:00', movedEnd: '11:00' })] });
    expect(expandOccurrences([l], '2026-03-30', '2026-04-05').map((o) => o.date)).toEqual(['2026-03-30']);
  });

  it('names occurrences by lesson and date, and refuses malformed names', () => {
    expect(parseOccurrenceId(`${LESSON_ID}_2026-03-30`)).toEqual({ lessonId: LESSON_ID, date: '2026-03-30' });
    expect(() => parseOccurrenceId('abc_2026-03-30')).toThrow(/invalide/);
    expect(buildOccurrence(lesson(), '2026-03-30', null).id).toBe(`${LESSON_ID}_2026-03-30`);
  });
});
