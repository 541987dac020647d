// Every minute: select rounds whose window has closed, and finish any interrupted selection.
import { scheduledHandler } from '../../shared/events.js';
import { selectionPorts } from '../composition.js';
import { selectDueRounds } from '../use-cases.js';

export const handler = scheduledHandler(() => selectDueRounds(selectionPorts()));
