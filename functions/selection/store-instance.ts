// The selection store bound to the configured table, shared by the selection handlers.
import { config } from '../shared/config.js';
import { SelectionStore } from './store.js';

let store: SelectionStore | undefined;

export function selectionStore(): SelectionStore {
  store ??= new SelectionStore(config.tableName());
  return store;
}
