/**
 * RFC 5545 content lines: TEXT escaping (backslash, semicolon, comma, newline), UTC date-times,
 * and folding at 75 octets (CRLF then one space, never inside a UTF-8 character). Lines end
 * with CRLF. Nothing here knows about lessons.
 */

/** Escapes a TEXT value (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line so that no line is longer than 75 octets (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // The first line holds 75 octets; each continuation starts with a space, so 74 more.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

/** 20260907T060000Z */
export const utcDateTime = (instant: number): string => new Date(instant).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** 20260907 (a DATE value). */
export const dateValue = (date: string): string => date.replace(/-/g, '');

/** Builds a calendar object line by line. */
export class IcsWriter {
  private readonly lines: string[] = [];

  /** A property with an already formatted value (dates, enumerations). */
  raw(name: string, value: string): this {
    this.lines.push(`${name}:${value}`);
    return this;
  }

  /** A TEXT property, escaped. */
  text(name: string, value: string): this {
    return this.raw(name, escapeText(value));
  }

  begin(component: string): this {
    return this.raw('BEGIN', component);
  }

  end(component: string): this {
    return this.raw('END', component);
  }

  toString(): string {
    return this.lines.map(foldLine).join('\r\n') + '\r\n';
  }
}
