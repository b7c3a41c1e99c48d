import { createHash } from 'node:crypto';

/**
 * An idempotency key from ids the edge has already checked (printable, at most 512 characters each): readable
 * when short, otherwise the prefix and a hash of the parts, so a key always fits the store's 512 characters.
 */
export function boundedKey(prefix: string, ...parts: string[]): string {
  const plain = [prefix, ...parts].join(':');
  if (plain.length <= 300) return plain;
  return `${prefix}:h:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}
