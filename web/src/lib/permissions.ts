/**
 * What the UI offers each role: a mirror of the API's one permission matrix
 * (`shared/src/platform/scope.rs`). The API still decides; this only hides what would be refused.
 */
import type { components } from '@/api/schema';

export type Role = components['schemas']['Role'];

export type Action =
  | 'orgUpdate'
  | 'memberManage'
  | 'auditRead'
  | 'propertyWrite'
  | 'leasingWrite'
  | 'documentWrite'
  | 'ledgerWrite'
  | 'billingConfigure'
  | 'webhookRead'
  | 'webhookManage'
  | 'booksWrite'
  | 'periodClose'
  | 'periodReopen'
  | 'eventRead'
  | 'booksRebuild'
  | 'integrationRead'
  | 'integrationManage'
  | 'policyManage';

const MATRIX: Record<Action, readonly Role[]> = {
  orgUpdate: ['owner'],
  memberManage: ['owner'],
  auditRead: ['owner', 'accountant'],
  propertyWrite: ['owner', 'manager'],
  leasingWrite: ['owner', 'manager'],
  documentWrite: ['owner', 'manager', 'accountant'],
  ledgerWrite: ['owner', 'manager', 'accountant'],
  billingConfigure: ['owner', 'manager'],
  webhookRead: ['owner', 'manager', 'accountant'],
  webhookManage: ['owner', 'manager'],
  booksWrite: ['owner', 'manager', 'accountant'],
  periodClose: ['owner', 'manager'],
  periodReopen: ['owner'],
  eventRead: ['owner', 'manager', 'accountant'],
  booksRebuild: ['owner'],
  integrationRead: ['owner', 'manager', 'accountant'],
  integrationManage: ['owner'],
  /** The org's own jurisdiction rules, and activating a lease past one (an audited override). */
  policyManage: ['owner'],
};

export function can(role: Role | undefined, action: Action): boolean {
  return role !== undefined && MATRIX[action].includes(role);
}
