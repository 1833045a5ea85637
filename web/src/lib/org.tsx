/**
 * The org the URL names (`/orgs/:orgId/…`), the caller's role in it, and its settings (timezone,
 * base currency). `OrgLayout` provides it; features read it with `useOrg()`.
 */
import { createContext, useContext } from 'react';
import { useQuery } from '@tanstack/react-query';
import { apiGet, type Schemas } from '@/api/client';
import { can, type Action, type Role } from './permissions';

export type Org = Schemas['Org'];

export interface OrgContextValue {
  orgId: string;
  role: Role;
  org: Org;
}

export const OrgContext = createContext<OrgContextValue | null>(null);

export function useOrg(): OrgContextValue {
  const ctx = useContext(OrgContext);
  if (!ctx) throw new Error('useOrg outside an org route');
  return ctx;
}

/** `const allowed = useCan('leasingWrite')`: hide what the role cannot do. */
export function useCan(action: Action): boolean {
  return can(useOrg().role, action);
}

export const meKey = ['me'] as const;

export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: ({ signal }) => apiGet('/api/v1/me', {}, undefined, { signal }) });
}
