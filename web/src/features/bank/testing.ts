/** Test fixtures for the Bank page: the chart, buildings, rules, members and bank transactions as the API answers them. */
const t = '2027-01-01T00:00:00Z';

export const ACCOUNTS = [
  { id: 'acc_bank', code: '1000', name: 'Operating account', type: 'asset', subtype: 'bank', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_undeposited', code: '1050', name: 'Undeposited funds', type: 'asset', subtype: 'clearing', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_repairs', code: '5140', name: 'Repairs', type: 'expense', scheduleE: '14', archived: false, seeded: true, createdAt: t, updatedAt: t },
  { id: 'acc_utilities', code: '5170', name: 'Utilities', type: 'expense', scheduleE: '17', archived: false, seeded: true, createdAt: t, updatedAt: t },
];
export const BUILDINGS = [
  { id: 'bld_a', name: 'Maple Court', archived: false, unitCount: 2 },
  { id: 'bld_b', name: 'Oak Row', archived: false, unitCount: 1 },
];
export const VENDORS = [{ id: 'ven_ace', name: 'Ace Hardware', kind: 'company', form1099: false, archived: false, createdAt: t, updatedAt: t }];
export const RULES = [
  {
    id: 'rul_water',
    name: 'Water bill',
    conditions: { descriptionContains: 'city water', amountMin: '50.00', amountMax: '500.00' },
    actions: { accountId: 'acc_utilities', buildingId: 'bld_a' },
    applyTo: 'future',
    createdAt: t,
    updatedAt: t,
  },
  { id: 'rul_fees', name: null, conditions: { descriptionContains: 'service fee', accountId: 'acc_bank' }, actions: { accountId: 'acc_repairs', vendorId: 'ven_ace' }, applyTo: 'past_and_future', createdAt: t, updatedAt: t },
];
export const MEMBERS = [{ userId: 'u-ann', email: 'ann@example.com', role: 'owner' }];

const usd = (amount: string) => ({ amount, currency: 'USD' });

const base = { itemId: 'item1', accountId: 'acc_bank', merchantName: null, reference: null, pending: false, replaces: null, matches: [], matchedBy: null, matchedAt: null };

export const DEPOSIT = {
  ...base,
  id: 'txn_deposit',
  date: '2027-03-03',
  amount: usd('1550.00'),
  direction: 'in',
  description: 'MOBILE DEPOSIT CHECK 1042',
  status: 'unmatched',
  suggestions: [
    { kind: 'payment', id: 'pay_1042', date: '2027-03-02', amount: usd('1550.00'), description: '1042', score: 95 },
    { kind: 'payout', id: 'po_1', date: '2027-02-27', amount: usd('1550.00'), description: 'stripe payout po_1', score: 60 },
  ],
};
export const HARDWARE = {
  ...base,
  id: 'txn_hardware',
  date: '2027-03-03',
  amount: usd('-42.50'),
  direction: 'out',
  description: 'HARDWARE STORE',
  merchantName: 'Ace Hardware',
  pending: true,
  status: 'unmatched',
  suggestions: [],
};
export const SHOP = { ...base, id: 'txn_shop', date: '2027-03-04', amount: usd('-50.00'), direction: 'out', description: 'CORNER SHOP', status: 'unmatched', suggestions: [] };

export const MATCHED = [
  {
    ...DEPOSIT,
    suggestions: undefined,
    status: 'matched',
    matches: [{ kind: 'payment', id: 'pay_1042', amount: usd('1550.00'), fromAccountCode: '1050' }],
    matchedBy: 'auto',
    matchedAt: '2027-03-03T15:00:00Z',
  },
  {
    ...base,
    id: 'txn_water',
    date: '2027-03-05',
    amount: usd('-86.40'),
    direction: 'out',
    description: 'CITY WATER DEPT',
    status: 'matched',
    matches: [{ kind: 'expense', id: 'exp_water', amount: usd('-86.40'), fromAccountCode: '1000' }],
    matchedBy: 'rule:rul_water',
    matchedAt: '2027-03-05T15:00:00Z',
  },
  {
    ...base,
    id: 'txn_plumber',
    date: '2027-03-06',
    amount: usd('-1234.56'),
    direction: 'out',
    description: 'ACE PLUMBING INC',
    status: 'matched',
    matches: [{ kind: 'expense', id: 'exp_plumber', amount: usd('-1234.56'), fromAccountCode: '1000' }],
    matchedBy: 'u-ann',
    matchedAt: '2027-03-06T15:00:00Z',
  },
];
export const IGNORED = [{ ...base, id: 'txn_transfer', date: '2027-03-07', amount: usd('-500.00'), direction: 'out', description: 'TRANSFER TO SAVINGS', status: 'ignored' }];

/** Lookups every Bank screen reads; `undefined` for a path it does not answer. */
export function lookup(path: string): unknown {
  if (path.endsWith('/accounts')) return { items: ACCOUNTS };
  if (path.endsWith('/vendors')) return { items: VENDORS, nextCursor: null };
  if (path.endsWith('/buildings')) return { items: BUILDINGS, nextCursor: null };
  if (path.endsWith('/units')) return { items: [{ id: 'unt_1', label: '1A', buildingId: 'bld_a' }], nextCursor: null };
  if (path.endsWith('/bank-rules')) return { items: RULES, nextCursor: null };
  if (path.endsWith('/members')) return { items: MEMBERS, nextCursor: null };
  return undefined;
}
