// The report store bound to the configured table, shared by the reporting handlers.
import { config } from '../shared/config.js';
import { ReportStore } from './store.js';

let store: ReportStore | undefined;

export function reportStore(): ReportStore {
  store ??= new ReportStore(config.tableName());
  return store;
}
