import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';

const apiGet = vi.fn();
const apiPost = vi.fn();
const httpGet = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPost: (...a: unknown[]) => apiPost(...a),
  http: { get: (...a: unknown[]) => httpGet(...a) },
  fillPath: (path: string, params: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? ''),
}));

const { default: ImportsPage } = await import('./ImportsPage');

const t = '2027-03-01T15:00:00Z';
const zero = { rows: 0, valid: 0, existing: 0, invalid: 0, created: 0, failed: 0 };
const imp = (over: Record<string, unknown> = {}) => ({
  id: 'imp_1',
  kind: 'tenants',
  name: 'tenants.csv',
  sizeBytes: 24,
  dryRun: true,
  status: 'uploading',
  counts: zero,
  errorCount: 0,
  errors: [],
  createdAt: t,
  updatedAt: t,
  ...over,
});
const ERRORS = [
  { row: 5, field: 'email', message: 'must be an email address' },
  { row: 9, field: 'lastName', message: 'must not be empty' },
];
const checkedWithErrors = imp({ status: 'validated', counts: { ...zero, rows: 50, valid: 48, invalid: 2 }, errorCount: 2, errors: ERRORS });
const checkedClean = imp({ status: 'validated', counts: { ...zero, rows: 50, valid: 50 } });
const UPLOAD = { method: 'PUT', url: 'http://s3.local/imports/imp_1/source.csv?sig', headers: { 'content-type': 'text/csv', 'content-length': '24' }, expiresAt: t };

let listed: unknown[] = [];
/** What each GET of the import answers, in turn (the last one repeats). */
let states: unknown[] = [];
const fetchMock = vi.fn();
const page = () => renderWithOrg(<ImportsPage />, { route: 'imports', at: 'imports' });
const csv = () => new File(['firstName,lastName,email\n'], 'tenants.csv', { type: 'text/csv' });

describe('the Import page', () => {
  beforeEach(() => {
    // Reset first, then give the implementations back (a reset drops them).
    vi.resetAllMocks();
    listed = [];
    states = [];
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockResolvedValue(new Response(null, { status: 200 }));
    apiGet.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/imports') return { items: listed, nextCursor: null };
      if (path === '/api/v1/orgs/{orgId}/imports/{importId}') return states.length > 1 ? states.shift() : states[0];
      throw new Error(`unexpected GET ${path}`);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('checks a file as a dry run: uploads it to the presigned URL, follows it, then lists every error by line and column', async () => {
    const user = userEvent.setup();
    apiPost.mockResolvedValue(imp({ upload: UPLOAD }));
    states = [imp({ status: 'validating' }), checkedWithErrors];
    page();
    expect(await screen.findByText('No imports yet.')).toBeInTheDocument();
    const file = csv();
    await user.upload(screen.getByLabelText('CSV file'), file);
    listed = [checkedWithErrors];
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));

    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/imports', { orgId: ORG_ID }, { kind: 'tenants', name: 'tenants.csv', sizeBytes: 25, dryRun: true });
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(UPLOAD.url);
    expect(init.method).toBe('PUT');
    // content-length is the browser's to send; the rest exactly as given, and no token.
    expect(init.headers).toEqual({ 'content-type': 'text/csv' });
    expect(init.body).toBe(file);

    expect(await screen.findByText('Checking every row…')).toBeInTheDocument();
    const result = await screen.findByTestId('import-result', {}, { timeout: 4000 });
    await within(result).findByText(/Checked 50 rows: 2 errors in 2 rows\. Nothing was written\./, {}, { timeout: 4000 });
    const counts = within(result).getByLabelText('Counts');
    expect(counts).toHaveTextContent('Rows50');
    expect(counts).toHaveTextContent('Valid48');
    expect(counts).toHaveTextContent('Already there0');
    expect(counts).toHaveTextContent('Rows with errors2');

    const errors = within(screen.getByRole('region', { name: 'Errors by line and column' })).getAllByRole('row').slice(1);
    expect(errors.map((r) => Array.from(r.querySelectorAll('td')).map((c) => c.textContent))).toEqual([
      ['5', 'email', 'must be an email address'],
      ['9', 'lastName', 'must not be empty'],
    ]);
    const commit = screen.getByRole('button', { name: 'Commit 48 tenants' });
    expect(commit).toBeDisabled();
    expect(commit).toHaveAccessibleDescription(/Nothing can be committed while the file has errors/);
    // The list was read again once the import settled.
    await waitFor(() => expect(screen.getByRole('region', { name: 'Past imports' })).toHaveTextContent('Checked'));
  });

  it('commits a clean dry run and follows it to the end', async () => {
    const user = userEvent.setup();
    listed = [checkedClean];
    states = [checkedClean];
    apiPost.mockImplementation(async (path: string) => {
      if (path === '/api/v1/orgs/{orgId}/imports/{importId}:commit') {
        states = [imp({ status: 'committing', dryRun: false, counts: { ...zero, rows: 50, valid: 50, created: 20 } }), imp({ status: 'committed', dryRun: false, counts: { ...zero, rows: 50, valid: 50, created: 50 } })];
        return imp({ status: 'committing', dryRun: false, counts: { ...zero, rows: 50, valid: 50 } });
      }
      throw new Error(`unexpected POST ${path}`);
    });
    page();
    await user.click(await screen.findByRole('button', { name: /^Show tenants\.csv/ }));
    expect(await screen.findByText(/Checked 50 rows: no errors\. 50 rows are ready to import\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Commit 50 tenants' }));
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/imports/{importId}:commit', { orgId: ORG_ID, importId: 'imp_1' }, {});
    expect(await screen.findByText('Imported: 50 created.', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByLabelText('Counts')).toHaveTextContent('Created50');
    expect(screen.queryByRole('button', { name: /^Commit/ })).toBeNull();
  });

  it('shows why the API refused a commit (409)', async () => {
    const user = userEvent.setup();
    listed = [checkedClean];
    states = [checkedClean];
    apiPost.mockRejectedValue(new ApiError({ type: 'urn:portfolioos:problem:conflict', title: 'Conflict', status: 409, detail: 'the file has 2 errors: fix them and import it again' }));
    page();
    await user.click(await screen.findByRole('button', { name: /^Show tenants\.csv/ }));
    await user.click(await screen.findByRole('button', { name: 'Commit 50 tenants' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Conflict. the file has 2 errors: fix them and import it again');
  });

  it('imports at once when asked, units included', async () => {
    const user = userEvent.setup();
    apiPost.mockResolvedValue(imp({ kind: 'units', name: 'units.csv', dryRun: false, upload: UPLOAD }));
    states = [imp({ kind: 'units', name: 'units.csv', dryRun: false, status: 'committed', counts: { ...zero, rows: 3, valid: 2, existing: 1, created: 2 } })];
    page();
    await user.selectOptions(await screen.findByLabelText('What to import'), 'units');
    expect(screen.getByLabelText('What to import')).toHaveAccessibleDescription(/Columns: building, label, bedrooms/);
    await user.upload(screen.getByLabelText('CSV file'), new File(['building,label\nElm,1A\n'], 'units.csv', { type: 'text/csv' }));
    await user.click(screen.getByRole('button', { name: 'Import now' }));
    expect(await screen.findByText('Imported: 2 created, 1 already there (skipped).')).toBeInTheDocument();
    expect(apiPost).toHaveBeenCalledWith('/api/v1/orgs/{orgId}/imports', { orgId: ORG_ID }, { kind: 'units', name: 'units.csv', sizeBytes: 22, dryRun: false });
  });

  it('offers leases and opening balances with their columns', async () => {
    const user = userEvent.setup();
    page();
    const kind = await screen.findByLabelText('What to import');
    await user.selectOptions(kind, 'leases');
    expect(kind).toHaveAccessibleDescription(/Columns: building, unit, tenants, startDate, endDate, rent, currency, dueDay, deposit, status\./);
    await user.selectOptions(kind, 'opening-balances');
    expect(kind).toHaveAccessibleDescription(/Columns: type, date, building, unit, account, amount, currency, memo\./);
    expect(screen.getByRole('button', { name: 'Download the opening balances template' })).toBeInTheDocument();
  });

  it('asks for a file before anything is sent', async () => {
    const user = userEvent.setup();
    page();
    await user.click(await screen.findByRole('button', { name: 'Check (dry run)' }));
    expect(screen.getByLabelText('CSV file')).toHaveAccessibleDescription('Choose a CSV file.');
    expect(apiPost).not.toHaveBeenCalled();
  });

  it('says why an upload failed', async () => {
    const user = userEvent.setup();
    apiPost.mockResolvedValue(imp({ upload: UPLOAD }));
    fetchMock.mockResolvedValue(new Response(null, { status: 403 }));
    page();
    await user.upload(await screen.findByLabelText('CSV file'), csv());
    await user.click(screen.getByRole('button', { name: 'Check (dry run)' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Storage refused the file (HTTP 403)');
    expect(screen.queryByTestId('import-result')).toBeNull();
  });

  it('downloads the template with the token and saves it as a file', async () => {
    const user = userEvent.setup();
    httpGet.mockResolvedValue({ data: 'firstName,lastName,email,phone\nAda,Lee,ada.lee@example.com,\n' });
    const createObjectURL = vi.fn(() => 'blob:template');
    const revokeObjectURL = vi.fn();
    // jsdom has no object URLs.
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    page();
    await user.click(await screen.findByRole('button', { name: 'Download the tenants template' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(httpGet).toHaveBeenCalledWith(`/api/v1/orgs/${ORG_ID}/import-templates/tenants`, { responseType: 'text' });
    const blob = (createObjectURL.mock.calls[0] as unknown as [Blob])[0];
    expect(blob.type).toBe('text/csv');
    const anchor = click.mock.contexts[0] as HTMLAnchorElement;
    expect(anchor.download).toBe('tenants-template.csv');
    click.mockRestore();
  });

  it('offers a read-only member the list but no import or commit', async () => {
    const user = userEvent.setup();
    listed = [checkedClean];
    states = [checkedClean];
    renderWithOrg(<ImportsPage />, { route: 'imports', at: 'imports', role: 'readonly' });
    expect(await screen.findByText('Your role can see past imports but not start one.')).toBeInTheDocument();
    expect(screen.queryByLabelText('CSV file')).toBeNull();
    await user.click(await screen.findByRole('button', { name: /^Show tenants\.csv/ }));
    expect(await screen.findByText(/Checked 50 rows: no errors/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Commit/ })).toBeNull();
  });
});
