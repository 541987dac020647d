import { describe, expect, it } from 'vitest';
import type { Application } from '../../../schemas/stored/application.js';
import type { Round } from '../../../schemas/stored/round.js';
import { ConflictError, ValidationError } from '../../../functions/shared/errors.js';
import {
  assertCanSelect,
  assertOpenOffer,
  firstComeOrder,
  nextRank,
  offerExpiry,
  planSelection,
  sameSelection,
  withdrawPlan,
} from '../../../functions/selection/domain.js';
import { waitlistPositions } from '../../../functions/intake/domain.js';

function app(id: string, receivedAt: string, extra: Partial<Application> = {}): Application {
  return {
    applicationId: id,
    roundId: 'r',
    municipality: { code: '091', name: id },
    contact: { name: 'c', email: `${id}@example.fi` },
    language: 'fi',
    themes: ['t'],
    status: 'received',
    receivedAt,
    consentAt: receivedAt,
    accessToken: 'x',
    ...extra,
  };
}

const round = { places: 2, taken: 0 } as Pick<Round, 'places' | 'taken'>;

describe('firstComeOrder', () => {
  it('puts carried-over applications first in their old order, then the rest by arrival', () => {
    const ordered = firstComeOrder([
      app('late', '2027-01-03T00:00:00Z'),
      app('carried-2', '2027-01-05T00:00:00Z', { priority: 2 }),
      app('early', '2027-01-01T00:00:00Z'),
      app('carried-1', '2027-01-06T00:00:00Z', { priority: 1 }),
    ]);
    expect(ordered.map((a) => a.applicationId)).toEqual(['carried-1', 'carried-2', 'early', 'late']);
  });
  it('breaks ties of the same instant by id, so that every run decides alike', () => {
    const same = '2027-01-01T00:00:00Z';
    expect(firstComeOrder([app('b', same), app('a', same)]).map((a) => a.applicationId)).toEqual(['a', 'b']);
  });
});

describe('planSelection', () => {
  const apps = [app('a', '2027-01-01T00:00:00Z'), app('b', '2027-01-02T00:00:00Z'), app('c', '2027-01-03T00:00:00Z')];
  it('first-come accepts up to the places and waitlists the rest in order', () => {
    expect(planSelection(round, apps, 'first-come')).toEqual({ accept: ['a', 'b'], waitlist: ['c'] });
  });
  it('manual accepts only the listed ones', () => {
    expect(planSelection(round, apps, 'manual', ['c'])).toEqual({ accept: ['c'], waitlist: ['a', 'b'] });
  });
  it('a resumed run only decides the undecided, within the places still free', () => {
    const resumed = [app('a', '2027-01-01T00:00:00Z', { status: 'accepted' }), ...apps.slice(1)];
    expect(planSelection({ places: 2, taken: 1 }, resumed, 'first-come')).toEqual({ accept: ['b'], waitlist: ['c'] });
  });
  it('waitlist ranks continue after those given', () => {
    expect(nextRank([{ rank: 1 }, {}, { rank: 3 }])).toBe(4);
    expect(nextRank([])).toBe(1);
  });
});

describe('waitlistPositions', () => {
  it('counts only those still waiting, in rank order', () => {
    const positions = waitlistPositions([
      app('x', '', { status: 'waitlisted', rank: 3 }),
      app('y', '', { status: 'offered', rank: 1 }),
      app('z', '', { status: 'waitlisted', rank: 2 }),
    ]);
    expect([...positions]).toEqual([
      ['z', 1],
      ['x', 2],
    ]);
  });
});

describe('assertCanSelect', () => {
  const full = { closesAt: '2027-02-01T00:00:00.000Z', places: 2 } as Round;
  const apps = [
    app('a', '2027-01-01T00:00:00Z'),
    app('b', '2027-01-02T00:00:00Z'),
    app('w', '2027-01-02T00:00:00Z', { status: 'withdrawn' }),
  ];
  const before = new Date('2027-01-15T00:00:00Z');
  it('refuses while the window is open, unless forced', () => {
    expect(() => assertCanSelect(full, { policy: 'first-come', force: false }, apps, before)).toThrow(ConflictError);
    expect(() => assertCanSelect(full, { policy: 'first-come', force: true }, apps, before)).not.toThrow();
  });
  it('names each wrong entry of a manual list', () => {
    try {
      assertCanSelect(full, { policy: 'manual', accept: ['a', 'nope', 'w', 'a'], force: true }, apps, before);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues!.map((i) => i.path)).toEqual(['accept.1', 'accept.2', 'accept', 'accept']);
    }
  });
});

describe('sameSelection', () => {
  const recorded = { policy: 'manual' as const, accept: ['a', 'b'], startedAt: '', by: '' };
  it('treats the same list in another order as the same request', () => {
    expect(sameSelection(recorded, { policy: 'manual', accept: ['b', 'a'], force: false })).toBe(true);
    expect(sameSelection(recorded, { policy: 'manual', accept: ['a'], force: false })).toBe(false);
    expect(sameSelection(recorded, { policy: 'first-come', force: false })).toBe(false);
  });
});

describe('withdrawPlan', () => {
  it.each([
    ['accepted', 'free-place'],
    ['offered', 'free-place'],
    ['received', 'no-place'],
    ['waitlisted', 'no-place'],
    ['withdrawn', 'refuse'],
    ['carried-over', 'refuse'],
    ['declined', 'refuse'],
  ] as const)('%s → %s', (status, kind) => {
    expect(withdrawPlan({ status }).kind).toBe(kind);
  });
});

describe('offers', () => {
  const now = new Date('2027-01-01T10:00:00Z');
  it('expire the given hours later', () => {
    expect(offerExpiry(now, 48)).toBe('2027-01-03T10:00:00.000Z');
  });
  it('can be answered until, not at, the deadline', () => {
    const offered = app('o', '', {
      status: 'offered',
      offer: { offerId: 'x', kind: 'place', expiresAt: '2027-01-01T10:00:00.001Z' },
    });
    expect(assertOpenOffer(offered, now).offerId).toBe('x');
    expect(() => assertOpenOffer(offered, new Date('2027-01-01T10:00:00.001Z'))).toThrow(/expired/);
    expect(() => assertOpenOffer(app('n', ''), now)).toThrow(/no open offer/);
  });
});
