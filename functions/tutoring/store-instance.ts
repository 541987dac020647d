// The tutoring store bound to the configured table, shared by the tutoring handlers.
import { config } from '../shared/config.js';
import { TutoringStore } from './store.js';

let store: TutoringStore | undefined;

export function tutoringStore(): TutoringStore {
  store ??= new TutoringStore(config.tableName());
  return store;
}
