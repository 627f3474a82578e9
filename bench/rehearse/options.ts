/** The rehearsal's flags (see bench/README.md). */
import { boolFlag, listFlag, numberFlag, parseFlags, stringFlag } from '../lib/args.ts';

export interface RehearsalOptions {
  url: string | null;
  databaseUrl: string | null;
  pg: string | null;
  pupils: number;
  compress: number;
  passwordShare: number;
  overload: number[];
  surgeS: number;
  calibrationStartRate: number;
  stayPolls: number;
  timeoutMs: number;
  patienceS: number;
  json: boolean;
  out: string | null;
  png: boolean;
  profileDir: string | null;
  seed: number;
}

export function readOptions(argv: readonly string[]): RehearsalOptions {
  const f = parseFlags(argv);
  const pg = f.get('pg');
  return {
    url: stringFlag(f, 'url'),
    databaseUrl: stringFlag(f, 'database-url'),
    pg: pg === undefined ? null : pg === true ? 'postgres://postgres@127.0.0.1:5432/postgres' : pg,
    pupils: numberFlag(f, 'pupils', 300, 10, 100_000),
    compress: numberFlag(f, 'compress', 10, 1, 1000),
    passwordShare: numberFlag(f, 'password-share', 0.15, 0, 1),
    overload: listFlag(f, 'overload'),
    surgeS: numberFlag(f, 'surge', 12, 2, 600),
    calibrationStartRate: numberFlag(f, 'calibration-start', 4, 0.5, 10_000),
    stayPolls: numberFlag(f, 'stay-polls', 3, 0, 100),
    timeoutMs: numberFlag(f, 'timeout', 30, 1, 600) * 1000,
    patienceS: numberFlag(f, 'patience', 600, 10, 3600),
    json: boolFlag(f, 'json'),
    out: stringFlag(f, 'out'),
    png: boolFlag(f, 'png'),
    profileDir: stringFlag(f, 'profile'),
    seed: numberFlag(f, 'seed', 9, 0, 1e9),
  };
}
