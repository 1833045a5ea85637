/** The imports screen's API calls and query keys (under `['orgs', orgId, 'imports']`). */
import { apiGet, apiPost, fillPath, http, type Schemas } from '@/api/client';
import type { ImportKind } from '@/lib/importKinds';
import { putToPresigned } from '@/lib/upload';

export type Import = Schemas['Import'];
export type ImportStatus = Schemas['ImportStatus'];

export const keys = {
  all: (orgId: string) => ['orgs', orgId, 'imports'] as const,
  list: (orgId: string) => ['orgs', orgId, 'imports', 'list'] as const,
  one: (orgId: string, importId: string) => ['orgs', orgId, 'imports', 'one', importId] as const,
};

/** Still moving: the page asks again until it is validated, committed or failed. */
export const PENDING: ReadonlySet<ImportStatus> = new Set(['uploading', 'validating', 'committing']);

export const STATUS_WORDS: Record<ImportStatus, string> = {
  uploading: 'Waiting for the file',
  validating: 'Checking',
  validated: 'Checked',
  committing: 'Importing',
  committed: 'Imported',
  failed: 'Failed',
};

export function listImports(orgId: string, cursor: string | undefined, signal: AbortSignal) {
  return apiGet('/api/v1/orgs/{orgId}/imports', { orgId }, { cursor }, { signal });
}

export function getImport(orgId: string, importId: string, signal?: AbortSignal) {
  return apiGet('/api/v1/orgs/{orgId}/imports/{importId}', { orgId, importId }, undefined, { signal });
}

/** Creates the import, then PUTs the file's bytes where it says; processing starts when they land. */
export async function startImport(orgId: string, kind: ImportKind, file: File, dryRun: boolean): Promise<Import> {
  const created = await apiPost('/api/v1/orgs/{orgId}/imports', { orgId }, { kind, name: file.name, sizeBytes: file.size, dryRun });
  if (!created.upload) throw new Error('The API answered no upload link.');
  await putToPresigned(created.upload, file);
  return { ...created, upload: null };
}

export function commitImport(orgId: string, importId: string) {
  return apiPost('/api/v1/orgs/{orgId}/imports/{importId}:commit', { orgId, importId }, {});
}

/**
 * The kind's CSV template, fetched with the caller's token (a plain link would carry none) and
 * saved through a temporary object URL as `<kind>-template.csv`.
 */
export async function downloadTemplate(orgId: string, kind: ImportKind): Promise<void> {
  const res = await http.get<string>(fillPath('/api/v1/orgs/{orgId}/import-templates/{kind}', { orgId, kind }), { responseType: 'text' });
  const url = URL.createObjectURL(new Blob([res.data], { type: 'text/csv' }));
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = `${kind}-template.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // After the click has handed the file over.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}
