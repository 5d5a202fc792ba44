/**
 * A template's id: the first 64 bits of FNV-1a over the template's UTF-8
 * bytes, in hex. A function of the text alone, so the same template has the
 * same id in every call, process and machine, and an id read in an old
 * advisory still names the same template. (When more lines generalise a
 * template, e.g. a word position becomes `<*>`, the text changes and so
 * does the id.)
 */
const OFFSET = 0xcbf29ce484222325n;
const PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;
const encoder = new TextEncoder();

export function templateId(template: string): string {
  let h = OFFSET;
  for (const byte of encoder.encode(template)) h = ((h ^ BigInt(byte)) * PRIME) & MASK;
  return h.toString(16).padStart(16, '0');
}
