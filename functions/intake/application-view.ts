// What an applicant sees of their application: the view plus its live waiting-list position, its
// tutor and its meetings.
import { config } from '../shared/config.js';
import { coachingOf } from '../tutoring/application-coaching.js';
import { toApplicationView, waitlistPositions, type Application } from './domain.js';
import { intakeStore } from './store-instance.js';

export async function loadApplicationView(application: Application) {
  const store = intakeStore();
  const [round, position, coaching] = await Promise.all([
    store.getRound(application.roundId),
    application.status === 'waitlisted'
      ? store.listRoundApplications(application.roundId).then((all) => waitlistPositions(all).get(application.applicationId))
      : undefined,
    coachingOf(application),
  ]);
  return {
    ...toApplicationView(application, round ?? { name: application.roundId }, {
      publicUrl: config.publicUrl(),
      ...(position !== undefined ? { position } : {}),
    }),
    ...coaching,
  };
}
