/**
 * Which column plays which role. Names are matched case-insensitively against the names common
 * analytics exports use (Segment, Amplitude, Mixpanel, PostHog, GA4, warehouse extracts), in
 * priority order: the first candidate present wins.
 */
import { errors } from '../../core/messages.js';

export const USER_ID_NAMES = [
  'user_id', 'userId', 'userid', 'distinct_id', 'customer_id', 'customerId', 'CustomerID',
  'person_id', 'uid', 'anonymous_id',
] as const;

export const EVENT_NAMES = ['event', 'event_type', 'event_name', 'eventName', 'type', 'action', 'name'] as const;

export const TIMESTAMP_NAMES = [
  'timestamp', 'time', 'event_time', 'eventTime', 'ts', 'created_at', 'occurred_at', 'date', 'datetime',
  'InvoiceDate',
] as const;

/** Event id columns: rows repeating an id are the same event delivered twice. */
export const EVENT_ID_NAMES = ['event_id', 'message_id', 'messageId', '$insert_id', 'insert_id', 'uuid'] as const;

/** Keys joining users to accounts (and the accounts table's own key). */
export const ACCOUNT_ID_NAMES = [
  'account_id', 'accountId', 'company_id', 'companyId', 'group_id', 'groupId', 'org_id', 'orgId',
  'organization_id', 'organisation_id', 'team_id', 'teamId', 'workspace_id', 'workspaceId', 'tenant_id',
] as const;

/** The first column (in `columns` order) equal to the first matching candidate, ignoring case. */
export function findColumn(columns: readonly string[], candidates: readonly string[]): string | null {
  for (const cand of candidates) {
    const lower = cand.toLowerCase();
    const hit = columns.find((c) => c.toLowerCase() === lower);
    if (hit !== undefined) return hit;
  }
  return null;
}

/**
 * The column to use for `role`: the configured one (which must exist, exactly as written), or
 * the first common name present.
 *
 * @example
 * resolveColumn('a.csv', 'user id', null, ['distinct_id', 'event'], USER_ID_NAMES); // 'distinct_id'
 */
export function resolveColumn(
  file: string,
  role: string,
  configured: string | null,
  columns: readonly string[],
  candidates: readonly string[],
  /** How the config names this column when it is not an events column (`inputs.users.key`): the hint says so. */
  setting?: string,
): string {
  if (configured !== null) {
    if (!columns.includes(configured)) throw errors.configuredColumnMissing(file, role, configured, columns);
    return configured;
  }
  const found = findColumn(columns, candidates);
  if (found === null) throw errors.missingColumn(file, role, candidates, columns, setting);
  return found;
}
