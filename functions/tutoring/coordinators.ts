// Who is told about what no tutor can settle (nobody fits a municipality; a request while no tutor is
// assigned): the coordinator who opened the round (its `createdBy`, taken from their token), plus the
// addresses in the optional COORDINATOR_EMAILS setting (comma-separated), e.g. a shared team mailbox.
import { Email } from '../../schemas/common.js';
import type { Round } from '../../schemas/stored/round.js';

/** Optional handler setting: extra coordinator addresses, comma- or space-separated. */
export const coordinatorEmailsEnv = 'COORDINATOR_EMAILS';

/** The coordinator addresses for a round, lower case, each once; invalid entries are left out. */
export function coordinatorAddresses(
  round: Pick<Round, 'createdBy'> | undefined,
  setting = process.env[coordinatorEmailsEnv],
): string[] {
  const candidates = [round?.createdBy ?? '', ...(setting ?? '').split(/[\s,;]+/)];
  const valid = candidates.map((c) => c.trim().toLowerCase()).filter((c) => c && Email.safeParse(c).success);
  return [...new Set(valid)];
}
