// Contracts of the application endpoints: apply, and read an application's status.
import * as z from 'zod';
import { Email, Id, IsoDateTime, Language, MunicipalityCode } from '../common.js';

export const ApplicationStatus = z.enum(['received', 'accepted', 'waitlisted', 'withdrawn', 'carried-over', 'completed']);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

export const ApplyBody = z.strictObject({
  municipality: z.strictObject({
    code: MunicipalityCode,
    name: z.string().trim().min(1).max(100),
  }),
  contact: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: Email,
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{5,20}$/, 'must be a phone number, e.g. +358 40 123 4567')
      .optional(),
  }),
  language: Language,
  themes: z.array(z.string().trim().min(1).max(200)).min(1).max(20),
  situation: z.string().max(4000).optional(),
  consent: z.literal(true, { message: 'must be true: we need consent to store the contact details' }),
});
export type ApplyBody = z.infer<typeof ApplyBody>;

export const ApplyPath = z.object({ roundId: Id });

export const ApplyResponse = z.object({
  applicationId: Id,
  status: ApplicationStatus,
  statusUrl: z.url(),
});
export type ApplyResponse = z.infer<typeof ApplyResponse>;

export const ApplicationPath = z.object({ applicationId: Id });
export const ApplicationQuery = z.object({ token: z.string().min(1, 'is required: use the link from your email') });

export const ApplicationView = z.object({
  applicationId: Id,
  roundId: Id,
  roundName: z.string(),
  municipality: z.object({ code: MunicipalityCode, name: z.string() }),
  language: Language,
  themes: z.array(z.string()),
  status: ApplicationStatus,
  position: z.int().optional(),
  receivedAt: IsoDateTime,
  tutor: z.object({ name: z.string(), email: Email }).optional(),
  meetings: z.array(z.object({ meetingId: Id, kind: z.string(), startsAt: IsoDateTime })),
});
export type ApplicationView = z.infer<typeof ApplicationView>;
