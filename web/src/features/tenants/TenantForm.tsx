/** The tenant form (create and edit): the API's field errors show under the input they name. */
import { useId, useState, type FormEvent } from 'react';
import type { Schemas } from '@/api/client';
import { FormError, TextField } from '@/components/Field';
import './tenants.css';

type Tenant = Schemas['Tenant'];
export type TenantBody = Schemas['CreateTenant'];

export function TenantForm({
  title,
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  title: string;
  initial?: Tenant;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: TenantBody) => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const [firstName, setFirstName] = useState(initial?.firstName ?? '');
  const [lastName, setLastName] = useState(initial?.lastName ?? '');
  const [email, setEmail] = useState(initial?.email ?? '');
  const [phone, setPhone] = useState(initial?.phone ?? '');

  function submit(e: FormEvent) {
    e.preventDefault();
    onSubmit({ firstName: firstName.trim(), lastName: lastName.trim(), email: email.trim(), phone: phone.trim() || null });
  }

  return (
    <form className="form card tenants-form" onSubmit={submit} aria-labelledby={headingId}>
      <h2 id={headingId} className="tenants-form-title">{title}</h2>
      <FormError error={error} shown={['firstName', 'lastName', 'email', 'phone']} />
      <div className="form-row">
        <TextField label="First name" name="firstName" error={error} required autoFocus maxLength={200} autoComplete="off" value={firstName} onChange={(e) => setFirstName(e.target.value)} />
        <TextField label="Last name" name="lastName" error={error} required maxLength={200} autoComplete="off" value={lastName} onChange={(e) => setLastName(e.target.value)} />
      </div>
      <div className="form-row">
        <TextField label="Email" name="email" error={error} required type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
        <TextField label="Phone" name="phone" error={error} type="tel" autoComplete="off" hint={initial?.phone ? 'Such as +1 555 010 0100; can be changed but not removed' : 'Optional, such as +1 555 010 0100'} value={phone} onChange={(e) => setPhone(e.target.value)} />
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
