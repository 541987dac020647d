// The tutor roster's contract, run against the in-memory fake and the DynamoDB store alike: one
// roster entry per email, a change only on top of the tutor as read, the email guard moving with it.
import { beforeAll, describe, expect, it } from 'vitest';
import { aTutor, iso, tutoringSubjects, type TutoringSubject } from './tutoring-subjects.js';

describe.each(tutoringSubjects)('TutorStore ($name)', ({ make }) => {
  let s: TutoringSubject;
  beforeAll(async () => {
    s = await make();
  });

  it('adds a tutor once per email: another under it is refused with the holder’s id, and not stored', async () => {
    const tutor = aTutor();
    expect(await s.tutors.createTutor(tutor)).toEqual({ outcome: 'created' });
    const other = aTutor({ email: tutor.email });
    expect(await s.tutors.createTutor(other)).toEqual({ outcome: 'email-taken', tutorId: tutor.tutorId });
    expect(await s.tutors.getTutor(other.tutorId)).toBeUndefined();
    expect(await s.tutors.getTutor(tutor.tutorId)).toEqual(tutor);
    expect(await s.tutors.tutorByEmail(tutor.email.toUpperCase())).toEqual(tutor);
    expect(await s.tutors.tutorByEmail('nobody@example.fi')).toBeUndefined();
  });

  it('lists the roster oldest first', async () => {
    const older = aTutor({ createdAt: '2020-01-01T00:00:00.000Z' });
    const newer = aTutor({ createdAt: '2020-01-02T00:00:00.000Z' });
    await s.tutors.createTutor(newer);
    await s.tutors.createTutor(older);
    const ids = (await s.tutors.listTutors()).map((t) => t.tutorId);
    expect(ids.indexOf(older.tutorId)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(older.tutorId)).toBeLessThan(ids.indexOf(newer.tutorId));
  });

  it('changes a tutor and moves the email guard: the old email is free, the new one is theirs', async () => {
    const tutor = aTutor();
    await s.tutors.createTutor(tutor);
    const email = `moved-${tutor.email}`;
    const at = iso(1000);
    const result = await s.tutors.updateTutor(tutor, { email, maxActive: 5 }, at);
    expect(result).toEqual({ outcome: 'updated', tutor: { ...tutor, email, maxActive: 5, updatedAt: at } });
    expect((await s.tutors.tutorByEmail(email))?.tutorId).toBe(tutor.tutorId);
    expect(await s.tutors.tutorByEmail(tutor.email)).toBeUndefined();
    expect((await s.tutors.createTutor(aTutor({ email: tutor.email }))).outcome).toBe('created');
  });

  it('refuses an email another tutor has, and a change on top of a tutor changed since it was read; nothing changes', async () => {
    const tutor = aTutor();
    const other = aTutor();
    await s.tutors.createTutor(tutor);
    await s.tutors.createTutor(other);
    expect(await s.tutors.updateTutor(tutor, { email: other.email, name: 'X' }, iso())).toEqual({ outcome: 'email-taken' });
    expect(await s.tutors.getTutor(tutor.tutorId)).toEqual(tutor);
    const moved = `moved-${tutor.email}`;
    await s.tutors.updateTutor(tutor, { email: moved }, iso());
    expect(await s.tutors.updateTutor(tutor, { name: 'Stale' }, iso())).toEqual({ outcome: 'tutor-changed' });
    expect((await s.tutors.getTutor(tutor.tutorId))?.name).toBe(tutor.name);
  });

  it('has no engagements for a new tutor', async () => {
    const tutor = aTutor();
    await s.tutors.createTutor(tutor);
    expect(await s.tutors.tutorEngagementIds(tutor.tutorId)).toEqual([]);
  });
});
