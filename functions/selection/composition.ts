// The composition root of the selection handlers: the same ports as intake's (the round and
// application stores bound to the table, the system clock, ids, the mailer), and the applicant's view.
import { intakeMailPorts, intakePorts } from '../intake/composition.js';
import type { SelectionMailPorts, SelectionPorts } from './use-cases.js';

export { applicationViewPorts } from '../intake/composition.js';

export const selectionPorts: () => SelectionPorts = intakePorts;
export const selectionMailPorts: () => SelectionMailPorts = intakeMailPorts;
