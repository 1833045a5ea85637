/** Names for ids on journal lines: accounts, buildings, units. */
import { accountLabel, useAccounts, useBuildings, useUnit } from './lookups';

export function AccountName({ id, code }: { id: string; code?: string }) {
  const accounts = useAccounts();
  const a = accounts.data?.find((x) => x.id === id);
  return <>{a ? accountLabel(a) : (code ?? id)}</>;
}

export function BuildingName({ id }: { id: string }) {
  const buildings = useBuildings();
  const b = buildings.data?.find((x) => x.id === id);
  return <>{b ? b.name : id}</>;
}

export function UnitName({ id }: { id: string }) {
  const unit = useUnit(id);
  return <>{unit.data ? unit.data.label : id}</>;
}
