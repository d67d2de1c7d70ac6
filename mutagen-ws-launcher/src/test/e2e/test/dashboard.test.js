// The dashboard in a real headless Chromium (Debian's package) against the launcher jar in demo mode.
import { test, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const module = path.resolve(here, '../../../..');
const jar = path.join(module, 'target', 'mutagen-ws.jar');
const shots = path.join(module, 'target', 'e2e-screenshots');
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// The demo daemon knows this SSH host and password (see the launcher's Demo).
const DEMO_HOST = 'build.example';
const DEMO_USER = 'alice';
const DEMO_PASSWORD = 'demo';
const PASSWORD_PROMPT = DEMO_USER + '@' + DEMO_HOST + "'s password: ";
// What the demo's photos session carries in daemon-produced fields (Demo.HOSTILE_PATH, HOSTILE_ERROR).
const HOSTILE_PATH = '<img src=x onerror=alert(1)>';
const HOSTILE_ERROR = 'beta scan error: <b>unable</b> to read "<script>alert(2)</script>" & retrying';
// The token of launchers that do not need a generated one (no token file is written for it).
const FIXED_TOKEN = 'e2e-fixed-token-0123456789abcdef';

const launchers = new Set();
const temporary = [];
let main;        // the demo launcher most tests share
let noDaemon;    // a launcher whose daemon socket does not exist
let missingSocket;
let browser;
let page;
let baseUrl;
const mainSockets = []; // the main page's WebSockets, each with the frames it sent and received, parsed
const dialogs = [];
// Every page's console errors, uncaught exceptions and CSP violations; `allowed` lists expected console errors.
const watched = [];

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

// Starts the jar with its own XDG_RUNTIME_DIR and home, so that it never touches the developer's token file, and
// without the developer's MUTAGEN_* variables.
function startLauncher(port, args, extraEnv = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'mutagen-ws-e2e-'));
  temporary.push(dir);
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('MUTAGEN_')));
  Object.assign(env, { XDG_RUNTIME_DIR: dir, HOME: dir }, extraEnv);
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-Duser.home=' + dir, '-jar', jar, '--listen', '127.0.0.1:' + port, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env });
    launchers.add(child);
    const exited = new Promise((done) => child.on('exit', (code) => { launchers.delete(child); done(code); }));
    let output = '';
    const timer = setTimeout(() => reject(new Error('launcher did not start in time:\n' + output)), 30000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/(?:\?token=[A-Za-z0-9._~-]+)?)\n(?:.*\n){2}daemon: .*\n/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], dir, exited, output: () => output });
      }
    });
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then((code) => reject(new Error('launcher exited with ' + code + ':\n' + output)));
  });
}

async function newWatchedPage(name, allowed = []) {
  const context = await browser.newContext();
  const record = { name, allowed, console: [], errors: [], csp: [] };
  watched.push(record);
  await context.exposeBinding('__e2eCspViolation', (source, violation) => record.csp.push(violation));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__e2eCspViolation({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample });
    });
  });
  const p = await context.newPage();
  p.on('console', (message) => {
    if (message.type() === 'error') {
      record.console.push(message.text());
    }
  });
  p.on('pageerror', (error) => record.errors.push(String(error)));
  p.on('dialog', async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  return { page: p, context, record };
}

// Frames of every WebSocket the page opens, in order, parsed.
function recordFrames(p, into) {
  p.on('websocket', (ws) => {
    const socket = { sent: [], received: [] };
    into.push(socket);
    ws.on('framesent', (frame) => socket.sent.push(JSON.parse(frame.payload)));
    ws.on('framereceived', (frame) => socket.received.push(JSON.parse(frame.payload)));
  });
}

async function shot(name, p = page) {
  await p.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });
}

function row(name, p = page) {
  return p.locator('tr.session', { has: p.locator('td.name button', { hasText: new RegExp('^' + name + '$') }) });
}

async function waitFor(predicate, what, timeout = 10000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = predicate();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
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

async function fillCreateForm(alpha, beta, name) {
  await page.click('#show-create');
  await page.fill('#create-form input[name=alpha]', alpha);
  await page.fill('#create-form input[name=beta]', beta);
  await page.fill('#create-form input[name=name]', name);
}

async function createSession(alpha, beta, name) {
  await fillCreateForm(alpha, beta, name);
  await page.click('#create-submit');
}

const allSent = () => mainSockets.flatMap((socket) => socket.sent);
const allReceived = () => mainSockets.flatMap((socket) => socket.received);

// The detail view's fields, label to text.
function detailFields(p = page) {
  return p.evaluate(() => Object.fromEntries([...document.querySelectorAll('#detail dt')]
    .map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
}

before(async () => {
  assert.ok(existsSync(jar), 'build the launcher jar first: ' + jar);
  assert.ok(existsSync(chromiumPath), 'Chromium not found at ' + chromiumPath + ' (apt-get install chromium)');
  mkdirSync(shots, { recursive: true });
  const port = await freePort();
  const socketDir = mkdtempSync(path.join(tmpdir(), 'mutagen-ws-e2e-sock-'));
  temporary.push(socketDir);
  missingSocket = path.join(socketDir, 'missing.sock');
  // Both launchers start together: a JVM start is most of this suite's time.
  [main, noDaemon, browser] = await Promise.all([
    startLauncher(port, ['--demo']),
    startLauncher(await freePort(), ['--sock', missingSocket], { MUTAGEN_WS_TOKEN: FIXED_TOKEN }),
    chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    }),
  ]);
  baseUrl = 'http://127.0.0.1:' + port;
  ({ page } = await newWatchedPage('main'));
  recordFrames(page, mainSockets);
  await page.goto(main.url);
});

// After every test, on every page opened so far: no CSP violation, no uncaught error, no unexpected console error.
// Each finding is reported once (by the test during which it happened).
afterEach(() => {
  const findings = [];
  for (const record of watched) {
    const unexpected = record.console.filter((text) => !record.allowed.some((pattern) => pattern.test(text)));
    if (record.csp.length || record.errors.length || unexpected.length) {
      findings.push({ page: record.name, csp: [...record.csp], errors: [...record.errors], console: unexpected });
    }
    record.csp.length = 0;
    record.errors.length = 0;
    record.console.length = 0;
  }
  assert.deepEqual(findings, [], 'CSP violations, uncaught errors or console errors');
});

after(async () => {
  if (browser) {
    await browser.close();
  }
  await Promise.all([...launchers].map((child) => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); })));
  for (const dir of temporary) {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the token link becomes a cookie and the page connects to the daemon', async () => {
  assert.equal(page.url(), baseUrl + '/', 'the token is dropped from the address bar');
  await page.locator('#banner.connected').waitFor({ timeout: 15000 });
  assert.match(await page.locator('#banner').textContent(), /^Connected to Mutagen \d+\.\d+\.\d+/);
  await page.locator('tr.session').first().waitFor();
  // The generated token went to the launcher's own XDG_RUNTIME_DIR, not to the developer's.
  const token = new URL(main.url).searchParams.get('token');
  assert.equal(readFileSync(path.join(main.dir, 'mutagen-ws', 'token'), 'utf8').trim(), token);
  // The icon the page links is served (a 404 would be a console error, which afterEach reports).
  assert.equal(await page.locator('link[rel=icon]').getAttribute('href'), '/favicon.ico');
  assert.deepEqual(await page.evaluate(async () => {
    const response = await fetch('/favicon.ico', { credentials: 'omit' }); // no token needed
    return [response.status, response.headers.get('content-type'), (await response.text()).startsWith('<svg')];
  }), [200, 'image/svg+xml', true]);
  await shot('01-connected');
});

test('an ssh session is created by answering the password prompt in the modal, and reaches watching live', async () => {
  await createSession('/tmp/e2e-alpha', DEMO_USER + '@' + DEMO_HOST + ':~/site', 'e2e-ssh');
  await answerPrompt(PASSWORD_PROMPT, DEMO_PASSWORD);
  await page.locator('#create-dialog').waitFor({ state: 'hidden' });
  const status = row('e2e-ssh').locator('[data-testid=status]');
  await status.filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
  assert.equal(await row('e2e-ssh').locator('td.endpoint').nth(1).locator('.url').textContent(),
    DEMO_USER + '@' + DEMO_HOST + ':~/site');
  const answer = allSent().find((frame) => frame.action === 'answer');
  assert.equal(answer.data.response, DEMO_PASSWORD, 'the answer names its prompt');
  assert.ok(answer.data.promptId, 'the answer names its prompt');
  await shot('02-ssh-created');
});

// Cancelling a prompt (button or Escape) cancels its request: the creation answers 2009, shown as a notice, the form
// stays open, and the next prompt (of the retried creation) still opens and works.
async function cancelThenRetry(name, cancel) {
  await fillCreateForm('/tmp/e2e-' + name, DEMO_USER + '@' + DEMO_HOST + ':~/' + name, name);
  const before = allSent().length;
  await page.click('#create-submit');
  const dialog = page.locator('#prompt-dialog');
  await dialog.waitFor({ state: 'visible', timeout: 15000 });
  assert.equal(await page.locator('#prompt-text').textContent(), PASSWORD_PROMPT);
  const creation = allSent().slice(before).find((frame) => frame.action === 'creation');
  assert.equal(creation.data.name, name);
  await cancel();
  await dialog.waitFor({ state: 'hidden' });
  const cancelFrame = await waitFor(() => allSent().find((frame) => frame.action === 'cancel' && frame.data.id === creation.id),
    'the cancel frame');
  assert.deepEqual(cancelFrame.data, { id: creation.id });
  const reply = await waitFor(() => allReceived().find((frame) => frame.id === creation.id && frame.action === 'error'),
    'the cancelled creation\'s reply');
  assert.equal(reply.code, 2009);
  await page.locator('.notice', { hasText: 'Creation cancelled: ' + reply.message }).waitFor({ timeout: 5000 });
  assert.ok(await page.locator('#create-dialog').isVisible(), 'the form stays open to try again');
  assert.equal(await row(name).count(), 0, 'nothing was created');
  assert.equal(allSent().filter((frame) => frame.action === 'answer' && frame.id > creation.id).length, 0, 'no answer was sent');
  // The next prompt is not stuck behind the cancelled one.
  await page.click('#create-submit');
  await answerPrompt(PASSWORD_PROMPT, DEMO_PASSWORD);
  await page.locator('#create-dialog').waitFor({ state: 'hidden', timeout: 15000 });
  await row(name).locator('[data-testid=status]').filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
}

test('the prompt\'s Cancel button cancels the request, and the next prompt still works', async () => {
  await cancelThenRetry('e2e-cancel', () => page.click('#prompt-cancel'));
  await shot('03-prompt-cancelled');
});

test('Escape in the prompt cancels the request like the Cancel button, and the next prompt still works', async () => {
  await cancelThenRetry('e2e-escape', async () => {
    await page.locator('#prompt-input').focus();
    await page.keyboard.press('Escape');
  });
});

test('the staging bar shows overall progress per endpoint: files and bytes received of expected, and the current file', async () => {
  // One snapshot of one rendering (the demo updates it every 150 ms).
  const snapshot = await (await page.waitForFunction(() => {
    const docs = [...document.querySelectorAll('tr.session')].find((tr) => tr.querySelector('td.name button').textContent === 'docs');
    const cells = docs ? docs.querySelectorAll('td.endpoint') : [];
    const progress = cells.length === 2 ? cells[1].querySelector('[data-testid=staging-progress]') : null;
    return progress && {
      totals: progress.querySelector('[data-testid=staging-totals]').textContent,
      file: progress.querySelector('[data-testid=staging-file]').textContent,
      max: progress.querySelector('progress').getAttribute('max'),
      value: progress.querySelector('progress').value,
      alpha: cells[0].querySelectorAll('[data-testid=staging-progress]').length,
      status: docs.querySelector('[data-testid=status]').textContent,
    };
  }, null, { timeout: 30000, polling: 50 })).jsonValue();
  // As with the real daemon, progress is only reported while the receiving endpoint is staging.
  assert.equal(snapshot.status, 'Staging files on beta');
  const totals = snapshot.totals;
  const match = /^(\d) of 4 files, (\d+(?:\.\d)?) KiB received$/.exec(totals);
  assert.ok(match, 'totals: ' + totals);
  // The demo stages 4 files of 3 pieces of 64 KiB (Demo.stagingStep): after step i, floor((i-1)/3) files are done.
  const file = snapshot.file;
  const current = /^chapters\/chapter-(\d)\.md \((\d+)\.0 KiB of 192\.0 KiB\)$/.exec(file);
  assert.ok(current, 'current file: ' + file);
  const filesDone = Number(match[1]);
  assert.equal(Number(current[1]), filesDone + 1, 'the current file is the one after those done');
  assert.equal(Number(match[2]), filesDone * 192 + Number(current[2]), 'all bytes so far: the done files and this one\'s');
  assert.equal(snapshot.max, '4', 'the bar counts files of the whole run');
  assert.ok(Math.abs(snapshot.value - (filesDone + Number(current[2]) / 192)) < 1e-6, 'bar value ' + snapshot.value);
  assert.equal(snapshot.alpha, 0, 'alpha is not staging');
  await shot('04-staging');
});

test('pause and resume', async () => {
  const status = row('e2e-ssh').locator('[data-testid=status]');
  await row('e2e-ssh').getByRole('button', { name: 'Pause' }).click();
  await status.filter({ hasText: 'Paused' }).waitFor({ timeout: 15000 });
  await row('e2e-ssh').getByRole('button', { name: 'Resume' }).click();
  await answerPrompt(PASSWORD_PROMPT, DEMO_PASSWORD);
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

test('reset asks for confirmation: dismissing sends nothing, accepting resets', async () => {
  const id = await row('docs').locator('td.name .ident').textContent();
  const resets = () => allSent().filter((frame) => frame.action === 'reset');
  const confirm = page.locator('#confirm-dialog');
  await row('docs').getByRole('button', { name: 'Reset' }).click();
  await confirm.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#confirm-text').textContent(), 'Reset docs? Its synchronization history is forgotten.');
  await page.click('#confirm-no');
  await confirm.waitFor({ state: 'hidden' });
  await row('docs').getByRole('button', { name: 'Reset' }).click();
  await confirm.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'hidden' });
  await page.waitForTimeout(300);
  assert.deepEqual(resets(), [], 'neither Cancel nor Escape sent a reset');
  await row('docs').getByRole('button', { name: 'Reset' }).click();
  await page.click('#confirm-yes');
  const reset = await waitFor(() => resets()[0], 'the reset frame');
  assert.deepEqual(reset.data, { id });
  await page.locator('.notice.ok', { hasText: 'Reset done' }).waitFor({ timeout: 15000 });
  const reply = allReceived().find((frame) => frame.id === reset.id);
  assert.equal(reply.code, 0);
  assert.equal(resets().length, 1);
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
  await shot('05-hostile-name');
});

test('the create form\'s labels, mode, ignores, octal modes and pre-pause reach the created session', async () => {
  await fillCreateForm('/tmp/e2e-options-alpha', '/tmp/e2e-options-beta', 'e2e-options');
  await page.fill('#create-form input[name=labels]', 'env=e2e, team = web');
  await page.selectOption('#create-form select[name=synchronizationMode]', 'one-way-replica');
  await page.fill('#create-form textarea[name=ignores]', 'node_modules\n\n  *.log  \n');
  await page.check('#create-form input[name=ignoreVCS]');
  await page.click('#create-form summary');
  await page.selectOption('#create-form select[name=watchMode]', 'no-watch');
  await page.fill('#create-form input[name=defaultFileMode]', '0640');
  await page.fill('#create-form input[name=defaultDirectoryMode]', '750');
  await page.check('#create-form input[name=paused]');
  await page.click('#create-submit');
  await page.locator('#create-dialog').waitFor({ state: 'hidden', timeout: 15000 });
  await row('e2e-options').locator('[data-testid=status]').filter({ hasText: 'Paused' }).waitFor({ timeout: 15000 });
  // What the daemon stored, as the next state shows it.
  const states = allReceived().filter((frame) => frame.action === 'state').at(-1).data.sessionStates;
  const session = states.find((state) => state.session.name === 'e2e-options').session;
  assert.deepEqual(session.labels, { env: 'e2e', team: 'web' });
  assert.equal(session.paused, true);
  assert.equal(session.configuration.synchronizationMode, 'one-way-replica');
  assert.equal(session.configuration.watchMode, 'no-watch');
  assert.deepEqual(session.configuration.ignores, ['node_modules', '*.log']);
  assert.equal(session.configuration.defaultFileMode, 0o640);
  assert.equal(session.configuration.defaultDirectoryMode, 0o750);
  assert.ok(session.configuration.ignoreVCSMode, 'version control directories ignored');
  // And the detail view shows it.
  await row('e2e-options').locator('td.name button').click();
  const detail = page.locator('#detail');
  await detail.waitFor({ state: 'visible' });
  const fields = await detailFields();
  assert.equal(fields.Labels, 'env=e2e, team=web');
  assert.equal(fields.Status, 'Paused');
  const shown = JSON.parse(await detail.locator('pre').textContent());
  assert.deepEqual(shown.configuration, session.configuration);
  assert.equal(shown.configuration.defaultFileMode, 416);
  await shot('06-options');
  await page.click('#detail-close');
  await detail.waitFor({ state: 'hidden' });
});

test('the detail view shows hostile conflicts, problems and errors from the daemon as literal text', async () => {
  const photos = row('photos');
  assert.equal(await photos.locator('[data-testid=problems-count]').textContent(), '2 scan / 1 transition');
  assert.equal(await photos.locator('[data-testid=problems-count]').getAttribute('title'),
    'alpha: 1 scan, 0 transition; beta: 1 scan, 1 transition');
  assert.equal(await photos.locator('td .error').textContent(), HOSTILE_ERROR);
  assert.equal(await row('docs').locator('[data-testid=problems-count]').textContent(), '0');
  await photos.locator('td.name button').click();
  const detail = page.locator('#detail');
  await detail.waitFor({ state: 'visible' });
  assert.equal(await page.locator('#detail-title').textContent(), 'photos');
  const conflicts = page.locator('[data-testid=conflicts] > li');
  assert.equal(await conflicts.count(), 2);
  assert.match(await conflicts.nth(0).textContent(), /alpha: .+ → .+/);
  assert.equal(await conflicts.nth(1).locator('strong').textContent(), HOSTILE_PATH);
  assert.equal(await conflicts.nth(1).locator('div').nth(0).textContent(), 'alpha: ' + HOSTILE_PATH + ' nothing → file');
  assert.equal(await conflicts.nth(1).locator('div').nth(1).textContent(), 'beta: ' + HOSTILE_PATH + '/x nothing → nothing');
  const problems = await page.locator('[data-testid=problems] > li').allTextContents();
  assert.deepEqual(problems, [
    'alpha scan: ' + HOSTILE_PATH + ': invalid UTF-8 in <name> & more',
    'beta scan: raw/IMG_0042.CR3: permission denied',
    'beta transition: 2024/' + HOSTILE_PATH + ': unable to create <file>: permission denied',
  ]);
  assert.equal(await detail.locator('h3', { hasText: 'Problems' }).textContent(), 'Problems (2 scan / 1 transition)');
  assert.equal((await detailFields())['Last error'], HOSTILE_ERROR);
  assert.match(await detail.locator('pre').textContent(), /"configurationAlpha"/);
  assert.equal(await page.locator('img, b, main script, #detail script').count(), 0, 'no element was made from daemon text');
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, [], 'no script ran');
  await shot('07-detail');
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
  await shot('08-create-error');
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
  await shot('09-bulk');
});

test('without the token the page says it is not authorised, instead of reconnecting forever', async () => {
  const { page: anonymous, context, record } = await newWatchedPage('no token', [
    /the server responded with a status of 401/, /WebSocket connection to .* failed/, /violates the following Content Security Policy directive/]);
  await anonymous.goto(baseUrl + '/');
  const banner = anonymous.locator('#banner');
  await banner.filter({ hasText: 'Not authorised' }).waitFor({ timeout: 10000 });
  assert.equal(await banner.textContent(), 'Not authorised: open the URL with ?token= printed by the launcher');
  assert.equal(await banner.getAttribute('class'), 'banner disconnected');
  await anonymous.waitForTimeout(1500);
  assert.equal(await banner.textContent(), 'Not authorised: open the URL with ?token= printed by the launcher',
    'it stays that way, no "reconnecting" flicker');
  assert.equal(await anonymous.locator('tr.session').count(), 0, 'nothing about the sessions is shown');
  assert.ok(record.console.some((text) => /401/.test(text)), 'the 401 was seen: ' + record.console);
  assert.equal(record.csp.length, 0);
  await shot('10-no-token', anonymous);
  // The CSP watcher itself works: an inline script is refused and reported.
  await anonymous.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.body.append(script);
  });
  await waitFor(() => record.csp.length > 0, 'the CSP violation report');
  assert.equal(await anonymous.evaluate(() => window.inlineRan), undefined, 'the inline script did not run');
  assert.match(record.csp[0].directive, /^script-src/);
  record.csp.length = 0;
  await context.close();
});

test('a missing daemon socket shows "daemon unavailable" with the reason', async () => {
  assert.ok(noDaemon.output().includes('daemon socket: ' + missingSocket + '\n'), noDaemon.output());
  const { page: p, context } = await newWatchedPage('no daemon');
  await p.goto(noDaemon.url);
  const banner = p.locator('#banner');
  await banner.filter({ hasText: 'daemon unavailable' }).waitFor({ timeout: 15000 });
  const text = await banner.textContent();
  assert.match(text, /^Mutagen daemon unavailable: \S.+/);
  const status = await (await p.request.get(new URL('/api/daemon', noDaemon.url).href)).json();
  assert.equal(status.connected, false);
  assert.equal(status.socket, missingSocket);
  assert.ok(text.endsWith(status.error), 'the banner gives the daemon problem: ' + text + ' / ' + status.error);
  assert.equal(await banner.getAttribute('class'), 'banner disconnected');
  await shot('11-no-daemon', p);
  await context.close();
});

test('after the connection drops the page reconnects, resubscribes from its last stateIndex and is live again', async () => {
  const { page: p, context } = await newWatchedPage('reconnect');
  // The page's WebSockets go through a route (to the real server) that the test can cut, like a network failure.
  const routes = [];
  await p.routeWebSocket(/\/synchronization$/, (ws) => routes.push({ ws, server: ws.connectToServer() }));
  const sockets = [];
  recordFrames(p, sockets);
  try {
    await p.goto(main.url);
    const banner = p.locator('#banner');
    await banner.filter({ hasText: 'Connected to Mutagen' }).waitFor({ timeout: 15000 });
    await p.evaluate(() => {
      window.bannerHistory = [];
      const node = document.querySelector('#banner');
      new MutationObserver(() => window.bannerHistory.push(node.className + ': ' + node.textContent))
        .observe(node, { childList: true, characterData: true, subtree: true, attributes: true });
    });
    await row('docs', p).waitFor();
    const first = sockets[0];
    const subscribe = first.sent.find((frame) => frame.action === 'subscribe');
    assert.deepEqual(subscribe.data, { events: true }, 'the first subscription starts from nothing');
    await waitFor(() => first.received.filter((frame) => frame.action === 'state').length >= 2, 'a second state push');

    // A prompt is open when the connection drops: it belongs to the dead connection and must go.
    await p.click('#show-create');
    await p.fill('#create-form input[name=alpha]', '/tmp/e2e-reconnect');
    await p.fill('#create-form input[name=beta]', DEMO_USER + '@' + DEMO_HOST + ':~/reconnect');
    await p.fill('#create-form input[name=name]', 'e2e-reconnect');
    await p.click('#create-submit');
    const prompt = p.locator('#prompt-dialog');
    await prompt.waitFor({ state: 'visible', timeout: 15000 });

    const cut = routes.at(-1);
    await cut.server.close();
    await cut.ws.close();
    await prompt.waitFor({ state: 'hidden', timeout: 5000 });
    await p.locator('.notice', { hasText: 'Creation cancelled: the connection to the server closed' }).waitFor({ timeout: 5000 });
    await waitFor(() => sockets.length >= 2, 'a new WebSocket');
    await banner.filter({ hasText: 'Connected to Mutagen' }).waitFor({ timeout: 15000 });
    const history = [...new Set(await p.evaluate(() => window.bannerHistory))];
    assert.deepEqual(history.filter((entry) => !/^banner connected: Connected to Mutagen/.test(entry)).slice(0, 2), [
      'banner disconnected: Disconnected from mutagen-ws; reconnecting…',
      'banner connecting: Connecting…',
    ], 'the banner said so while disconnected: ' + JSON.stringify(history));
    const states = first.received.filter((frame) => frame.action === 'state' && frame.id === subscribe.id);
    const lastIndex = states.at(-1).data.stateIndex;
    const lastEpoch = states.at(-1).data.epoch;
    assert.match(lastEpoch, /^[0-9a-z]+-[0-9a-z]+$/, 'states carry the daemon run they belong to');

    const again = sockets.at(-1);
    const resubscribe = await waitFor(() => again.sent.find((frame) => frame.action === 'subscribe'), 'the resubscription');
    assert.deepEqual(resubscribe.data, { events: true, stateIndex: lastIndex, epoch: lastEpoch },
      'resumes after the last state seen, of the daemon run it was seen in');
    const reply = await waitFor(() => again.received.find((frame) => frame.id === resubscribe.id && frame.action === 'subscribe'),
      'the subscription reply');
    assert.equal(reply.code, 0);
    assert.ok(await prompt.isHidden(), 'the dead connection\'s prompt did not come back');
    // The creation again, on the new connection: its prompt opens and is answered there.
    await p.click('#create-submit');
    await prompt.waitFor({ state: 'visible', timeout: 15000 });
    assert.equal(await p.locator('#prompt-text').textContent(), PASSWORD_PROMPT);
    await p.fill('#prompt-input', DEMO_PASSWORD);
    await p.click('#prompt-submit');
    await p.locator('#create-dialog').waitFor({ state: 'hidden', timeout: 15000 });
    assert.ok(again.sent.some((frame) => frame.action === 'answer'), 'answered on the new connection');
    assert.ok(!first.sent.some((frame) => frame.action === 'answer'), 'nothing was answered on the old one');
    await row('e2e-reconnect', p).waitFor({ timeout: 15000 });
    // Live again: an action on the new connection shows its effect through the new subscription.
    const status = row('docs', p).locator('[data-testid=status]');
    await row('docs', p).getByRole('button', { name: 'Pause' }).click();
    await status.filter({ hasText: 'Paused' }).waitFor({ timeout: 15000 });
    assert.ok(again.received.some((frame) => frame.action === 'state' && frame.id === resubscribe.id
      && frame.data.stateIndex > lastIndex), 'new states arrived on the new subscription');
    await shot('12-reconnected', p);
    await row('docs', p).getByRole('button', { name: 'Resume' }).click();
    await status.filter({ hasText: 'Watching for changes' }).waitFor({ timeout: 15000 });
  } finally {
    await context.close();
  }
});
