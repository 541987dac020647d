// What an applicant sees of their application: the view plus its live waiting-list position, its
// tutor and its meetings. The coaching part (tutor, meetings) belongs to tutoring: the composition
// root passes it in, so intake does not import tutoring.
import type { ApplicationView } from '../../schemas/api/applications.js';
import type { Application } from '../../schemas/stored/application.js';
import type { ApplicationStore } from '../stores/applications.js';
import type { RoundStore } from '../stores/rounds.js';
import { toApplicationView, waitlistPositions } from './domain.js';

/** The tutor and the live meetings of an application's engagement. */
export type CoachingOf = (
  application: Pick<Application, 'applicationId' | 'status'>,
) => Promise<Pick<ApplicationView, 'tutor' | 'meetings'>>;

export interface ApplicationViewPorts {
  rounds: Pick<RoundStore, 'get'>;
  applications: Pick<ApplicationStore, 'listOfRound'>;
  coaching: CoachingOf;
  /** Base URL of the HTTP API, for the offer's answer link. */
  publicUrl: () => string;
}

export async function loadApplicationView(ports: ApplicationViewPorts, application: Application): Promise<ApplicationView> {
  const [round, position, coaching] = await Promise.all([
    ports.rounds.get(application.roundId),
    application.status === 'waitlisted'
      ? ports.applications.listOfRound(application.roundId).then((all) => waitlistPositions(all).get(application.applicationId))
      : undefined,
    ports.coaching(application),
  ]);
  return {
    ...toApplicationView(application, round ?? { name: application.roundId }, {
      publicUrl: ports.publicUrl(),
      ...(position !== undefined ? { position } : {}),
    }),
    ...coaching,
  };
}
