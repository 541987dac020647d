// The intake store bound to the configured table, shared by the intake handlers.
import { config } from '../shared/config.js';
import { IntakeStore } from './store.js';

let store: IntakeStore | undefined;

export function intakeStore(): IntakeStore {
  store ??= new IntakeStore(config.tableName());
  return store;
}
