import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/api/problem';
import { ORG_ID, renderWithOrg } from '@/test/renderWithOrg';
import type { Role } from '@/lib/permissions';

const apiGet = vi.fn();
const apiPut = vi.fn();
const apiDelete = vi.fn();
vi.mock('@/api/client', () => ({
  apiGet: (...a: unknown[]) => apiGet(...a),
  apiPut: (...a: unknown[]) => apiPut(...a),
  apiDelete: (...a: unknown[]) => apiDelete(...a),
}));

const { Sftp } = await import('./Sftp');

const SFTP = '/api/v1/orgs/{orgId}/integrations/sftp';
const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n';
const HOST_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';
const FINGERPRINT = 'SHA256:pG2Vh7bLkX7ZbWd1zVQjvC3Tq1rX0mY3nJbqK4cHf8E';
const notConnected = { status: 'not_connected' };
const CONNECTED = {
  status: 'connected',
  host: '127.0.0.1',
  port: 2222,
  username: 'portfolio',
  hostKey: HOST_KEY,
  hostKeyFingerprint: FINGERPRINT,
  path: '/srv/outgoing',
  kind: 'tenants',
  connectedAt: '2027-03-01T15:00:00Z',
  updatedAt: '2027-03-01T15:00:00Z',
};
const MISMATCH = `the server presented host key SHA256:Zm9yZWlnbiBrZXkgcHJlc2VudGVkIGJ5IHRoZSBzZXJ2ZXI, not the pinned ${FINGERPRINT}: refused`;

/** The API as the section sees it: the connection as `state` says. */
let state: Record<string, unknown> = notConnected;

function show(role: Role = 'owner') {
  const r = renderWithOrg(<Sftp />, { route: 'settings/integrations', at: 'settings/integrations', role });
  return { user: userEvent.setup(), ...r };
}

const problem = (status: number, title: string, detail: string, errors?: { field: string; message: string }[]) => new ApiError({ type: 'about:blank', title, status, detail, errors });

/** The value shown against `label` in the connection's facts. */
const fact = (label: string) => within(screen.getByTestId('sftp-status')).getByText(label).nextElementSibling as HTMLElement;

async function fill(user: ReturnType<typeof userEvent.setup>, form: HTMLElement, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) {
    const input = within(form).getByLabelText(label);
    await user.clear(input);
    // Pasted, as a key is: typing would read `{` and `[` as keys.
    await user.click(input);
    await user.paste(value);
  }
}

describe('settings → integrations → SFTP', () => {
  beforeEach(() => {
    for (const f of [apiGet, apiPut, apiDelete]) f.mockReset();
    state = notConnected;
    apiGet.mockImplementation(async (path: string) => {
      if (path === SFTP) return state;
      throw new Error(`unexpected GET ${path}`);
    });
  });

  it('connects a server: checks the fields first, then sends them and shows the connection', async () => {
    apiPut.mockImplementation(async () => {
      state = CONNECTED;
      return CONNECTED;
    });
    const { user } = show();
    expect(await screen.findByText('No SFTP server is connected.')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Connect an SFTP server' });
    expect(within(form).getByLabelText('Port')).toHaveValue('22');
    expect(within(form).getByLabelText('Private key')).toHaveValue('');
    expect(within(form).getByLabelText('Host key')).toHaveAccessibleDescription(/\/etc\/ssh\/ssh_host_ed25519_key\.pub, or the output of ssh-keyscan -t ed25519 host/);

    // Nothing is sent until every field is there.
    await user.clear(within(form).getByLabelText('Port'));
    await user.click(within(form).getByRole('button', { name: 'Connect SFTP server' }));
    const says = (label: string, message: string) => {
      const input = within(form).getByLabelText(label);
      expect(input).toHaveAttribute('aria-invalid', 'true');
      expect(input).toHaveAccessibleDescription(expect.stringContaining(message));
    };
    says('Host', 'Enter the server’s host name or IP address.');
    says('Port', 'Enter a port from 1 to 65535');
    says('Username', 'Enter the user to log in as.');
    says('Private key', 'Paste the private key to log in with.');
    says('Host key', 'Paste the server’s public host key.');
    says('Directory', 'starting with /');
    says('What the files are', 'Choose what the files are.');
    expect(apiPut).not.toHaveBeenCalled();

    await fill(user, form, { Host: '127.0.0.1', Port: '2222', Username: 'portfolio', 'Private key': PRIVATE_KEY, 'Host key': `${HOST_KEY} root@sftp\n`, Directory: 'srv/outgoing' });
    await user.selectOptions(within(form).getByLabelText('What the files are'), 'Tenants');
    expect(within(form).getByLabelText('What the files are')).toHaveAccessibleDescription(/columns: firstName, lastName, email, phone/);
    // The command to read the key names the server typed.
    expect(within(form).getByLabelText('Host key')).toHaveAccessibleDescription(/ssh-keyscan -t ed25519 -p 2222 127\.0\.0\.1/);
    await user.click(within(form).getByRole('button', { name: 'Connect SFTP server' }));
    says('Directory', 'Enter the directory’s absolute path, starting with /.');
    expect(apiPut).not.toHaveBeenCalled();

    await fill(user, form, { Directory: '/srv/outgoing' });
    await user.click(within(form).getByRole('button', { name: 'Connect SFTP server' }));
    expect(apiPut).toHaveBeenCalledWith(
      SFTP,
      { orgId: ORG_ID },
      { host: '127.0.0.1', port: 2222, username: 'portfolio', privateKey: PRIVATE_KEY.trim(), hostKey: `${HOST_KEY} root@sftp`, path: '/srv/outgoing', kind: 'tenants' },
    );
    expect(await screen.findByRole('status')).toHaveTextContent('Connected 127.0.0.1:2222: its new files are imported from the next poll');
    expect(fact('Server')).toHaveTextContent('127.0.0.1:2222');
    expect(fact('Host key fingerprint')).toHaveTextContent(FINGERPRINT);
    expect(fact('Last poll')).toHaveTextContent('Not yet: the server is polled every 15 minutes.');
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('shows each field the API refuses (400) under its input, and keeps what was typed', async () => {
    apiPut.mockRejectedValue(
      problem(400, 'Invalid request', 'privateKey: must not be protected by a passphrase; host: private addresses are not allowed', [
        { field: 'privateKey', message: 'must not be protected by a passphrase' },
        { field: 'host', message: 'private addresses are not allowed' },
      ]),
    );
    const { user } = show();
    const form = await screen.findByRole('form', { name: 'Connect an SFTP server' });
    await fill(user, form, { Host: '10.0.0.5', Username: 'portfolio', 'Private key': PRIVATE_KEY, 'Host key': HOST_KEY, Directory: '/outgoing' });
    await user.selectOptions(within(form).getByLabelText('What the files are'), 'Payments');
    await user.click(within(form).getByRole('button', { name: 'Connect SFTP server' }));
    expect(apiPut).toHaveBeenCalledWith(SFTP, { orgId: ORG_ID }, expect.objectContaining({ host: '10.0.0.5', port: 22, kind: 'payments' }));

    const key = within(form).getByLabelText('Private key');
    const msg = await within(form).findByText('must not be protected by a passphrase');
    expect(key).toHaveAttribute('aria-invalid', 'true');
    expect(key.getAttribute('aria-describedby')).toContain(msg.id);
    expect(within(form).getByLabelText('Host')).toHaveAccessibleDescription(expect.stringContaining('private addresses are not allowed'));
    expect(within(form).getByLabelText('Host key')).not.toHaveAttribute('aria-invalid');
    expect(within(form).getByText(/Check the fields marked below/)).toBeInTheDocument();
    expect(within(form).getByLabelText('Host')).toHaveValue('10.0.0.5');
    expect(key).toHaveValue(PRIVATE_KEY);
  });

  it('shows the connection with its fingerprint, and a failed last poll prominently', async () => {
    state = { ...CONNECTED, lastPoll: { at: '2027-03-03T15:00:00Z', status: 'error', newFiles: 0, error: MISMATCH } };
    show();
    await screen.findByTestId('sftp-status');
    expect(fact('Status')).toHaveTextContent('Connected');
    expect(fact('Server')).toHaveTextContent('127.0.0.1:2222');
    expect(fact('User')).toHaveTextContent('portfolio');
    expect(fact('Directory')).toHaveTextContent('/srv/outgoing');
    expect(fact('Files are')).toHaveTextContent('Tenants imports');
    expect(fact('Host key fingerprint')).toHaveTextContent(`${FINGERPRINT} (ssh-ed25519)`);
    // 15:00 UTC is 10:00 in New York (EST).
    expect(fact('Last poll')).toHaveTextContent(/Mar 3, 2027.*10:00.*failed/);
    const failed = screen.getByTestId('sftp-poll-error');
    expect(failed).toHaveClass('error-box');
    expect(failed).toHaveTextContent(`The last poll failed. ${MISMATCH}. Nothing was imported; the next poll tries again.`);
    expect(failed).toHaveTextContent('check the new one with whoever runs the server');
    expect(screen.getByRole('button', { name: 'Edit SFTP server' })).toBeInTheDocument();
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('says how many files the last poll picked up', async () => {
    state = { ...CONNECTED, updatedAt: '2027-03-02T15:00:00Z', lastPoll: { at: '2027-03-03T15:00:00Z', status: 'ok', newFiles: 2 } };
    show();
    await screen.findByTestId('sftp-status');
    expect(fact('Last poll')).toHaveTextContent(/10:00.*2 new files, each now an import/);
    expect(fact('Changed on')).toHaveTextContent(/Mar 2, 2027/);
    expect(screen.queryByTestId('sftp-poll-error')).toBeNull();
    expect(within(screen.getByTestId('sftp-status')).getByRole('link', { name: 'See the imports' })).toHaveAttribute('href', `/orgs/${ORG_ID}/imports`);
  });

  it('edits with the key left blank (the stored one is kept), then disconnects after a confirmation', async () => {
    state = CONNECTED;
    apiPut.mockImplementation(async (_path: string, _params: unknown, body: Record<string, unknown>) => {
      state = { ...CONNECTED, path: body.path, updatedAt: '2027-03-04T15:00:00Z' };
      return state;
    });
    apiDelete.mockImplementation(async () => {
      state = notConnected;
      return undefined;
    });
    const { user } = show();
    await user.click(await screen.findByRole('button', { name: 'Edit SFTP server' }));
    const form = screen.getByRole('form', { name: 'Edit the SFTP server' });
    expect(within(form).getByLabelText('Host')).toHaveValue('127.0.0.1');
    expect(within(form).getByLabelText('Port')).toHaveValue('2222');
    expect(within(form).getByLabelText('Username')).toHaveValue('portfolio');
    expect(within(form).getByLabelText('Host key')).toHaveValue(HOST_KEY);
    expect(within(form).getByLabelText('Directory')).toHaveValue('/srv/outgoing');
    expect(within(form).getByLabelText('What the files are')).toHaveValue('tenants');
    const key = within(form).getByLabelText('Private key');
    expect(key).toHaveValue('');
    expect(key).toHaveAccessibleDescription('Leave blank to keep the current key.');

    // Saving what is there already asks nothing.
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(within(form).getByRole('status')).toHaveTextContent('Nothing changed.');
    expect(apiPut).not.toHaveBeenCalled();

    await fill(user, form, { Directory: '/srv/rent' });
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(apiPut).toHaveBeenCalledWith(SFTP, { orgId: ORG_ID }, { host: '127.0.0.1', port: 2222, username: 'portfolio', hostKey: HOST_KEY, path: '/srv/rent', kind: 'tenants' });
    expect(await screen.findByText('Saved: the next poll uses the new settings.')).toBeInTheDocument();
    await waitFor(() => expect(fact('Directory')).toHaveTextContent('/srv/rent'));
    expect(screen.queryByRole('form')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Disconnect SFTP server' }));
    expect(apiDelete).not.toHaveBeenCalled();
    const confirm = screen.getByRole('group', { name: 'Disconnect 127.0.0.1:2222?' });
    expect(confirm).toHaveTextContent('The imports it already made stay on the Import page.');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(apiDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Disconnect SFTP server' }));
    await user.click(screen.getByRole('button', { name: 'Confirm disconnect' }));
    expect(apiDelete).toHaveBeenCalledWith(SFTP, { orgId: ORG_ID });
    expect(await screen.findByRole('form', { name: 'Connect an SFTP server' })).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent('Disconnected: the server is no longer polled. The imports it made stay.');
    expect(screen.getByLabelText('Host')).toHaveValue('');
  });

  it('shows a manager or accountant the connection only: connecting, editing and disconnecting are for owners', async () => {
    state = CONNECTED;
    for (const role of ['manager', 'accountant'] as const) {
      const { unmount } = show(role);
      expect(await screen.findByText(FINGERPRINT)).toBeInTheDocument();
      expect(screen.queryByRole('button')).toBeNull();
      expect(screen.getByText('Only an owner can connect, edit or disconnect the SFTP server.')).toBeInTheDocument();
      unmount();
    }
    state = notConnected;
    show('manager');
    expect(await screen.findByText('No SFTP server is connected.')).toBeInTheDocument();
    expect(screen.queryByRole('form')).toBeNull();
  });
});
