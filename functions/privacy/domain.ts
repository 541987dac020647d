// Finding and anonymising one person's data in any stored item, by their email address. Generic on
// purpose: it needs no list of item types, so data that a later capability stores is covered too.
import { createHash } from 'node:crypto';

export type Item = Record<string, unknown>;

/** The fields that hold key values: if one of them names the person, the item must be re-keyed. */
export const keyFields = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

const norm = (text: string) => text.toLowerCase();

/** Whether any string anywhere in the value mentions the address (in any letter case). */
export function mentions(value: unknown, email: string): boolean {
  const address = norm(email);
  if (typeof value === 'string') return norm(value).includes(address);
  if (Array.isArray(value)) return value.some((v) => mentions(v, email));
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    return Object.values(value).some((v) => mentions(v, email));
  }
  return false;
}

/** A stand-in address that no longer identifies the person but keeps records of one person apart. */
export function placeholderFor(email: string): string {
  return `erased-${createHash('sha256').update(norm(email)).digest('hex').slice(0, 16)}@erased.invalid`;
}

const personFields = new Set(['name', 'contactName', 'phone', 'firstName', 'lastName']);
const replaceAll = (text: string, email: string, placeholder: string) =>
  text.replace(new RegExp(email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), placeholder);

/**
 * The value with every mention of the address replaced by the placeholder, and the name and phone
 * of each object that held the address (a contact, a registration) erased too.
 */
export function anonymise<T>(value: T, email: string, placeholder = placeholderFor(email)): T {
  if (typeof value === 'string') return replaceAll(value, email, placeholder) as T;
  if (Array.isArray(value)) return value.map((v) => anonymise(v, email, placeholder)) as T;
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value as Item);
    const holdsAddress = entries.some(([, v]) => typeof v === 'string' && norm(v) === norm(email));
    return Object.fromEntries(
      entries.flatMap(([key, v]) => {
        if (holdsAddress && personFields.has(key)) return key === 'phone' ? [] : [[key, 'Erased']];
        return [[key, anonymise(v, email, placeholder)]];
      }),
    ) as T;
  }
  return value;
}

/** Whether erasing changes the item's key (then it is deleted and written anew under the new key). */
export function keyMentions(item: Item, email: string): boolean {
  return keyFields.some((field) => typeof item[field] === 'string' && mentions(item[field], email));
}

/** Items that only exist because of the address and mean nothing without it. */
export function dropEntirely(item: Item): boolean {
  return item.type === 'suppression';
}

/** What an export shows of an item: its data without the storage keys. */
export function exported(item: Item): Item {
  const copy: Item = { ...item };
  for (const field of keyFields) delete copy[field];
  delete copy.accessToken;
  return copy;
}
