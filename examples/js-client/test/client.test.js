// End to end: the client against the embedding example's jar in --demo mode (gateway + in-process FakeDaemon).
// The demo's SSH host example.com asks alice's password, which is "secret".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { MutagenWsClient, MutagenWsError } from '../mutagen-ws-client.js';

const JAR = fileURLToPath(new URL('../../embedding-java/target/embedding-example.jar', import.meta.url));
const JAVA = process.env.JAVA_HOME ? `${process.env.JAVA_HOME}/bin/java` : 'java';
const STARTUP_TIMEOUT_MS = 60_000;

let server; // the java child process
let url; // ws://host:port/synchronization?token=... (the gateway's default policy generates a token)
const clients = [];

/** Starts the jar on a port the OS picks and resolves the WebSocket URL, with the token, from the address it prints. */
function startServer() {
  if (!existsSync(JAR)) {
    throw new Error(`${JAR} is missing: build it first (mvn -pl examples/embedding-java -am package)`);
  }
  server = spawn(JAVA, ['-jar', JAR, '--demo', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr.setEncoding('utf8').on('data', (text) => {
    stderr = (stderr + text).slice(-8000); // Kept for the failure message only.
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" line within ${STARTUP_TIMEOUT_MS} ms:\n${stderr}`)),
      STARTUP_TIMEOUT_MS);
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${JAVA}: ${error.message}`));
    });
    server.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening:\n${stderr}`));
    });
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^listening on http:\/\/([^/\s]+)\/\?token=([A-Za-z0-9._~-]+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(`ws://${match[1]}/synchronization?token=${match[2]}`);
      }
    });
  });
}

async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) {
    return;
  }
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM'); // Runs the app's shutdown hook.
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

// Whatever happens to the test process, the JVM must not outlive it.
process.on('exit', () => server?.kill('SIGKILL'));

async function connect(options = {}) {
  const client = await MutagenWsClient.connect(url, { WebSocket, ...options });
  clients.push(client);
  return client;
}

/** Asserts that a promise rejects with a MutagenWsError of this code whose message matches. */
async function rejectsWith(promise, code, pattern) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof MutagenWsError, `not a MutagenWsError: ${error}`);
    assert.equal(error.code, code, `code of "${error.message}"`);
    assert.match(error.message, pattern);
    return true;
  });
}

function local(name) {
  return { name, labels: { example: 'js' }, alpha: { path: `/tmp/alpha-${name}` }, beta: { path: `/tmp/beta-${name}` } };
}

function ssh(name) {
  return { name, alpha: { path: '/tmp/alpha-ssh' }, beta: { protocol: 'ssh', user: 'alice', host: 'example.com', path: '~/beta' } };
}

/** Names of all sessions (a name that matches nothing is an error for the daemon, not an empty list). */
async function sessionNames(client) {
  return (await client.list()).sessionStates.map((state) => state.session.name);
}

/** Long-polls list until the named session reaches the status (also shows stateIndex in use). */
async function waitForStatus(client, name, status) {
  let stateIndex = 0;
  for (let i = 0; i < 100; i++) {
    const reply = await client.list({ name }, { stateIndex });
    if (reply.sessionStates[0]?.status === status) {
      return reply.sessionStates[0];
    }
    stateIndex = reply.stateIndex;
  }
  throw new Error(`${name} never reached ${status}`);
}

describe('MutagenWsClient against the embedding example (--demo)', () => {
  before(async () => {
    try {
      url = await startServer();
    } catch (error) {
      await stopServer();
      throw error;
    }
  });

  after(async () => {
    clients.forEach((client) => client.close());
    await stopServer();
  });

  it('answers version with the daemon version', async () => {
    const client = await connect();
    assert.deepEqual(await client.version(), { major: 0, minor: 18, patch: 1, tag: '' });
  });

  it('creates a local session, reports its messages, and lists it', async () => {
    const messages = [];
    const client = await connect({ onMessage: (m) => messages.push(m) });
    const { session } = await client.create(local('web'));
    assert.match(session, /^sync_/);
    assert.ok(messages.some((m) => m.message === 'Creating session...' && m.requestId > 0), JSON.stringify(messages));

    const { sessionStates, stateIndex } = await client.list({ name: 'web' });
    assert.ok(stateIndex > 0);
    assert.equal(sessionStates.length, 1);
    assert.equal(sessionStates[0].session.identifier, session);
    assert.deepEqual(sessionStates[0].session.labels, { example: 'js' });
  });

  it('pauses, resumes, flushes, resets and terminates a session', async () => {
    const client = await connect();
    const { session } = await client.create(local('ops'));
    await waitForStatus(client, 'ops', 'watching');
    const selection = { id: session };
    assert.deepEqual(await client.pause(selection), {});
    assert.equal((await client.list(selection)).sessionStates[0].session.paused, true);
    assert.deepEqual(await client.resume(selection), {});
    await waitForStatus(client, 'ops', 'watching');
    assert.deepEqual(await client.flush(selection), {});
    assert.deepEqual(await client.flush(selection, { skipWait: true }), {});
    // Reset pauses and resumes the running session: it comes back watching, not paused.
    assert.deepEqual(await client.reset(selection), {});
    await waitForStatus(client, 'ops', 'watching');
    assert.equal((await client.list(selection)).sessionStates[0].session.paused, undefined);
    await rejectsWith(client.reset({ name: 'nosuchsession' }), 2001, /unable to locate requested sessions/);
    assert.deepEqual(await client.terminate(selection), {});
    assert.ok(!(await sessionNames(client)).includes('ops'));
  });

  it('answers an SSH password prompt through onPrompt', async () => {
    const prompts = [];
    const client = await connect({
      onPrompt: async (prompt) => {
        prompts.push(prompt);
        return 'secret';
      },
    });
    const { session } = await client.create(ssh('remote'));
    assert.match(session, /^sync_/);
    assert.equal(prompts.length, 1);
    assert.equal(prompts[0].message, "alice@example.com's password: ");
    assert.ok(prompts[0].promptId, 'promptId');
    assert.ok(prompts[0].requestId > 0, 'requestId');
    assert.equal((await client.list({ name: 'remote' })).sessionStates[0].session.beta.host, 'example.com');
  });

  it('rejects with 2001 and the daemon text on a wrong password', async () => {
    let asked = 0;
    const client = await connect({
      onPrompt: () => {
        asked++;
        return 'hunter2';
      },
    });
    await rejectsWith(client.create(ssh('wrong')), 2001, /Permission denied/);
    assert.ok(asked >= 1);
  });

  it('rejects with 2001 for an unknown session', async () => {
    const client = await connect();
    await rejectsWith(client.pause({ name: 'nosuchsession' }), 2001, /unable to locate requested sessions/);
  });

  it('rejects invalid input with 2003 and unknown actions with 2005', async () => {
    const client = await connect();
    await rejectsWith(client.create({ alpha: { path: 'relative' }, beta: { path: '/b' } }), 2003, /relative path/);
    await rejectsWith(client.list({ nmae: 'typo' }), 2003, /nmae/);
    await rejectsWith(client.request('frobnicate'), 2005, /frobnicate/);
    // The client refuses an operation without a selection before sending anything.
    await assert.rejects(client.terminate(), TypeError);
  });

  it('correlates concurrent replies by id', async () => {
    const client = await connect();
    const calls = [];
    for (let i = 0; i < 20; i++) {
      calls.push(i % 2 === 0 ? client.version() : client.pause({ name: `missing-${i}` }).catch((e) => e));
    }
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      if (i % 2 === 0) {
        assert.equal(result.minor, 18);
      } else {
        assert.equal(result.code, 2001);
        assert.match(result.message, new RegExp(`"missing-${i}"`));
      }
    });
  });

  it('cancels a request waiting for a prompt answer', async () => {
    let client;
    client = await connect({
      onPrompt: ({ requestId }) => {
        client.cancel(requestId);
        return undefined; // No answer is sent.
      },
    });
    await rejectsWith(client.create(ssh('cancelled')), 2009, /cancel/);
    assert.ok(!(await sessionNames(client)).includes('cancelled'));
  });

  it('rejects connect when nothing listens', async () => {
    await assert.rejects(MutagenWsClient.connect('ws://127.0.0.1:1/synchronization', { WebSocket }), /cannot connect/);
  });

  it('rejects open requests when the connection closes, and later ones at once', async () => {
    let client;
    client = await connect({ onPrompt: () => client.close() });
    await rejectsWith(client.create(ssh('closed')), 2009, /closed/);
    await rejectsWith(client.version(), 2009, /not open/);
  });
});
