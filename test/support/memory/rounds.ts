// The round repository in memory, with the DynamoDB store's conditions (the contract suite in
// test/integration/stores/rounds.test.ts runs the same tests against both). It records the events
// written with each change, which is how a unit test sees what a use case announced.
import { eventCatalogue } from '../../../schemas/events/catalogue.js';
import type { Round, StoredSelection } from '../../../schemas/stored/round.js';
import type { PendingEvent } from '../../../functions/shared/outbox.js';
import type { RoundChange, RoundStore } from '../../../functions/stores/rounds.js';

/** The events that committed, in order; shared by the fakes of one test so it sees them all. */
export class EventLog {
  readonly events: PendingEvent[] = [];

  /** Checks each detail against the catalogue, as the outbox does, then records them. */
  record(events: readonly PendingEvent[]): void {
    for (const e of events) eventCatalogue[e.detailType].detail.parse(e.detail);
    this.events.push(...events);
  }

  types(): string[] {
    return this.events.map((e) => e.detailType);
  }

  clear(): void {
    this.events.length = 0;
  }
}

/** Thrown where DynamoDB would refuse a write that the store does not expect to be refused. */
export class ConditionFailed extends Error {
  constructor(what: string) {
    super(`The conditional request failed: ${what}`);
    this.name = 'ConditionFailed';
  }
}

export class MemoryRoundStore implements RoundStore {
  /** The rounds by id; the application fake moves their counters. */
  readonly items = new Map<string, Round>();

  constructor(readonly log: EventLog = new EventLog()) {}

  async create(round: Round): Promise<void> {
    if (this.items.has(round.roundId)) throw new ConditionFailed(`round ${round.roundId} exists`);
    this.items.set(round.roundId, structuredClone(round));
  }

  async get(roundId: string): Promise<Round | undefined> {
    const round = this.items.get(roundId);
    return round && structuredClone(round);
  }

  async list(options: { openedBefore?: string } = {}): Promise<Round[]> {
    const key = (r: Round) => `${r.opensAt}#${r.roundId}`;
    return [...this.items.values()]
      .filter((r) => !options.openedBefore || key(r) < `${options.openedBefore}~`)
      .sort((a, b) => key(a).localeCompare(key(b)))
      .map((r) => structuredClone(r));
  }

  async update(roundId: string, change: RoundChange, now: string): Promise<Round | undefined> {
    const round = this.items.get(roundId);
    if (!round || !(round.closesAt > now) || round.selection) return undefined;
    const { removeNextRoundId, ...fields } = change;
    Object.assign(round, structuredClone(fields));
    if (removeNextRoundId) delete round.nextRoundId;
    return structuredClone(round);
  }

  async markOpened(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    const round = this.items.get(roundId);
    if (!round || round.openedAt) return false;
    this.log.record(events);
    round.openedAt = at;
    return true;
  }

  async claimSelection(roundId: string, selection: StoredSelection, closeNow?: Date): Promise<boolean> {
    const round = this.items.get(roundId);
    if (!round || round.selection || round.completedAt) return false;
    if (closeNow && !(round.closesAt > closeNow.toISOString())) return false;
    round.selection = structuredClone(selection);
    if (closeNow) round.closesAt = closeNow.toISOString();
    return true;
  }

  finishSelection(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampOnce(roundId, 'selectedAt', at, events);
  }

  complete(roundId: string, at: string, events: readonly PendingEvent[]): Promise<boolean> {
    return this.stampOnce(roundId, 'completedAt', at, events);
  }

  async markPersonalDataErased(roundId: string, at: string): Promise<void> {
    const round = this.items.get(roundId);
    if (round) round.personalDataErasedAt ??= at;
  }

  private async stampOnce(roundId: string, attribute: 'selectedAt' | 'completedAt', at: string, events: readonly PendingEvent[]) {
    const round = this.items.get(roundId);
    if (!round?.selection || round[attribute]) return false;
    this.log.record(events);
    round[attribute] = at;
    return true;
  }
}

const hour = 3600_000;

/** A round as stored, open from an hour before `now` for a day, with `overrides`. */
export function aRound(overrides: Partial<Round> = {}, now = new Date()): Round {
  return {
    roundId: `round-${Math.random().toString(36).slice(2, 10)}`,
    name: 'Kevät 2027',
    region: '01',
    places: 2,
    opensAt: new Date(now.getTime() - hour).toISOString(),
    closesAt: new Date(now.getTime() + 24 * hour).toISOString(),
    languages: ['fi', 'sv'],
    offerHours: 48,
    selectionPolicy: 'first-come',
    carryOverWhen: 'next-round-opens',
    carryOverHours: 168,
    retentionDays: 365,
    createdAt: new Date(now.getTime() - 2 * hour).toISOString(),
    createdBy: 'kaisa@example.fi',
    applications: 0,
    accepted: 0,
    taken: 0,
    ...overrides,
  };
}
