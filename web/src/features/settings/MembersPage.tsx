import { useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, apiPost, type Schemas } from '@/api/client';
import { FormError, SelectField, TextField } from '@/components/Field';
import { Section } from '@/components/Page';
import { LoadMore, usePaged } from '@/components/Paged';
import { Empty, ErrorState, Loading } from '@/components/QueryState';
import { Table } from '@/components/Table';
import { formatInstant } from '@/lib/dates';
import { useCan, useMe, useOrg } from '@/lib/org';
import type { Role } from '@/lib/permissions';
import { ConfirmButton } from './common';

type Member = Schemas['Member'];

export const ROLES: { value: Role; label: string }[] = [
  { value: 'owner', label: 'Owner' },
  { value: 'manager', label: 'Manager' },
  { value: 'accountant', label: 'Accountant' },
  { value: 'readonly', label: 'Read-only' },
];

const roleLabel = (r: Role) => ROLES.find((x) => x.value === r)?.label ?? r;

export const membersKey = (orgId: string) => ['orgs', orgId, 'members'] as const;

/** Owners add a member by their identity-provider user id (`sub`), email and role. */
export function AddMemberForm() {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [userId, setUserId] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('manager');
  const [invalid, setInvalid] = useState<{ userId?: string; email?: string }>({});
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: (body: Schemas['AddMember']) => apiPost('/api/v1/orgs/{orgId}/members', { orgId }, body),
    onSuccess: async (m) => {
      setAdded(`${m.email} was added as ${roleLabel(m.role).toLowerCase()}.`);
      setUserId('');
      setEmail('');
      await qc.invalidateQueries({ queryKey: membersKey(orgId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const errs = {
      userId: userId.trim() ? undefined : 'Enter the user’s ID.',
      email: /^[^\s@]+@[^\s@]+$/.test(email.trim()) ? undefined : 'Enter an email address.',
    };
    setInvalid(errs);
    if (errs.userId || errs.email) return;
    add.mutate({ userId: userId.trim(), email: email.trim(), role });
  };
  return (
    <form className="form card settings-form" onSubmit={submit} noValidate aria-labelledby="add-member-heading">
      <h3 id="add-member-heading">Add a member</h3>
      <FormError error={add.error} shown={['userId', 'email', 'role']} />
      {added ? (
        <div className="ok-box" role="status">
          {added}
        </div>
      ) : null}
      <div className="form-row">
        <TextField
          label="User ID"
          name="userId"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          error={add.error}
          invalid={invalid.userId}
          hint="Their ID at the sign-in provider (the token’s sub)."
          autoComplete="off"
          required
        />
        <TextField label="Email" name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={add.error} invalid={invalid.email} autoComplete="off" required />
        <SelectField label="Role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={add.error}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add member'}
        </button>
      </div>
    </form>
  );
}

/** A row's role: a select and "Save role" (the API refuses demoting the last owner, 409). */
function RoleEditor({ member }: { member: Member }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const [role, setRole] = useState<Role>(member.role);
  const save = useMutation({
    mutationFn: () => apiPatch('/api/v1/orgs/{orgId}/members/{userId}', { orgId, userId: member.userId }, { role }),
    onSuccess: async () => {
      await Promise.all([qc.invalidateQueries({ queryKey: membersKey(orgId) }), qc.invalidateQueries({ queryKey: ['me'] })]);
    },
  });
  return (
    <div>
      <div className="row-actions">
        {/* Named without the word "role", so the add form's "Role" stays the only field found by that label. */}
        <select aria-label={`Access level for ${member.email}`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <button type="button" className="btn" disabled={save.isPending || role === member.role} onClick={() => save.mutate()}>
          {save.isPending ? 'Saving…' : 'Save role'}
        </button>
      </div>
      {save.error ? (
        <div className="row-error">
          <FormError error={save.error} />
        </div>
      ) : null}
    </div>
  );
}

function RemoveMember({ member }: { member: Member }) {
  const { orgId } = useOrg();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: () => apiDelete('/api/v1/orgs/{orgId}/members/{userId}', { orgId, userId: member.userId }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: membersKey(orgId) });
    },
  });
  return (
    <div>
      <ConfirmButton label="Remove" confirmLabel="Confirm remove" pending={remove.isPending} onConfirm={() => remove.mutate()} />
      {remove.error ? (
        <div className="row-error">
          <FormError error={remove.error} />
        </div>
      ) : null}
    </div>
  );
}

/** `settings/members`: who is in the org with which role; owners add, change and remove. */
export default function MembersPage() {
  const { orgId, org } = useOrg();
  const manage = useCan('memberManage');
  const me = useMe();
  const list = usePaged<Member>(membersKey(orgId), (cursor, signal) => apiGet('/api/v1/orgs/{orgId}/members', { orgId }, { limit: 100, cursor }, { signal }));
  const myId = me.data?.userId;
  return (
    <Section title="Members">
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : !list.items.length ? (
        <Empty>No members.</Empty>
      ) : (
        <>
          <Table<Member>
            caption="Members and their roles"
            rowKey={(m) => m.userId}
            rows={list.items}
            columns={[
              { header: 'User ID', cell: (m) => <code>{m.userId}</code> },
              { header: 'Email', cell: (m) => (m.userId === myId ? `${m.email} (you)` : m.email) },
              { header: 'Role', cell: (m) => (manage ? <RoleEditor key={m.role} member={m} /> : roleLabel(m.role)) },
              { header: 'Added', cell: (m) => formatInstant(m.addedAt, org.timezone) },
              ...(manage ? [{ header: 'Remove', cell: (m: Member) => <RemoveMember member={m} /> }] : []),
            ]}
          />
          <LoadMore query={list} />
        </>
      )}
      {manage ? (
        <div className="form-section">
          <AddMemberForm />
        </div>
      ) : (
        <p className="muted">Only an owner can add, change or remove members.</p>
      )}
    </Section>
  );
}
