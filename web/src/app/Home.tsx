import { Navigate } from 'react-router-dom';
import { ErrorState, Loading } from '@/components/QueryState';
import { useMe } from '@/lib/org';

/** `/`: the last org used (or the first), or creating one when the caller has none. */
export default function Home() {
  const me = useMe();
  if (me.isPending) return <Loading />;
  if (me.error) return <ErrorState error={me.error} />;
  const ms = me.data.memberships;
  if (ms.length === 0) return <Navigate to="/orgs/new" replace />;
  const last = localStorage.getItem('pos.lastOrg');
  const target = ms.find((m) => m.orgId === last) ?? ms[0];
  return <Navigate to={`/orgs/${target?.orgId}/dashboard`} replace />;
}
