import type { ReactNode } from 'react';
import { ApiError } from '@/api/problem';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

/** A failed request: the problem's title and detail (404 reads as "not found"). */
export function ErrorState({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 404) {
    return (
      <div role="alert" className="error-box">
        <strong>Not found.</strong> It does not exist, or you do not have access to it.
      </div>
    );
  }
  const message = error instanceof ApiError ? error.problem.detail : error instanceof Error ? error.message : 'Something went wrong.';
  const title = error instanceof ApiError ? error.problem.title : 'Error';
  return (
    <div role="alert" className="error-box">
      <strong>{title}.</strong> {message !== title ? message : null}
    </div>
  );
}

/** Renders loading, error, empty or the data. */
export function QueryView<T>({
  query,
  empty,
  children,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  empty?: (data: T) => ReactNode | null;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorState error={query.error} />;
  if (query.data === undefined) return <Loading />;
  const e = empty?.(query.data);
  if (e) return <Empty>{e}</Empty>;
  return <>{children(query.data)}</>;
}
