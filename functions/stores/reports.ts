// The situational picture's store: the projected items of each round, all in the round's report
// partition, so that the report is one query. An update is one conditional write (see
// functions/reporting/updates.ts for what each update does and why it is idempotent).
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ReportItem } from '../../schemas/stored/report.js';
import type { Change, ReportUpdate } from '../reporting/updates.js';
import { dynamo } from '../shared/aws.js';
import { queryAll } from '../shared/dynamo-query.js';
import { decodeAll } from '../shared/items.js';
import { reportPk } from '../shared/keys.js';
import { succeeds } from '../shared/transactions.js';

export interface ReportStore {
  /** Every projected item of a round. */
  roundItems(roundId: string): Promise<ReportItem[]>;
  /** Applies an update; false when its guard found the item already as new (nothing to do). */
  apply(update: ReportUpdate): Promise<boolean>;
}

const defined = (fields: Record<string, unknown> = {}) => Object.entries(fields).filter(([, v]) => v !== undefined);

/** Every attribute goes through a name placeholder: several of ours (type, status, language) are reserved words. */
function expressionOf(change: Change) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const name = (field: string) => ((names[`#${field}`] = field), `#${field}`);
  const sets = [
    ...defined(change.set).map(([f, v]) => ((values[`:${f}`] = v), `${name(f)} = :${f}`)),
    ...defined(change.fill).map(([f, v]) => ((values[`:${f}`] = v), `${name(f)} = if_not_exists(${name(f)}, :${f})`)),
  ];
  let condition: string | undefined;
  if (change.raises) {
    const field = name(change.raises.field);
    values[':guard'] = change.raises.value;
    condition = `attribute_not_exists(${field}) OR ${field} < :guard`;
  } else if (change.absent) {
    condition = `attribute_not_exists(${name(change.absent)})`;
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')}`,
    ...(condition ? { ConditionExpression: condition } : {}),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export class DynamoReportStore implements ReportStore {
  constructor(private readonly tableName: string) {}

  async roundItems(roundId: string): Promise<ReportItem[]> {
    const items = await queryAll<Record<string, unknown>>({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': reportPk(roundId) },
      ConsistentRead: true,
    });
    return decodeAll(ReportItem, items);
  }

  apply({ key, change }: ReportUpdate): Promise<boolean> {
    return succeeds(() => dynamo().send(new UpdateCommand({ TableName: this.tableName, Key: key, ...expressionOf(change) })));
  }
}
