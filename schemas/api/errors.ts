// The one error body every failing HTTP answer carries (API.md, "Errors").
import * as z from 'zod';

/**
 * One problem with the request. `code` is stable and the pages translate it (with `params`, e.g.
 * `{minimum: 1}`); `message` is the same in the language `Accept-Language` asked for.
 */
export const ErrorIssue = z.object({
  path: z.string(),
  code: z.string(),
  params: z.record(z.string(), z.unknown()).optional(),
  message: z.string(),
});
export type ErrorIssue = z.infer<typeof ErrorIssue>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(ErrorIssue).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
