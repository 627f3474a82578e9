/**
 * Safe file and folder names: what people type or their browser sends becomes a name that is
 * safe to store, to show and to put in a Content-Disposition header, on every operating system.
 */

const MAX_NAME_LENGTH = 200;

/** Lowercase extension without the dot, or '' (a leading dot, as in `.bashrc`, is not one). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * A file name safe to store and to put in a Content-Disposition header: the last path segment
 * only, Unicode NFC, no control or bidirectional-override characters, none of `<>:"/\|?*`,
 * no leading/trailing dots or spaces, at most `maxLength` (200) characters with the extension kept.
 * Falls back to `fichier` (plus `fallbackExtension`) when nothing usable is left.
 */
export function safeFileName(raw: string, fallbackExtension = '', maxLength = MAX_NAME_LENGTH): string {
  const lastSegment = raw.normalize('NFC').split(/[/\\]/).pop() ?? '';
  const cleaned = lastSegment
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  const name = cleaned === '' ? `fichier${fallbackExtension ? `.${fallbackExtension}` : ''}` : cleaned;
  const characters = [...name]; // code points, so an emoji is never cut in half
  if (characters.length <= maxLength) return name;
  const extension = extensionOf(name);
  const suffix = extension && extension.length <= 10 ? `.${[...name].slice(-extension.length).join('')}` : '';
  return characters.slice(0, maxLength - [...suffix].length).join('').trimEnd() + suffix;
}
