import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

const apiGet = vi.fn();
const apiPost = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
}));

const { DocumentsSection } = await import('./DocumentsSection');

const SUBJECT = { type: 'maintenance' as const, id: 'mnt_1' };
const photo = (name: string, contentType: string) => ({
  id: `doc_${name}`,
  name,
  subject: SUBJECT,
  latestVersion: 1,
  versions: [{ version: 1, status: 'available', contentType, sizeBytes: 2048, createdAt: '2027-03-01T15:00:00Z', createdBy: 'u' }],
  createdAt: '2027-03-01T15:00:00Z',
  updatedAt: '2027-03-01T15:00:00Z',
  download: { url: `http://s3.local/bucket/${name}?sig=1`, expiresAt: new Date(Date.now() + 300_000).toISOString() },
});

let listed: ReturnType<typeof photo>[] = [];
const fetchMock = vi.fn();

function show() {
  renderWithOrg(<DocumentsSection subject={SUBJECT} title="Photos" caption="Photos of this request" kind="photos" />, { route: 'maintenance/mnt_1', at: 'maintenance/mnt_1' });
}

describe('a subject’s photos', () => {
  beforeEach(() => {
    listed = [];
    apiGet.mockReset();
    apiPost.mockReset();
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    apiGet.mockImplementation(async (path: string, params: { documentId?: string }) => {
      if (path === '/api/v1/orgs/{orgId}/documents') return { items: listed, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/documents/{documentId}') return listed.find((d) => d.id === params.documentId);
      throw new Error(`unexpected GET ${path}`);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('uploads a photo about the subject, then lists it with a preview (none for a PDF)', async () => {
    apiPost.mockResolvedValue({ ...photo('pipe.png', 'image/png'), upload: { method: 'PUT', url: 'http://s3.local/put', headers: { 'content-type': 'image/png' }, expiresAt: '2027-03-01T15:15:00Z' } });
    fetchMock.mockImplementation(async () => {
      listed = [photo('pipe.png', 'image/png'), photo('invoice.pdf', 'application/pdf')];
      return new Response(null, { status: 200 });
    });
    show();
    expect(await screen.findByText('No photos yet.')).toBeInTheDocument();
    expect(screen.queryByLabelText('Expires on')).not.toBeInTheDocument();
    const file = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'pipe.png', { type: 'image/png' });
    await userEvent.setup().upload(screen.getByLabelText('Upload a photo'), file);
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents', { orgId: ORG_ID }, { subject: SUBJECT, name: 'pipe.png', contentType: 'image/png', sizeBytes: 4 });
    expect(await screen.findByRole('img', { name: 'Photo: pipe.png' })).toHaveAttribute('src', 'http://s3.local/bucket/pipe.png?sig=1');
    expect(screen.getByRole('table', { name: 'Photos of this request' })).toHaveTextContent('invoice.pdf');
    expect(screen.queryByRole('img', { name: 'Photo: invoice.pdf' })).not.toBeInTheDocument();
    expect(apiGet).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/documents', { orgId: ORG_ID }, { subjectType: 'maintenance', subjectId: 'mnt_1', cursor: undefined }, expect.anything());
  });
});
