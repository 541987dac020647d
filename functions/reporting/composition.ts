// The composition root of the reporting handlers: the report store and the sources it reads, bound to the table.
import { config } from '../shared/config.js';
import { systemClock } from '../shared/clock.js';
import { DynamoReportStore } from '../stores/reports.js';
import { storeSources } from './sources.js';
import type { ReportingPorts } from './use-cases.js';

let ports: ReportingPorts | undefined;

export function reportingPorts(): ReportingPorts {
  ports ??= {
    reports: new DynamoReportStore(config.tableName()),
    sources: storeSources(config.tableName()),
    clock: systemClock,
  };
  return ports;
}
