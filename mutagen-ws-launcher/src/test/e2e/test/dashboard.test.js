// The dashboard in a real headless Chromium (Debian's package) against the launcher jar in demo mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const module = path.resolve(here, '../../../..');
const jar = path.join(module, 'target', 'mutagen-ws.jar');
const shots = path.join(module, 'target', 'e2e-screenshots');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The demo daemon knows this SSH host and password (see the launcher's DemoDaemon).
const DEMO_HOST = 'build.example';
const DEMO_USER = 'alice';
const DEMO_PASSWORD = 'demo';

let launcher;
let browser;
let page;
let baseUrl;
const dialogs = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startLauncher(port) {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-jar', jar, '--demo', '--listen', '127.0.0.1:' + port], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error('launcher did not print its URL in time:\n' + output)), 30000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error('launcher exited with ' + code + ':\n' + output)));
  });
}

async function shot(name) {
  await page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

function row(name) {
  return page.locator('tr.session', { has: page.locator('td.name button', { hasText: name }) });
}

async function answerPrompt(expected, answer) {
  const dialog = page.locator('#prompt-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await page.locator('#prompt-text').textContent(), expected);
  assert.equal(await page.locator('#prompt-input').getAttribute('type'), 'password');
  await page.fill('#prompt-input', answer);
  await page.click('#prompt-submit');
  await dialog.waitFor({ state: 'hidden' });
}

async function createSession(alpha, beta, name) {
  await page.click('#show-create');
  await page.fill('#create-form input[name=alpha]', alpha);
  await page.fill('#create-form input[name=beta]', beta);
  await page.fill('#create-form input[name=name]', name);
  await page.click('#create-submit');
}

before(async () => {
  assert.ok(existsSync(jar), 'build the launcher jar first: ' + jar);
  assert.ok(existsSync(chromiumPath), 'Chromium not found at ' + chromiumPath + ' (apt-get install chromium)');
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  const started = await startLauncher(port);
  launcher = started.child;
  baseUrl = 'http://127.0.0.1:' + port;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  page.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  await page.goto(started.url);
});

after(async () => {
  if (browser) {
    await browser.close();
  }
  if (launcher) {
    launcher.kill('SIGTERM');
  }
});

test('the token link becomes a cookie and the page connects to the daemon', async () => {
  assert.equal(page.url(), baseUrl + '/', 'the token is dropped from the address bar');
  await page.locator('#banner.connected').waitFor({ timeout: 15000 });
  assert.match(await page.locator('#banner').textContent(), /^Connected to Mutagen \d+\.\d+\.\d+/);
  await page.locator('tr.session').first().waitFor();
  await shot('01-connected');
});

test('an ssh session is created by answering the password prompt in the modal, and reaches watching live', async () => {
  await createSession('/tmp/e2e-alpha', DEMO_USER + '@' + DEMO_HOST + ':~/site', 'e2e-ssh');
  await answerPrompt(DEMO_USER + '@' + DEMO_HOST + "'s password: ", DEMO_PASSWORD);
  await page.locator('#create-dialog').waitFor({ state: 'hidden' });
  const status = row('e2e-ssh').locator('[data-testid=status]');
  await status.filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
  assert.equal(await row('e2e-ssh').locator('td.endpoint').nth(1).locator('.url').textContent(),
    DEMO_USER + '@' + DEMO_HOST + ':~/site');
  await shot('02-ssh-created');
});

test('a staging progress bar shows while the daemon reports progress', async () => {
  await page.locator('[data-testid=staging-progress]').first().waitFor({ timeout: 30000 });
  assert.match(await page.locator('[data-testid=staging-progress]').first().textContent(), /of \d+ files/);
  await shot('03-staging');
});

test('pause and resume', async () => {
  const status = row('e2e-ssh').locator('[data-testid=status]');
  await row('e2e-ssh').getByRole('button', { name: 'Pause' }).click();
  await status.filter({ hasText: 'Paused' }).waitFor({ timeout: 15000 });
  await row('e2e-ssh').getByRole('button', { name: 'Resume' }).click();
  await answerPrompt(DEMO_USER + '@' + DEMO_HOST + "'s password: ", DEMO_PASSWORD);
  await status.filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
});

test('terminate asks for confirmation first', async () => {
  await row('e2e-ssh').getByRole('button', { name: 'Terminate' }).click();
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirm-text').textContent(), /Terminate e2e-ssh\?/);
  await page.click('#confirm-no');
  assert.equal(await row('e2e-ssh').count(), 1, 'cancelling the confirmation keeps the session');
  await row('e2e-ssh').getByRole('button', { name: 'Terminate' }).click();
  await page.click('#confirm-yes');
  await row('e2e-ssh').waitFor({ state: 'detached', timeout: 15000 });
});

test('a hostile file name is shown as text, never as HTML', async () => {
  const hostile = '/tmp/<img src=x onerror=alert(1)>';
  await createSession(hostile, '/tmp/e2e-beta', 'hostile');
  await page.locator('#create-dialog').waitFor({ state: 'hidden', timeout: 15000 });
  const alpha = row('hostile').locator('td.endpoint').first().locator('.url');
  await alpha.waitFor();
  assert.equal(await alpha.textContent(), hostile);
  assert.equal(await page.locator('#sessions img').count(), 0, 'no element was created from the name');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no script ran');
  await shot('04-hostile-name');
});

test('the detail view shows conflicts, problems and the configuration', async () => {
  await row('photos').locator('td.name button').click();
  const detail = page.locator('#detail');
  await detail.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#detail-title').textContent(), 'photos');
  assert.match(await page.locator('[data-testid=conflicts]').textContent(), /alpha: .+ → .+/);
  assert.match(await page.locator('[data-testid=problems]').textContent(), /raw\/IMG_0042\.CR3: permission denied/);
  assert.match(await detail.locator('pre').textContent(), /"configurationAlpha"/);
  await shot('05-detail');
  await page.click('#detail-close');
  await detail.waitFor({ state: 'hidden' });
});

test('the server\'s validation error is shown next to the form', async () => {
  await createSession('relative/alpha', '/tmp/e2e-beta', 'invalid');
  const error = page.locator('#create-error');
  await error.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await error.textContent(),
    'invalid create request: invalid creation specification: invalid alpha URL: local URL with relative path');
  assert.ok(await page.locator('#create-dialog').isVisible(), 'the form stays open for a fix');
  await shot('06-create-error');
  await page.click('#create-cancel');
});

test('bulk actions act on the checked sessions and on a label selector', async () => {
  for (const name of ['docs', 'photos']) {
    await row(name).locator('input[type=checkbox]').check();
  }
  assert.equal(await page.locator('#selected-count').textContent(), '2 selected');
  await page.click('[data-bulk=pause]');
  for (const name of ['docs', 'photos']) {
    await row(name).locator('[data-testid=status]').filter({ hasText: 'Paused' }).waitFor({ timeout: 15000 });
  }
  assert.notEqual(await row('website').locator('[data-testid=status]').textContent(), 'Paused');
  await page.click('[data-bulk=resume]');
  for (const name of ['docs', 'photos']) {
    await row(name).locator('[data-testid=status]').filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
  }
  // A label selector instead of checkboxes; flushing a paused session (archive) fails with the daemon's words.
  await page.fill('#label-selector', 'demo=true');
  await page.click('[data-bulk=flush]');
  await page.locator('.notice.error', { hasText: 'unable to flush session: session is paused' }).waitFor({ timeout: 15000 });
  await shot('07-bulk');
});
