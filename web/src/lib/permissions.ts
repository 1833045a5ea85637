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
  | 'policyManage'
  | 'maintenanceWrite'
  | 'workflowManage'
  | 'workflowAct';

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
  /** Maintenance requests: reporting, assigning, starting, completing (a cost books an expense), cancelling. */
  maintenanceWrite: ['owner', 'manager'],
  /** Approval workflows: their definitions (trigger, steps, what completing does). */
  workflowManage: ['owner'],
  /** Completing or rejecting a workflow's task as its assignee (readonly members never). */
  workflowAct: ['owner', 'manager', 'accountant'],
};

export function can(role: Role | undefined, action: Action): boolean {
  return role !== undefined && MATRIX[action].includes(role);
}
