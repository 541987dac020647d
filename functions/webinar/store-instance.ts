// SHIM for the lead to remove: the webinar store for the modules outside functions/webinar/ that still
// reach it this way (functions/history/composition.ts, functions/reporting/sources.ts, bench/burst.ts).
// Webinar code takes its ports from ./composition.ts; rewire those callers to it, then delete this file.
import type { WebinarStore } from '../stores/webinars.js';
import { webinarPorts } from './composition.js';

export function webinarStore(): WebinarStore {
  return webinarPorts().webinars;
}
