/**
 * A tiny flag parser for the bench and rehearsal commands: `--name value`, `--name=value` and
 * bare `--flag` (true). Unknown flags are kept so each command can say which ones it refuses.
 */
export type Flags = ReadonlyMap<string, string | true>;

export function parseFlags(argv: readonly string[]): Flags {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      flags.set(arg.slice(2, eq), arg.slice(eq + 1));
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      flags.set(arg.slice(2), next);
      i++;
    } else {
      flags.set(arg.slice(2), true);
    }
  }
  return flags;
}

/** A number flag, with bounds; a bad value stops the command with a message naming the flag. */
export function numberFlag(flags: Flags, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw === true || !Number.isFinite(value) || value < min || value > max) {
    throw new Error(`--${name}: expected a number between ${min} and ${max}, got ${String(raw)}`);
  }
  return value;
}

export function stringFlag(flags: Flags, name: string): string | null {
  const raw = flags.get(name);
  return typeof raw === 'string' ? raw : null;
}

export function boolFlag(flags: Flags, name: string): boolean {
  const raw = flags.get(name);
  return raw === true || raw === 'true' || raw === '1';
}

/** Comma-separated numbers (`--overload 2,5,10`). */
export function listFlag(flags: Flags, name: string): number[] {
  const raw = flags.get(name);
  if (raw === undefined) return [];
  if (raw === true) throw new Error(`--${name}: expected a list such as 2,5,10`);
  const values = raw.split(',').map((x) => Number(x.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0)) throw new Error(`--${name}: expected positive numbers, got ${raw}`);
  return values;
}
