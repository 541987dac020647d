// Contracts of the tutor roster endpoints: POST /tutors, GET /tutors, PATCH /tutors/{tutorId}.
import * as z from 'zod';
import { Email, Id, IsoDateTime, Language, singleLine } from '../common.js';

/** A region as the coordinators' register names it (a code such as "01" or a name); matched without case. */
export const Region = singleLine(100);

const tutorFields = {
  name: singleLine(200),
  email: Email,
  languages: z.array(Language).min(1).max(3),
  regions: z.array(Region).max(50),
  /** How many active engagements the tutor takes at most; automatic and manual assignment both respect it. */
  maxActive: z.int().min(1).max(100),
  /** An inactive tutor keeps the engagements already assigned but gets no new ones. */
  active: z.boolean(),
};

export const CreateTutorBody = z.strictObject({
  ...tutorFields,
  regions: tutorFields.regions.default([]),
  active: tutorFields.active.default(true),
});
export type CreateTutorBody = z.infer<typeof CreateTutorBody>;

export const UpdateTutorBody = z
  .strictObject(tutorFields)
  .partial()
  .refine((t) => Object.keys(t).length > 0, {
    message: 'name at least one field to change',
    params: { code: 'nothing_to_change' },
  });
export type UpdateTutorBody = z.infer<typeof UpdateTutorBody>;

export const TutorPath = z.object({ tutorId: Id });

export const TutorView = z.object({
  tutorId: Id,
  name: z.string(),
  email: Email,
  languages: z.array(Language),
  regions: z.array(z.string()),
  maxActive: z.int(),
  active: z.boolean(),
  /** Engagements assigned to the tutor and not yet completed. */
  activeEngagements: z.int(),
  lastAssignedAt: IsoDateTime.optional(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type TutorView = z.infer<typeof TutorView>;

export const TutorList = z.object({ tutors: z.array(TutorView) });
