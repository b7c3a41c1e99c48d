/** Email addresses, found by linkify-it (the link finder used by markdown-it) with only its email detection on. */
import { LinkifyIt } from 'linkify-it';
import type { Span } from './types';

const linkify = new LinkifyIt({ fuzzyLink: false, fuzzyIP: false, fuzzyEmail: true })
  .add('http:', null)
  .add('https:', null)
  .add('ftp:', null)
  .add('//', null);

export function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of linkify.match(text) ?? []) {
    if (m.schema !== 'mailto:' && !/^mailto:/i.test(m.raw)) continue;
    let start = m.index;
    if (/^mailto:/i.test(m.raw)) start += 'mailto:'.length;
    if (!text.slice(start, m.lastIndex).includes('@')) continue;
    spans.push({ type: 'email', start, end: m.lastIndex });
  }
  return spans;
}
