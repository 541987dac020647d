// Reading what DynamoDB returns: every item goes through its codec (a zod schema of the stored shape),
// so a reader gets a checked value, never a cast. Zod drops the keys and bookkeeping attributes (pk,
// sk, gsi1pk, type …) that the codec does not name.
import type * as z from 'zod';

/** The item as its codec reads it; undefined when there is no item. A malformed item throws, naming the field. */
export function decode<Codec extends z.ZodType>(
  codec: Codec,
  item: Record<string, unknown> | undefined,
): z.output<Codec> | undefined {
  return item === undefined ? undefined : codec.parse(item);
}

/** Every item of a listing through its codec. */
export function decodeAll<Codec extends z.ZodType>(codec: Codec, items: readonly Record<string, unknown>[]): z.output<Codec>[] {
  return items.map((item) => codec.parse(item));
}
