import { describe, expect, it } from 'vitest';
import { coordinatorAddresses } from '../../../functions/tutoring/coordinators.js';

describe('coordinatorAddresses', () => {
  it('is the round’s creator and the configured addresses, lower case, each once, valid ones only', () => {
    expect(
      coordinatorAddresses({ createdBy: 'Kaisa@Example.fi' }, 'team@example.fi, kaisa@example.fi;bad  other@example.fi'),
    ).toEqual(['kaisa@example.fi', 'team@example.fi', 'other@example.fi']);
  });
  it('may be nobody', () => {
    expect(coordinatorAddresses({ createdBy: 'unknown' }, undefined)).toEqual([]);
    expect(coordinatorAddresses(undefined, '')).toEqual([]);
  });
});
