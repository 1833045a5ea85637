/**
 * SFTP imports configured from the browser: the owner connects the org's SFTP server in
 * Settings → Integrations with a client key pair and the server's host key made here by
 * `ssh-keygen` (Debian's openssh-client, installed by infra/scripts/web-test.sh), and sees the
 * pinned key's SHA256 fingerprint. Nothing listens on 127.0.0.1:2222, so the poll (run now
 * through devstack's "run now") fails and says so; the owner then moves the directory keeping the
 * stored key, and disconnects. (The files themselves are imported in tests/e2e/sftp.rs, against
 * a real sshd.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { API, api, checkA11y, shot, signIn, tokenFor, uniqueEmail } from './support';

/** An ed25519 key pair without a passphrase, and its public key's fingerprint as `ssh-keygen -l` prints it. */
function keyPair(dir: string, name: string) {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`], { encoding: 'utf8' });
  const fingerprint = listed.split(' ')[1] ?? '';
  expect(fingerprint).toMatch(/^SHA256:/);
  return { privateKey: readFileSync(file, 'utf8'), publicKey: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint };
}

test('an owner connects an SFTP server, sees its poll fail, moves its directory and disconnects it', async ({ page }, info) => {
  const dir = mkdtempSync(join(tmpdir(), 'sftp-e2e-'));
  try {
    const server = keyPair(dir, 'host_ed25519');
    const client = keyPair(dir, 'client_ed25519');
    const email = uniqueEmail('sftp-owner');
    const owner = await api(await tokenFor(email));
    const created = await owner.post('orgs', { data: { name: 'Drop Box Rentals', baseCurrency: 'USD', country: 'US', timezone: 'America/New_York' } });
    expect(created.ok(), `orgs: ${created.status()} ${await created.text()}`).toBeTruthy();
    const orgId = ((await created.json()) as { id: string }).id;
    await owner.dispose();

    // Settings → Integrations: no server yet; the form.
    await signIn(page, email, `/orgs/${orgId}/settings/integrations`);
    const sftp = page.getByRole('region', { name: 'SFTP' });
    await expect(sftp.getByRole('heading', { name: 'SFTP', level: 2 })).toBeVisible();
    await expect(sftp.getByText('No SFTP server is connected.')).toBeVisible();
    const connect = sftp.getByRole('form', { name: 'Connect an SFTP server' });
    await expect(connect.getByLabel('Port')).toHaveValue('22');
    await connect.getByLabel('Host', { exact: true }).fill('127.0.0.1');
    await connect.getByLabel('Port').fill('2222');
    await connect.getByLabel('Username').fill('portfolio');
    await connect.getByLabel('Private key').fill(client.privateKey);
    await connect.getByLabel('Host key').fill(server.publicKey);
    await connect.getByLabel('Directory').fill('/srv/outgoing');
    await connect.getByLabel('What the files are').selectOption('tenants');
    await checkA11y(page, 'integrations-sftp-form', info);
    await shot(page, 'settings-integrations-sftp-form');
    await connect.getByRole('button', { name: 'Connect SFTP server' }).click();

    // Connected: the server as saved and the pinned key's fingerprint (never the private key).
    const status = sftp.getByTestId('sftp-status');
    await expect(status).toContainText('127.0.0.1:2222');
    await expect(status).toContainText(server.fingerprint);
    await expect(status).toContainText('/srv/outgoing');
    await expect(status).toContainText('Tenants imports');
    await expect(status).toContainText('Not yet: the server is polled every 15 minutes.');
    await expect(sftp.getByRole('form')).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText('PRIVATE KEY');

    // The poll, now: nothing listens on port 2222, and the failure shows on the connection.
    const ran = await page.request.post(`${API}/_devstack/jobs/job-sftp-poll`);
    expect(ran.status(), await ran.text()).toBe(200);
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId('sftp-poll-error')).toContainText('The last poll failed.', { timeout: 1000 });
    }).toPass({ timeout: 60_000 });
    await expect(status).toContainText(/Last poll.*failed/);
    await checkA11y(page, 'integrations-sftp-connected', info);
    await shot(page, 'settings-integrations-sftp');

    // Edit: everything but the key prefilled; the key left blank is kept.
    await sftp.getByRole('button', { name: 'Edit SFTP server' }).click();
    const edit = sftp.getByRole('form', { name: 'Edit the SFTP server' });
    await expect(edit.getByLabel('Host', { exact: true })).toHaveValue('127.0.0.1');
    await expect(edit.getByLabel('What the files are')).toHaveValue('tenants');
    await expect(edit.getByLabel('Private key')).toHaveValue('');
    await expect(edit.getByText('Leave blank to keep the current key.')).toBeVisible();
    await edit.getByLabel('Directory').fill('/srv/outgoing/rent');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(sftp.getByText('Saved: the next poll uses the new settings.')).toBeVisible();
    await expect(status).toContainText('/srv/outgoing/rent');
    await expect(status).toContainText(server.fingerprint);
    await expect(page.getByTestId('sftp-poll-error')).toHaveCount(0);

    // Disconnect, confirmed: the form again.
    await sftp.getByRole('button', { name: 'Disconnect SFTP server' }).click();
    const confirm = sftp.getByRole('group', { name: 'Disconnect 127.0.0.1:2222?' });
    await expect(confirm).toContainText('The imports it already made stay');
    await confirm.getByRole('button', { name: 'Confirm disconnect' }).click();
    await expect(sftp.getByRole('form', { name: 'Connect an SFTP server' })).toBeVisible();
    await expect(sftp.getByText('No SFTP server is connected.')).toBeVisible();
    await expect(sftp.getByTestId('sftp-status')).toHaveCount(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
