import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderWithOrg, validationError } from './testing';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { DocumentsSection, contentTypeOf } = await import('./DocumentsSection');

const version = (status: 'pending' | 'available') => ({ version: 1, status, contentType: 'text/csv', sizeBytes: 8, createdAt: '2027-01-20T15:00:00Z', createdBy: 'u' });
const doc = (status: 'pending' | 'available') => ({
  id: 'doc_1',
  name: 'rent.csv',
  subject: { type: 'lease', id: 'lse_1' },
  latestVersion: 1,
  versions: [version(status)],
  createdAt: '2027-01-20T15:00:00Z',
  updatedAt: '2027-01-20T15:00:00Z',
  download: status === 'available' ? { url: 'http://s3.local/bucket/doc_1?sig=abc', expiresAt: new Date(Date.now() + 300_000).toISOString() } : null,
});

let listed: unknown[] = [];
const fetchMock = vi.fn();

describe('lease documents', () => {
  beforeEach(() => {
    listed = [];
    apiGet.mockReset();
    apiPost.mockReset();
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/documents') return { items: listed, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/documents/{documentId}') return doc('available');
      throw new Error(`unexpected GET ${path}`);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('knows a file by its extension when the browser does not', () => {
    expect(contentTypeOf({ name: 'Lease.PDF', type: '' })).toBe('application/pdf');
    expect(contentTypeOf({ name: 'scan.heic', type: '' })).toBe('image/heic');
    expect(contentTypeOf({ name: 'rent.csv', type: 'application/vnd.ms-excel' })).toBe('text/csv');
    expect(contentTypeOf({ name: 'tool.exe', type: 'application/x-msdownload' })).toBe('application/x-msdownload');
  });

  it('creates the document, PUTs the bytes to the presigned URL with exactly its headers (no token), then lists it', async () => {
    apiPost.mockResolvedValue({
      ...doc('pending'),
      upload: { method: 'PUT', url: 'http://s3.local/bucket/doc_1?put', headers: { 'content-type': 'text/csv', 'content-length': '8' }, expiresAt: '2027-01-20T15:15:00Z' },
    });
    fetchMock.mockImplementation(async () => {
      listed = [{ id: 'doc_1', name: 'rent.csv', subject: { type: 'lease', id: 'lse_1' }, latestVersion: 1, latestAvailable: 1, createdAt: '2027-01-20T15:00:00Z' }];
      return new Response(null, { status: 200 });
    });
    renderWithOrg(<DocumentsSection leaseId="lse_1" />);
    expect(await screen.findByText('No documents yet.')).toBeInTheDocument();
    const file = new File(['a,b\n1,2\n'], 'rent.csv', { type: 'text/csv' });
    await userEvent.setup().upload(screen.getByLabelText('Upload a document'), file);

    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents', { orgId: 'org_1' }, { subject: { type: 'lease', id: 'lse_1' }, name: 'rent.csv', contentType: 'text/csv', sizeBytes: 8 });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://s3.local/bucket/doc_1?put');
    expect(init.method).toBe('PUT');
    // content-length is the browser's to send (the File's size); everything else exactly as given.
    expect(init.headers).toEqual({ 'content-type': 'text/csv' });
    expect(init.body).toBe(file);

    const link = await screen.findByRole('link', { name: 'Download rent.csv' });
    expect(link).toHaveAttribute('href', 'http://s3.local/bucket/doc_1?sig=abc');
    expect(screen.getByText('available')).toBeInTheDocument();
    expect(screen.getByText('8 B')).toBeInTheDocument();
  });

  it('says why the API refused a file', async () => {
    apiPost.mockRejectedValue(validationError([{ field: 'contentType', message: 'must be one of application/pdf, image/png' }]));
    renderWithOrg(<DocumentsSection leaseId="lse_1" />);
    await screen.findByText('No documents yet.');
    fireEvent.change(screen.getByLabelText('Upload a document'), { target: { files: [new File(['MZ'], 'tool.exe', { type: 'application/x-msdownload' })] } });
    expect(await screen.findByText('tool.exe was not uploaded.')).toBeInTheDocument();
    expect(screen.getByText(/File type: must be one of application\/pdf, image\/png/)).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('sends an expiry only when one is set', async () => {
    apiPost.mockResolvedValue({ ...doc('pending'), upload: { method: 'PUT', url: 'http://s3.local/put', headers: {}, expiresAt: '2027-01-20T15:15:00Z' } });
    fetchMock.mockResolvedValue(new Response(null, { status: 200 }));
    renderWithOrg(<DocumentsSection leaseId="lse_1" />);
    await screen.findByText('No documents yet.');
    fireEvent.change(screen.getByLabelText('Expires on'), { target: { value: '2028-01-31' } });
    fireEvent.change(screen.getByLabelText('Upload a document'), { target: { files: [new File(['%PDF'], 'insurance.pdf', { type: 'application/pdf' })] } });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents', { orgId: 'org_1' }, { subject: { type: 'lease', id: 'lse_1' }, name: 'insurance.pdf', contentType: 'application/pdf', sizeBytes: 4, expiresOn: '2028-01-31' });
    // The expiry was for that upload; the next starts without one.
    expect(screen.getByLabelText('Expires on')).toHaveValue('');
  });

  it('uploads a new version of a document and lists its versions', async () => {
    listed = [{ id: 'doc_1', name: 'rent.csv', subject: { type: 'lease', id: 'lse_1' }, latestVersion: 1, latestAvailable: 1, createdAt: '2027-01-20T15:00:00Z' }];
    const v2 = { ...version('available'), version: 2, sizeBytes: 2048, createdAt: '2027-02-01T17:30:00Z' };
    let current = doc('available');
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/documents') return { items: listed, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/documents/{documentId}') return current;
      throw new Error(`unexpected GET ${path}`);
    });
    apiPost.mockImplementation(async () => {
      current = { ...doc('available'), latestVersion: 2, versions: [version('available'), v2] };
      return { ...current, upload: { method: 'PUT', url: 'http://s3.local/bucket/doc_1?v2', headers: { 'content-type': 'text/csv' }, expiresAt: '2027-02-01T17:45:00Z' } };
    });
    fetchMock.mockResolvedValue(new Response(null, { status: 200 }));
    renderWithOrg(<DocumentsSection leaseId="lse_1" />);
    const input = await screen.findByLabelText('Upload new version of rent.csv');
    // The name shows once as text (the input is named by aria-label).
    expect(screen.getAllByText('rent.csv')).toHaveLength(1);
    const file = new File(['a,b\n1,3\n'], 'rent-v2.csv', { type: 'text/csv' });
    await userEvent.setup().upload(input, file);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents/{documentId}/versions', { orgId: 'org_1', documentId: 'doc_1' }, { contentType: 'text/csv', sizeBytes: 8 });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://s3.local/bucket/doc_1?v2');
    expect(init.headers).toEqual({ 'content-type': 'text/csv' });
    expect(init.body).toBe(file);
    expect(await screen.findByText('Version 2 uploaded.')).toBeInTheDocument();

    const summary = screen.getByText('Versions (2)');
    await userEvent.setup().click(summary);
    const list = await screen.findByRole('list', { name: 'Versions of rent.csv' });
    const items = Array.from(list.querySelectorAll('li')).map((li) => li.textContent);
    // Newest first, each with its size, status and time in the org's zone (New York).
    expect(items[0]).toMatch(/^Version 2 \(latest\) · 2 KB · available · uploaded Feb 1, 2027, 12:30/);
    expect(items[1]).toMatch(/^Version 1 · 8 B · available · uploaded Jan 20, 2027, 10:00/);
  });

  it('offers no new-version upload to a readonly member', async () => {
    listed = [{ id: 'doc_1', name: 'rent.csv', subject: { type: 'lease', id: 'lse_1' }, latestVersion: 1, latestAvailable: 1, createdAt: '2027-01-20T15:00:00Z' }];
    renderWithOrg(<DocumentsSection leaseId="lse_1" />, { role: 'readonly' });
    await screen.findByText('rent.csv');
    expect(screen.queryByLabelText(/Upload/)).toBeNull();
    expect(screen.queryByLabelText('Expires on')).toBeNull();
  });

  it('highlights the drop zone while a file is dragged over it', async () => {
    renderWithOrg(<DocumentsSection leaseId="lse_1" />);
    await screen.findByText('No documents yet.');
    const zone = screen.getByLabelText('Upload a document').closest('.dropzone') as HTMLElement;
    fireEvent.dragEnter(zone);
    expect(zone).toHaveClass('over');
    fireEvent.dragLeave(zone);
    expect(zone).not.toHaveClass('over');
  });
});
