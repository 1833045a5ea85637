/** Test fixtures of the maintenance screens: a small org as the API answers it, and problems. */
import { ApiError } from '@/api/problem';
import type { MaintenanceRequest } from './data';

export const BUILDING = { id: 'bld_1', name: 'Elm House', archived: false };
export const UNIT = { id: 'unt_1', buildingId: 'bld_1', label: '2B' };
export const UNIT_3C = { id: 'unt_3', buildingId: 'bld_1', label: '3C' };
export const VENDOR = { id: 'ven_1', name: 'Fixit Plumbing', kind: 'company', form1099: false, archived: false };
export const OLD_VENDOR = { id: 'ven_2', name: 'Gone Ltd', kind: 'company', form1099: false, archived: true };
export const OPERATING = { id: 'acc_1000', code: '1000', name: 'Operating account', type: 'asset', subtype: 'bank', archived: false };
export const PETTY = { id: 'acc_1010', code: '1010', name: 'Petty cash', type: 'asset', subtype: 'cash', archived: false };
export const RENT = { id: 'acc_4000', code: '4000', name: 'Rent income', type: 'income', subtype: 'rent', archived: false };
export const REPAIRS = { id: 'acc_5140', code: '5140', name: 'Repairs', type: 'expense', archived: false };

export function request(over: Partial<MaintenanceRequest> = {}): MaintenanceRequest {
  return {
    id: 'mnt_1',
    unitId: 'unt_1',
    buildingId: 'bld_1',
    title: 'Leaking kitchen tap',
    description: 'Drips all night.',
    priority: 'normal',
    status: 'open',
    reportedBy: 'Ida',
    createdAt: '2027-03-01T15:00:00Z',
    updatedAt: '2027-03-01T15:00:00Z',
    ...over,
  };
}

/** Answers the GETs the maintenance screens make; `requests` and `current` are read at call time. */
export function answerGets(state: { requests?: MaintenanceRequest[]; current?: () => MaintenanceRequest; expense?: unknown }) {
  return async (path: string, params: Record<string, string>) => {
    switch (path) {
      case '/api/v1/orgs/{orgId}/maintenance-requests':
        return { items: state.requests ?? [], nextCursor: null };
      case '/api/v1/orgs/{orgId}/maintenance-requests/{requestId}':
        if (!state.current) throw new Error('no current request');
        return state.current();
      case '/api/v1/orgs/{orgId}/vendors':
        return { items: [VENDOR, OLD_VENDOR], nextCursor: null };
      case '/api/v1/orgs/{orgId}/accounts':
        return { items: [OPERATING, PETTY, RENT, REPAIRS] };
      case '/api/v1/orgs/{orgId}/buildings':
        return { items: [BUILDING], nextCursor: null };
      case '/api/v1/orgs/{orgId}/buildings/{buildingId}':
        return BUILDING;
      case '/api/v1/orgs/{orgId}/buildings/{buildingId}/units':
        return { items: [UNIT, UNIT_3C], nextCursor: null };
      case '/api/v1/orgs/{orgId}/units/{unitId}':
        return params.unitId === 'unt_3' ? UNIT_3C : UNIT;
      case '/api/v1/orgs/{orgId}/documents':
        return { items: [], nextCursor: null };
      case '/api/v1/orgs/{orgId}/expenses/{expenseId}':
        return state.expense;
      default:
        throw new Error(`unexpected GET ${path}`);
    }
  };
}

export const problem = (status: number, title: string, detail: string, errors?: { field: string; message: string }[]) => new ApiError({ type: 'about:blank', title, status, detail, errors });
