/**
 * The maintenance forms as typed, and the bodies they become: a new request, changes to one,
 * assigning a vendor, completing (a cost as a decimal string in the org's currency, never a
 * float) and cancelling. The API's limits are checked before it is asked (it checks again);
 * each message is keyed by the API's field name so it shows where the API's would.
 */
import type { Schemas } from '@/api/client';
import { normalizeAmount, toMinor } from '@/lib/money';
import type { CostCategory, MaintenanceRequest, Priority } from './data';

type Errors = Record<string, string>;
type Built<T> = { body: T | null; errors: Errors };

const tooLong = (s: string, max: number) => s.trim().length > max;

export interface RequestDraft {
  buildingId: string;
  unitId: string;
  title: string;
  description: string;
  priority: Priority;
  reportedBy: string;
}

export const emptyRequest = (): RequestDraft => ({ buildingId: '', unitId: '', title: '', description: '', priority: 'normal', reportedBy: '' });

function checkText(d: Pick<RequestDraft, 'title' | 'description' | 'reportedBy'>, errs: Errors) {
  if (!d.title.trim()) errs.title = 'Enter a title, such as “Leaking kitchen tap”.';
  else if (tooLong(d.title, 200)) errs.title = 'At most 200 characters.';
  if (tooLong(d.description, 500)) errs.description = 'At most 500 characters.';
  if (tooLong(d.reportedBy, 200)) errs.reportedBy = 'At most 200 characters.';
}

/** `POST …/maintenance-requests`: optional texts only when given. */
export function buildCreateRequest(d: RequestDraft): Built<Schemas['CreateMaintenanceRequest']> {
  const errs: Errors = {};
  if (!d.buildingId) errs.buildingId = 'Choose a building.';
  if (!d.unitId) errs.unitId = d.buildingId ? 'Choose a unit.' : 'Choose a building, then its unit.';
  checkText(d, errs);
  if (Object.keys(errs).length) return { body: null, errors: errs };
  const body: Schemas['CreateMaintenanceRequest'] = { unitId: d.unitId, title: d.title.trim(), priority: d.priority };
  if (d.description.trim()) body.description = d.description.trim();
  if (d.reportedBy.trim()) body.reportedBy = d.reportedBy.trim();
  return { body, errors: {} };
}

export type EditDraft = Pick<RequestDraft, 'title' | 'description' | 'priority' | 'reportedBy'>;

export const editDraftOf = (r: MaintenanceRequest): EditDraft => ({ title: r.title, description: r.description ?? '', priority: r.priority, reportedBy: r.reportedBy ?? '' });

/** `PATCH …/maintenance-requests/{id}`: only what changed (an emptied text clears it); `{}` when nothing did. */
export function buildUpdateRequest(d: EditDraft, before: MaintenanceRequest): Built<Schemas['UpdateMaintenanceRequest']> {
  const errs: Errors = {};
  checkText(d, errs);
  if (Object.keys(errs).length) return { body: null, errors: errs };
  const body: Schemas['UpdateMaintenanceRequest'] = {};
  if (d.title.trim() !== before.title) body.title = d.title.trim();
  if (d.description.trim() !== (before.description ?? '')) body.description = d.description.trim();
  if (d.priority !== before.priority) body.priority = d.priority;
  if (d.reportedBy.trim() !== (before.reportedBy ?? '')) body.reportedBy = d.reportedBy.trim();
  return { body, errors: {} };
}

export interface AssignDraft {
  vendorId: string;
  scheduledFor: string;
}

export function buildAssign(d: AssignDraft): Built<Schemas['AssignMaintenance']> {
  if (!d.vendorId) return { body: null, errors: { vendorId: 'Choose a vendor.' } };
  return { body: d.scheduledFor ? { vendorId: d.vendorId, scheduledFor: d.scheduledFor } : { vendorId: d.vendorId }, errors: {} };
}

export interface CompleteDraft {
  cost: string;
  category: CostCategory;
  completedOn: string;
  /** A bank or cash account; empty: the vendor's bill, unpaid. */
  paidFrom: string;
}

export const emptyComplete = (today: string): CompleteDraft => ({ cost: '', category: 'repairs', completedOn: today, paidFrom: '' });

/**
 * `POST …:complete`. The day is always sent (the org's today by default: the API's own default
 * is the UTC day). A cost brings its category and, when paid, the account; no cost, neither.
 */
export function buildComplete(d: CompleteDraft, currency: string): Built<Schemas['CompleteMaintenance']> {
  const errs: Errors = {};
  const typed = d.cost.trim();
  const amount = typed ? normalizeAmount(typed, currency) : null;
  if (typed && (amount === null || (toMinor(amount, currency) ?? 0n) <= 0n)) errs.cost = `Enter an amount in ${currency} more than zero, such as 180.00.`;
  if (!typed && d.paidFrom) errs.paidFrom = 'Enter the cost to record it as paid, or leave this empty.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.completedOn)) errs.completedOn = 'Enter the day the work was done.';
  if (Object.keys(errs).length) return { body: null, errors: errs };
  const body: Schemas['CompleteMaintenance'] = { completedOn: d.completedOn };
  if (amount) {
    // `MoneyInput` is a union per currency's decimals; the amount was normalized to this currency's.
    body.cost = { amount, currency } as Schemas['MoneyInput'];
    body.category = d.category;
    if (d.paidFrom) body.paidFrom = d.paidFrom;
  }
  return { body, errors: {} };
}

export function buildCancel(reason: string): Built<Schemas['CancelMaintenance']> {
  if (tooLong(reason, 200)) return { body: null, errors: { reason: 'At most 200 characters.' } };
  return { body: reason.trim() ? { reason: reason.trim() } : {}, errors: {} };
}
