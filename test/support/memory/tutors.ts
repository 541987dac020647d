// The tutor roster in memory, with the conditions of DynamoTutorStore: one roster entry per email, a
// change on top of the tutor as read, and the capacity rule when an engagement is taken on. The
// engagements fake moves a tutor's load through `load` (what tutorParts are to the Dynamo store).
import type { Tutor } from '../../../schemas/stored/tutor.js';
import type { CreateTutorOutcome, TutorChanges, TutorStore, UpdateTutorOutcome } from '../../../functions/stores/tutors.js';

const copy = <T>(value: T): T => structuredClone(value);
const order = (t: Tutor) => `${t.createdAt}#${t.tutorId}`;

export class MemoryTutorStore implements TutorStore {
  readonly tutors = new Map<string, Tutor>();
  readonly emails = new Map<string, string>();
  /** tutorId → the engagements it has or completed. */
  readonly links = new Map<string, Set<string>>();

  async createTutor(tutor: Tutor): Promise<CreateTutorOutcome> {
    const holder = this.emails.get(tutor.email);
    if (holder !== undefined) return { outcome: 'email-taken', tutorId: holder };
    if (this.tutors.has(tutor.tutorId)) throw new Error(`Tutor ${tutor.tutorId} exists`);
    this.emails.set(tutor.email, tutor.tutorId);
    this.tutors.set(tutor.tutorId, copy(tutor));
    return { outcome: 'created' };
  }

  async getTutor(tutorId: string): Promise<Tutor | undefined> {
    const tutor = this.tutors.get(tutorId);
    return tutor && copy(tutor);
  }

  async tutorByEmail(email: string): Promise<Tutor | undefined> {
    const tutorId = this.emails.get(email.toLowerCase());
    return tutorId === undefined ? undefined : this.getTutor(tutorId);
  }

  async listTutors(): Promise<Tutor[]> {
    return [...this.tutors.values()].sort((a, b) => order(a).localeCompare(order(b))).map(copy);
  }

  async updateTutor(tutor: Tutor, changes: TutorChanges, at: string): Promise<UpdateTutorOutcome> {
    const current = this.tutors.get(tutor.tutorId);
    if (changes.email && this.emails.has(changes.email)) return { outcome: 'email-taken' };
    if (!current || current.email !== tutor.email) return { outcome: 'tutor-changed' };
    if (changes.email && this.emails.get(tutor.email) !== tutor.tutorId) return { outcome: 'tutor-changed' };
    if (changes.email) {
      this.emails.delete(tutor.email);
      this.emails.set(changes.email, tutor.tutorId);
    }
    const updated = { ...current, ...copy(changes), updatedAt: at };
    this.tutors.set(tutor.tutorId, updated);
    return { outcome: 'updated', tutor: copy(updated) };
  }

  async tutorEngagementIds(tutorId: string): Promise<string[]> {
    return [...(this.links.get(tutorId) ?? [])].sort();
  }

  /** The tutor's side of the engagements' changes; each check comes before any change, as in one transaction. */
  readonly load = {
    /** Whether the tutor may take one more engagement at the moment of writing: on the roster, active, below maxActive. */
    hasRoom: (tutorId: string): boolean => {
      const tutor = this.tutors.get(tutorId);
      return tutor !== undefined && tutor.active && tutor.activeCount < tutor.maxActive;
    },
    exists: (tutorId: string): boolean => this.tutors.has(tutorId),
    takeOn: (tutorId: string, engagementId: string, at: string): void => {
      const tutor = this.tutors.get(tutorId)!;
      this.tutors.set(tutorId, { ...tutor, activeCount: tutor.activeCount + 1, lastAssignedAt: at });
      this.links.set(tutorId, (this.links.get(tutorId) ?? new Set()).add(engagementId));
    },
    handOver: (tutorId: string, engagementId: string): void => {
      this.load.free(tutorId);
      this.links.get(tutorId)?.delete(engagementId);
    },
    free: (tutorId: string): void => {
      const tutor = this.tutors.get(tutorId)!;
      this.tutors.set(tutorId, { ...tutor, activeCount: tutor.activeCount - 1 });
    },
  };
}
