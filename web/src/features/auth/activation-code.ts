/** `k7qm 3xwp-9d2f` → `K7QM-3XWP-9D2F`: people copy codes from paper, with spaces, dashes, any case. */
export function normaliseActivationCode(raw: string): string {
  const chars = raw.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (chars.length !== 12) return chars;
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}
