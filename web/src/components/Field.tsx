/**
 * Form fields with their label, hint and the API's error for that field (problem+json `errors`
 * name fields by JSON path; `fieldError` matches the field or anything nested under it).
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '@/api/problem';

interface Common {
  label: string;
  /** The API's field name (JSON path) whose error shows under this input. */
  name: string;
  error?: unknown;
  hint?: ReactNode;
  /** A client-side validation message, shown before the API is asked. */
  invalid?: string | null;
}

export function errorFor(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.fieldError(name) : undefined;
}

function useFieldIds(p: Common) {
  const id = useId();
  const message = p.invalid ?? errorFor(p.error, p.name);
  const describedBy = [p.hint ? `${id}-hint` : null, message ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
  return { id, message, describedBy };
}

function Wrap({ p, id, message, children }: { p: Common; id: string; message?: string; children: ReactNode }) {
  return (
    <div className={`field${message ? ' has-error' : ''}`}>
      <label htmlFor={id}>{p.label}</label>
      {children}
      {p.hint ? (
        <small id={`${id}-hint`} className="hint">
          {p.hint}
        </small>
      ) : null}
      {message ? (
        <small id={`${id}-err`} className="field-error" role="alert">
          {message}
        </small>
      ) : null}
    </div>
  );
}

export function TextField(props: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>) {
  const { label: _l, name, error: _e, hint: _h, invalid: _i, ...rest } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Wrap p={props} id={id} message={message}>
      <input id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...rest} />
    </Wrap>
  );
}

export function SelectField(props: Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'name'> & { children: ReactNode }) {
  const { label: _l, name, error: _e, hint: _h, invalid: _i, children, ...rest } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Wrap p={props} id={id} message={message}>
      <select id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...rest}>
        {children}
      </select>
    </Wrap>
  );
}

export function TextAreaField(props: Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'name'>) {
  const { label: _l, name, error: _e, hint: _h, invalid: _i, ...rest } = props;
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Wrap p={props} id={id} message={message}>
      <textarea id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={describedBy} {...rest} />
    </Wrap>
  );
}

/** An amount typed as text (`inputMode="decimal"`) — it is sent as the string typed, normalized. */
export function MoneyField(props: Common & { currency: string; value: string; onChange: (v: string) => void; required?: boolean }) {
  const { id, message, describedBy } = useFieldIds(props);
  return (
    <Wrap p={props} id={id} message={message}>
      <div className="money-input">
        <input
          id={id}
          name={props.name}
          inputMode="decimal"
          autoComplete="off"
          pattern="-?[0-9,]*(\.[0-9]*)?"
          required={props.required}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value)}
          aria-invalid={message ? true : undefined}
          aria-describedby={describedBy}
        />
        <span className="currency" aria-label={`currency ${props.currency}`}>
          {props.currency}
        </span>
      </div>
    </Wrap>
  );
}

/**
 * The problem's summary above a form: its detail, and field errors no input on the form shows.
 * `shown` names fields shown with anything nested under them; `shownExactly` fields shown alone
 * (a fieldset that shows `rule` itself while its inputs show `rule.graceDays`).
 */
export function FormError({ error, shown = [], shownExactly = [] }: { error: unknown; shown?: string[]; shownExactly?: string[] }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div role="alert" className="error-box">
        {error instanceof Error ? error.message : 'Something went wrong.'}
      </div>
    );
  }
  const errors = error.problem.errors ?? [];
  const others = errors.filter((e) => !shownExactly.includes(e.field) && !shown.some((s) => e.field === s || e.field.startsWith(s + '.') || e.field.startsWith(s + '[')));
  // With field errors the API's detail repeats them; the inputs show theirs, the list the rest.
  const detail = errors.length ? (others.length < errors.length ? 'Check the fields marked below.' : '') : error.problem.detail;
  return (
    <div role="alert" className="error-box">
      <strong>{error.problem.title}.</strong> {detail}
      {others.length ? (
        <ul>
          {others.map((e) => (
            <li key={e.field}>
              <code>{e.field}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
