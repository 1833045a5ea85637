/** Vendors: who the org pays (tax ids stored encrypted and shown masked; 1099 vendors flagged). */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { ApiError } from '@/api/problem';
import { FormError, SelectField, TextField } from '@/components/Field';
import { PageHeader, Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { useCan, useOrg } from '@/lib/org';
import './vendors.css';

type Vendor = Schemas['Vendor'];
type Account = Schemas['Account'];

const vendorsKey = (orgId: string) => ['orgs', orgId, 'vendors'] as const;

function useAccounts() {
  const { orgId } = useOrg();
  return useQuery({
    queryKey: ['orgs', orgId, 'accounts', 'all'],
    queryFn: ({ signal }) => apiGet('/api/v1/orgs/{orgId}/accounts', { orgId }, undefined, { signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}

/** Accounts a vendor's expenses default to: expense and fixed-asset accounts. */
function defaultable(accounts: Account[] | undefined): Account[] {
  return (accounts ?? []).filter((a) => !a.archived && (a.type === 'expense' || a.subtype === 'fixed_asset'));
}

interface VendorFormState {
  name: string;
  kind: Schemas['VendorKind'];
  email: string;
  phone: string;
  taxId: string;
  form1099: boolean;
  defaultAccountId: string;
}

const EMPTY: VendorFormState = { name: '', kind: 'company', email: '', phone: '', taxId: '', form1099: false, defaultAccountId: '' };
const FIELDS = ['name', 'kind', 'email', 'phone', 'taxId', 'form1099', 'defaultAccountId', 'archived'];

function VendorForm({ vendor, onDone, onCancel }: { vendor?: Vendor; onDone: (v: Vendor) => void; onCancel: () => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const accounts = useAccounts();
  const [f, setF] = useState<VendorFormState>(() =>
    vendor
      ? { name: vendor.name, kind: vendor.kind, email: vendor.email ?? '', phone: vendor.phone ?? '', taxId: '', form1099: vendor.form1099, defaultAccountId: vendor.defaultAccountId ?? '' }
      : EMPTY,
  );
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const set = (patch: Partial<VendorFormState>) => setF((x) => ({ ...x, ...patch }));
  const save = useMutation({
    mutationFn: async (): Promise<Vendor> => {
      if (!vendor) {
        return apiPost(
          '/api/v1/orgs/{orgId}/vendors',
          { orgId },
          {
            name: f.name.trim(),
            kind: f.kind,
            email: f.email.trim() || null,
            phone: f.phone.trim() || null,
            taxId: f.taxId.trim() || null,
            form1099: f.form1099,
            defaultAccountId: f.defaultAccountId || null,
          },
        );
      }
      // Only what changed; an empty tax id keeps the one on file.
      const body: Schemas['UpdateVendor'] = {};
      if (f.name.trim() !== vendor.name) body.name = f.name.trim();
      if (f.email.trim() !== (vendor.email ?? '')) body.email = f.email.trim() || null;
      if (f.phone.trim() !== (vendor.phone ?? '')) body.phone = f.phone.trim() || null;
      if (f.taxId.trim()) body.taxId = f.taxId.trim();
      if (f.form1099 !== vendor.form1099) body.form1099 = f.form1099;
      if ((f.defaultAccountId || null) !== (vendor.defaultAccountId ?? null)) body.defaultAccountId = f.defaultAccountId || null;
      return apiPatch('/api/v1/orgs/{orgId}/vendors/{vendorId}', { orgId, vendorId: vendor.id }, body);
    },
    onSuccess: async (v) => {
      await qc.invalidateQueries({ queryKey: vendorsKey(orgId) });
      onDone(v);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (!f.name.trim()) errs.name = 'Enter the vendor’s name.';
    setInvalid(errs);
    if (Object.keys(errs).length) return;
    save.mutate();
  };
  return (
    <form className="form card" onSubmit={submit} noValidate aria-label={vendor ? `Edit ${vendor.name}` : 'New vendor'}>
      <FormError error={save.error} shown={FIELDS} />
      <div className="form-row">
        <TextField label="Name" name="name" value={f.name} onChange={(e) => set({ name: e.target.value })} error={save.error} invalid={invalid.name} required maxLength={200} autoComplete="off" />
        {vendor ? (
          <div className="field">
            <span className="field-label">Kind</span>
            <span>{vendor.kind === 'company' ? 'Company' : 'Individual'}</span>
          </div>
        ) : (
          <SelectField label="Kind" name="kind" value={f.kind} onChange={(e) => set({ kind: e.target.value as Schemas['VendorKind'] })} error={save.error}>
            <option value="company">Company</option>
            <option value="individual">Individual</option>
          </SelectField>
        )}
      </div>
      <div className="form-row">
        <TextField label="Email" name="email" type="email" value={f.email} onChange={(e) => set({ email: e.target.value })} error={save.error} autoComplete="off" />
        <TextField label="Phone" name="phone" type="tel" value={f.phone} onChange={(e) => set({ phone: e.target.value })} error={save.error} autoComplete="off" />
      </div>
      <div className="form-row">
        <TextField
          label="Tax ID"
          name="taxId"
          value={f.taxId}
          onChange={(e) => set({ taxId: e.target.value })}
          error={save.error}
          autoComplete="off"
          inputMode="numeric"
          hint={vendor?.taxId ? `On file: ${vendor.taxId}. Leave empty to keep it.` : 'SSN (123-45-6789) or EIN (12-3456789). Stored encrypted, shown masked.'}
        />
        <SelectField label="Default account" name="defaultAccountId" value={f.defaultAccountId} onChange={(e) => set({ defaultAccountId: e.target.value })} error={save.error} hint="Pre-selected on this vendor’s expenses">
          <option value="">— None —</option>
          {defaultable(accounts.data).map((a) => (
            <option key={a.id} value={a.id}>
              {a.code} · {a.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="field checkbox-field">
        <label>
          <input type="checkbox" name="form1099" checked={f.form1099} onChange={(e) => set({ form1099: e.target.checked })} /> 1099 vendor
        </label>
        <small className="hint">Paid amounts are reported on Form 1099-NEC/MISC.</small>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={save.isPending}>
          {vendor ? 'Save vendor' : 'Create vendor'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function RowActions({ vendor, onEdit, onError }: { vendor: Vendor; onEdit: () => void; onError: (e: unknown, what: string) => void }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [confirm, setConfirm] = useState<null | 'archive' | 'delete'>(null);
  const done = async () => {
    setConfirm(null);
    onError(null, '');
    await qc.invalidateQueries({ queryKey: vendorsKey(orgId) });
  };
  const archive = useMutation({
    mutationFn: (archived: boolean) => apiPatch('/api/v1/orgs/{orgId}/vendors/{vendorId}', { orgId, vendorId: vendor.id }, { archived }),
    onSuccess: done,
    onError: (e) => onError(e, `Archiving ${vendor.name}`),
  });
  const del = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/vendors/{vendorId}', { orgId, vendorId: vendor.id }),
    onSuccess: done,
    onError: (e) => {
      setConfirm(null);
      onError(e, `Deleting ${vendor.name}`);
    },
  });
  if (confirm === 'archive')
    return (
      <span className="row-actions">
        <button type="button" className="btn danger" aria-label={`Confirm archive ${vendor.name}`} onClick={() => archive.mutate(true)} disabled={archive.isPending}>
          Confirm archive
        </button>
        <button type="button" className="btn" onClick={() => setConfirm(null)}>
          Cancel
        </button>
      </span>
    );
  if (confirm === 'delete')
    return (
      <span className="row-actions">
        <button type="button" className="btn danger" aria-label={`Confirm delete ${vendor.name}`} onClick={() => del.mutate()} disabled={del.isPending}>
          Confirm delete
        </button>
        <button type="button" className="btn" onClick={() => setConfirm(null)}>
          Cancel
        </button>
      </span>
    );
  return (
    <span className="row-actions">
      <button type="button" className="btn" aria-label={`Edit ${vendor.name}`} onClick={onEdit}>
        Edit
      </button>
      {vendor.archived ? (
        <button type="button" className="btn" aria-label={`Unarchive ${vendor.name}`} onClick={() => archive.mutate(false)} disabled={archive.isPending}>
          Unarchive
        </button>
      ) : (
        <button type="button" className="btn" aria-label={`Archive ${vendor.name}`} onClick={() => setConfirm('archive')}>
          Archive
        </button>
      )}
      <button type="button" className="btn danger" aria-label={`Delete ${vendor.name}`} onClick={() => setConfirm('delete')}>
        Delete
      </button>
    </span>
  );
}

export default function VendorsPage() {
  const { orgId } = useOrg();
  const canWrite = useCan('booksWrite');
  const [form, setForm] = useState<null | 'new' | Vendor>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ error: unknown; what: string } | null>(null);
  const accounts = useAccounts();
  const list = usePaged([...vendorsKey(orgId), 'list'], (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/vendors', { orgId }, { cursor }, { signal }));
  const accountName = (id: string | null | undefined) => {
    if (!id) return '—';
    const a = accounts.data?.find((x) => x.id === id);
    return a ? `${a.code} · ${a.name}` : id;
  };
  return (
    <>
      <PageHeader
        title="Vendors"
        actions={
          canWrite && form !== 'new' ? (
            <button
              type="button"
              className="btn primary"
              onClick={() => {
                setNotice(null);
                setForm('new');
              }}
            >
              New vendor
            </button>
          ) : null
        }
      />
      {notice ? (
        <p className="ok-box" role="status">
          {notice}
        </p>
      ) : null}
      {canWrite && form ? (
        <Section title={form === 'new' ? 'New vendor' : `Edit ${form.name}`}>
          <VendorForm
            key={form === 'new' ? 'new' : form.id}
            vendor={form === 'new' ? undefined : form}
            onCancel={() => setForm(null)}
            onDone={(v) => {
              setNotice(form === 'new' ? `Created ${v.name}.` : `Saved ${v.name}.`);
              setForm(null);
            }}
          />
        </Section>
      ) : null}
      <Section title="All vendors">
        {actionError ? (
          <div role="alert" className="error-box">
            <strong>{actionError.what} failed.</strong> <ErrorText error={actionError.error} />
          </div>
        ) : null}
        {list.isPending ? (
          <Loading />
        ) : list.error ? (
          <ErrorState error={list.error} />
        ) : list.items.length === 0 ? (
          <Empty>No vendors yet.</Empty>
        ) : (
          <>
            <Table
              caption="Vendors"
              rows={list.items}
              rowKey={(v) => v.id}
              columns={[
                { header: 'Name', cell: (v) => <strong>{v.name}</strong> },
                { header: 'Kind', cell: (v) => (v.kind === 'company' ? 'Company' : 'Individual') },
                { header: 'Email', cell: (v) => (v.email ? <a href={`mailto:${v.email}`}>{v.email}</a> : '—') },
                { header: 'Phone', cell: (v) => v.phone ?? '—' },
                { header: 'Tax ID', cell: (v) => <span className="mono">{v.taxId ?? '—'}</span> },
                { header: '1099', cell: (v) => (v.form1099 ? 'Yes' : 'No') },
                { header: 'Default account', cell: (v) => accountName(v.defaultAccountId) },
                { header: 'Status', cell: (v) => <span className="status">{v.archived ? 'Archived' : 'Active'}</span> },
                ...(canWrite
                  ? [
                      {
                        header: 'Actions',
                        cell: (v: Vendor) => (
                          <RowActions
                            vendor={v}
                            onEdit={() => {
                              setNotice(null);
                              setForm(v);
                            }}
                            onError={(error, what) => setActionError(error ? { error, what } : null)}
                          />
                        ),
                      },
                    ]
                  : []),
              ]}
            />
            <LoadMore query={list} />
          </>
        )}
      </Section>
    </>
  );
}

function ErrorText({ error }: { error: unknown }) {
  if (error instanceof ApiError) {
    return (
      <>
        {error.problem.title}: {error.problem.detail}
      </>
    );
  }
  return <>{error instanceof Error ? error.message : 'Something went wrong.'}</>;
}
