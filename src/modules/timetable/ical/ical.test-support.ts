/**
 * A strict reader of iCalendar text for the tests: it fails on anything RFC 5545 forbids that a
 * lenient parser would let through (bare LF, lines over 75 octets, unbalanced components,
 * unescaped commas or semicolons in TEXT, missing UID/DTSTAMP/DTSTART, malformed dates).
 */
export interface IcsProperty {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface IcsComponent {
  name: string;
  props: IcsProperty[];
  components: IcsComponent[];
  /** The first value of a property, TEXT unescaped. */
  get(name: string): string | undefined;
}

const TEXT_PROPS = new Set(['SUMMARY', 'DESCRIPTION', 'LOCATION', 'X-WR-CALNAME', 'X-WR-CALDESC', 'COMMENT']);
const UTC_DATE_TIME = /^\d{8}T\d{6}Z$/;
const DATE = /^\d{8}$/;

/** Unescapes a TEXT value; throws on a bare comma or semicolon, or an unknown escape. */
export function unescapeText(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === ';' || ch === ',') throw new Error(`TEXT non échappé : ${value}`);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = value[++i];
    if (next === 'n' || next === 'N') out += '\n';
    else if (next === '\\' || next === ';' || next === ',') out += next;
    else throw new Error(`échappement inconnu dans : ${value}`);
  }
  return out;
}

function component(name: string): IcsComponent {
  const c: IcsComponent = {
    name,
    props: [],
    components: [],
    get(prop) {
      const p = c.props.find((x) => x.name === prop);
      if (!p) return undefined;
      return TEXT_PROPS.has(prop) ? unescapeText(p.value) : p.value;
    },
  };
  return c;
}

export function parseIcsStrict(text: string): IcsComponent {
  if (!text.endsWith('\r\n')) throw new Error('le fichier doit finir par CRLF');
  if (/[^\r]\n|\r[^\n]/.test(text)) throw new Error('fin de ligne qui n’est pas CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical) {
    const octets = new TextEncoder().encode(line).length;
    if (octets > 75) throw new Error(`ligne de ${octets} octets (> 75) : ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (logical.length === 0) throw new Error('continuation sans ligne');
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const stack: IcsComponent[] = [];
  let root: IcsComponent | null = null;
  for (const line of logical) {
    const m = /^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^;:,"]*))*):(.*)$/.exec(line);
    if (!m) throw new Error(`ligne invalide : ${line}`);
    const name = m[1]!.toUpperCase();
    const value = m[3]!;
    const params = Object.fromEntries([...m[2]!.matchAll(/;([A-Za-z0-9-]+)=("[^"]*"|[^;:,"]*)/g)].map((p) => [p[1]!.toUpperCase(), p[2]!]));
    if (name === 'BEGIN') {
      const c = component(value.toUpperCase());
      if (stack.length === 0) {
        if (root) throw new Error('deux objets VCALENDAR');
        root = c;
      } else stack[stack.length - 1]!.components.push(c);
      stack.push(c);
    } else if (name === 'END') {
      const open = stack.pop();
      if (!open || open.name !== value.toUpperCase()) throw new Error(`END:${value} ne ferme pas ${open?.name ?? 'rien'}`);
    } else {
      const current = stack[stack.length - 1];
      if (!current) throw new Error(`propriété hors composant : ${line}`);
      current.props.push({ name, params, value });
    }
  }
  if (stack.length > 0 || !root) throw new Error('composants non fermés');
  checkCalendar(root);
  return root;
}

function checkCalendar(cal: IcsComponent): void {
  if (cal.name !== 'VCALENDAR') throw new Error('la racine doit être VCALENDAR');
  if (cal.get('VERSION') !== '2.0') throw new Error('VERSION:2.0 manquant');
  if (!cal.get('PRODID')) throw new Error('PRODID manquant');
  const uids = new Set<string>();
  for (const c of cal.components) {
    if (c.name !== 'VEVENT' && c.name !== 'VTODO' && c.name !== 'VTIMEZONE') throw new Error(`composant inattendu ${c.name}`);
    if (c.name === 'VTIMEZONE') continue;
    for (const required of ['UID', 'DTSTAMP']) {
      if (c.props.filter((p) => p.name === required).length !== 1) throw new Error(`${c.name} sans ${required} unique`);
    }
    const uid = c.get('UID')!;
    if (uids.has(uid)) throw new Error(`UID en double : ${uid}`);
    uids.add(uid);
    if (!UTC_DATE_TIME.test(c.get('DTSTAMP')!)) throw new Error(`DTSTAMP doit être en UTC : ${c.get('DTSTAMP')}`);
    for (const p of c.props) {
      if (TEXT_PROPS.has(p.name)) unescapeText(p.value);
      if (p.name === 'DTSTART' || p.name === 'DTEND' || p.name === 'DUE') {
        const ok = p.params['VALUE'] === 'DATE' ? DATE.test(p.value) : UTC_DATE_TIME.test(p.value);
        if (!ok) throw new Error(`${p.name} mal formé : ${p.value}`);
      }
    }
    if (c.name === 'VEVENT') {
      const start = c.get('DTSTART');
      const end = c.get('DTEND');
      if (!start) throw new Error('VEVENT sans DTSTART');
      if (end && end <= start) throw new Error(`DTEND (${end}) avant DTSTART (${start})`);
      const status = c.get('STATUS');
      if (status && !['TENTATIVE', 'CONFIRMED', 'CANCELLED'].includes(status)) throw new Error(`STATUS invalide : ${status}`);
    }
  }
}

/** ical.js, a maintained RFC 5545 parser (Mozilla's calendar code), to check our feeds. */
export { default as ICAL } from 'ical.js';
