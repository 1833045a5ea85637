import { describe, expect, it } from 'vitest';
import { actionsFor, boardOrder, matches, type MaintenanceRequest } from './data';
import { buildAssign, buildCancel, buildComplete, buildCreateRequest, buildUpdateRequest, emptyComplete, emptyRequest } from './draft';

const REQUEST: MaintenanceRequest = {
  id: 'mnt_1',
  unitId: 'unt_1',
  buildingId: 'bld_1',
  title: 'Leaking tap',
  description: 'Kitchen',
  priority: 'normal',
  status: 'open',
  createdAt: '2027-03-01T10:00:00Z',
  updatedAt: '2027-03-01T10:00:00Z',
};

describe('the new request as the API takes it', () => {
  it('sends the unit, the trimmed title and priority, and optional texts only when given', () => {
    const { body, errors } = buildCreateRequest({ ...emptyRequest(), buildingId: 'bld_1', unitId: 'unt_1', title: '  Leaking tap ', reportedBy: ' ', priority: 'urgent' });
    expect(errors).toEqual({});
    expect(body).toEqual({ unitId: 'unt_1', title: 'Leaking tap', priority: 'urgent' });
    expect(buildCreateRequest({ ...emptyRequest(), buildingId: 'b', unitId: 'u', title: 'T', description: ' Under the sink ', reportedBy: 'Ida' }).body).toEqual({
      unitId: 'u',
      title: 'T',
      priority: 'normal',
      description: 'Under the sink',
      reportedBy: 'Ida',
    });
  });

  it('names each field the API would refuse, with a message for people', () => {
    expect(buildCreateRequest({ ...emptyRequest(), title: ' ', description: 'x'.repeat(501) })).toEqual({
      body: null,
      errors: {
        buildingId: 'Choose a building.',
        unitId: 'Choose a building, then its unit.',
        title: 'Enter a title, such as “Leaking kitchen tap”.',
        description: 'At most 500 characters.',
      },
    });
    expect(buildCreateRequest({ ...emptyRequest(), buildingId: 'b', title: 'x'.repeat(201) }).errors).toEqual({ unitId: 'Choose a unit.', title: 'At most 200 characters.' });
  });
});

describe('changes to a request', () => {
  it('sends only what changed; an emptied description clears it', () => {
    expect(buildUpdateRequest({ title: 'Leaking tap', description: '', priority: 'emergency', reportedBy: '' }, REQUEST).body).toEqual({ description: '', priority: 'emergency' });
    expect(buildUpdateRequest({ title: 'Leaking tap', description: 'Kitchen', priority: 'normal', reportedBy: '' }, REQUEST).body).toEqual({});
  });
});

describe('assigning, completing and cancelling', () => {
  it('asks for a vendor; a day only when given', () => {
    expect(buildAssign({ vendorId: '', scheduledFor: '' }).errors).toEqual({ vendorId: 'Choose a vendor.' });
    expect(buildAssign({ vendorId: 'ven_1', scheduledFor: '' }).body).toEqual({ vendorId: 'ven_1' });
    expect(buildAssign({ vendorId: 'ven_1', scheduledFor: '2027-03-03' }).body).toEqual({ vendorId: 'ven_1', scheduledFor: '2027-03-03' });
  });

  it('sends the cost as the currency’s decimal string with its category and account, and always the day', () => {
    const d = { ...emptyComplete('2027-03-04'), cost: '1,180', paidFrom: 'acc_1000' };
    expect(buildComplete(d, 'USD')).toEqual({
      body: { completedOn: '2027-03-04', cost: { amount: '1180.00', currency: 'USD' }, category: 'repairs', paidFrom: 'acc_1000' },
      errors: {},
    });
    // Unpaid: the vendor's bill; cleaning goes to its own account.
    expect(buildComplete({ ...d, cost: '180.5', category: 'cleaning', paidFrom: '' }, 'USD').body).toEqual({ completedOn: '2027-03-04', cost: { amount: '180.50', currency: 'USD' }, category: 'cleaning' });
    // No cost: no category, nothing booked.
    expect(buildComplete(emptyComplete('2027-03-04'), 'USD').body).toEqual({ completedOn: '2027-03-04' });
  });

  it('refuses a cost that is not a positive amount of the currency, and an account without a cost', () => {
    for (const cost of ['0', '-5', '1.005', 'ten']) {
      expect(buildComplete({ ...emptyComplete('2027-03-04'), cost }, 'USD').errors).toEqual({ cost: 'Enter an amount in USD more than zero, such as 180.00.' });
    }
    expect(buildComplete({ ...emptyComplete(''), paidFrom: 'acc_1000' }, 'USD').errors).toEqual({
      paidFrom: 'Enter the cost to record it as paid, or leave this empty.',
      completedOn: 'Enter the day the work was done.',
    });
  });

  it('sends a cancel reason only when given', () => {
    expect(buildCancel('  ').body).toEqual({});
    expect(buildCancel(' Tenant fixed it ').body).toEqual({ reason: 'Tenant fixed it' });
    expect(buildCancel('x'.repeat(201)).errors).toEqual({ reason: 'At most 200 characters.' });
  });
});

describe('the lifecycle and the board', () => {
  it('offers what each status allows', () => {
    expect(actionsFor('open')).toEqual(['assign', 'edit', 'cancel']);
    expect(actionsFor('assigned')).toEqual(['start', 'complete', 'assign', 'edit', 'cancel']);
    expect(actionsFor('in_progress')).toEqual(['complete', 'edit', 'cancel']);
    expect(actionsFor('completed')).toEqual([]);
    expect(actionsFor('cancelled')).toEqual([]);
  });

  it('puts what is still to do first, emergencies leading, then the closed ones, newest first', () => {
    const r = (id: string, status: MaintenanceRequest['status'], priority: MaintenanceRequest['priority'], day: string) => ({ ...REQUEST, id, status, priority, createdAt: `2027-03-${day}T10:00:00Z` });
    const order = boardOrder([r('a', 'completed', 'emergency', '09'), r('b', 'open', 'low', '08'), r('c', 'assigned', 'emergency', '01'), r('d', 'in_progress', 'normal', '05'), r('e', 'open', 'normal', '06'), r('f', 'cancelled', 'normal', '10')]);
    expect(order.map((x) => x.id)).toEqual(['c', 'e', 'd', 'b', 'f', 'a']);
  });

  it('filters by one status or by everything still to do', () => {
    expect(matches('to_do', 'in_progress')).toBe(true);
    expect(matches('to_do', 'completed')).toBe(false);
    expect(matches('assigned', 'assigned')).toBe(true);
    expect(matches('assigned', 'open')).toBe(false);
    expect(matches('all', 'cancelled')).toBe(true);
  });
});
