import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { EncodedBody, pickEncoding } from './encoded-body.ts';

describe('pickEncoding', () => {
  it('prefers brotli, then gzip, and honours q=0 and *', () => {
    expect(pickEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(pickEncoding('gzip, deflate')).toBe('gzip');
    expect(pickEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(pickEncoding('identity')).toBeNull();
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
    expect(pickEncoding('BR')).toBe('br');
    expect(pickEncoding(undefined)).toBeNull();
    expect(pickEncoding('')).toBeNull();
    expect(pickEncoding(['deflate', 'gzip'])).toBe('gzip');
  });
});

describe('EncodedBody', () => {
  const json = JSON.stringify({ today: Array.from({ length: 80 }, (_, i) => ({ title: `Devoir ${i}`, due: '2026-11-23' })) });

  it('compresses once per encoding, losslessly', () => {
    const body = new EncodedBody(json);
    const br = body.encoded('br')!;
    expect(body.encoded('br')).toBe(br);
    expect(brotliDecompressSync(br).toString()).toBe(json);
    expect(gunzipSync(body.encoded('gzip')!).toString()).toBe(json);
    expect(br.length).toBeLessThan(json.length / 3);
  });

  it('leaves small bodies and identity alone', () => {
    expect(new EncodedBody('{"a":1}').encoded('br')).toBeNull();
    expect(new EncodedBody(json).encoded(null)).toBeNull();
  });
});
