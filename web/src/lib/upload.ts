/** Presigned uploads (documents, imports): the bytes go straight to storage, not through the API. */
import type { Schemas } from '@/api/client';

/** Headers the browser sets itself and refuses from scripts (it sends the same length for the File). */
const BROWSER_SET = new Set(['content-length', 'host', 'connection']);

/** PUTs the bytes to the presigned URL with exactly its headers: plain `fetch`, no Authorization. */
export async function putToPresigned(upload: Schemas['PresignedUpload'], file: Blob): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(upload.headers)) if (!BROWSER_SET.has(k.toLowerCase())) headers[k] = v;
  let res: Response;
  try {
    res = await fetch(upload.url, { method: upload.method || 'PUT', headers, body: file });
  } catch {
    throw new Error('The file could not be sent to storage. Check your connection and try again.');
  }
  if (!res.ok) throw new Error(`Storage refused the file (HTTP ${res.status}). Try again; the upload link lasts 15 minutes.`);
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(Math.round((bytes / 1024) * 10) / 10).toLocaleString()} KB`;
  return `${(Math.round((bytes / (1024 * 1024)) * 10) / 10).toLocaleString()} MB`;
}
