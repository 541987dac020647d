// The webinar store bound to the configured table, shared by the webinar handlers.
import { config } from '../shared/config.js';
import { WebinarStore } from './store.js';

let store: WebinarStore | undefined;

export function webinarStore(): WebinarStore {
  store ??= new WebinarStore(config.tableName());
  return store;
}
