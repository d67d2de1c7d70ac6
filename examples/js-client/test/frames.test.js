// The client's frames, exactly, against a scripted socket (no server): what it sends for each call,
// how it routes pushes, and that a declined prompt sends nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MutagenWsClient, MutagenWsError } from '../mutagen-ws-client.js';

/** Just enough of the WebSocket interface: records sent frames, lets the test deliver frames. */
class ScriptedSocket extends EventTarget {
  static instances = [];

  constructor(url) {
    super();
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    ScriptedSocket.instances.push(this);
    queueMicrotask(() => {
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
    });
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code = 1005) {
    this.readyState = 3;
    const event = new Event('close');
    event.code = code;
    this.dispatchEvent(event);
  }

  deliver(frame) {
    const event = new Event('message');
    event.data = JSON.stringify(frame);
    this.dispatchEvent(event);
  }
}

async function open(options = {}) {
  const client = await MutagenWsClient.connect('ws://test/synchronization', { WebSocket: ScriptedSocket, ...options });
  return { client, socket: ScriptedSocket.instances.at(-1) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('MutagenWsClient frames', () => {
  it('sends each call with its own id and the documented data', async () => {
    const { client, socket } = await open();
    const calls = [
      client.create({ name: 'a' }),
      client.list(),
      client.list({ label: 'x=y' }, { stateIndex: 7 }),
      client.pause({ name: 'a' }),
      client.flush({ all: true }, { skipWait: true }),
      client.version(),
      client.cancel(2),
    ];
    calls.forEach((call) => call.catch(() => {})); // Never answered: they reject at close.
    assert.deepEqual(socket.sent, [
      { action: 'creation', id: 1, data: { name: 'a' } },
      { action: 'list', id: 2, data: {} },
      { action: 'list', id: 3, data: { label: 'x=y', stateIndex: 7 } },
      { action: 'pause', id: 4, data: { name: 'a' } },
      { action: 'flush', id: 5, data: { all: true, skipWait: true } },
      { action: 'version', id: 6 },
      { action: 'cancel', id: 7, data: { id: 2 } },
    ]);
    client.close();
  });

  it('settles replies by id in any order, errors as MutagenWsError', async () => {
    const { client, socket } = await open();
    const first = client.version();
    const second = client.pause({ name: 'x' });
    socket.deliver({ action: 'error', id: 2, code: 2001, message: 'unable to locate requested sessions: x', data: null });
    socket.deliver({ action: 'version', id: 1, code: 0, message: '', data: { major: 0 } });
    assert.deepEqual(await first, { major: 0 });
    await assert.rejects(second, (error) => error instanceof MutagenWsError && error.code === 2001
      && error.message === 'unable to locate requested sessions: x' && error.requestId === 2 && error.action === 'pause');
    client.close();
  });

  it('answers a prompt by promptId, and sends nothing when the callback declines', async () => {
    const answers = [() => 'secret', () => undefined, () => Promise.reject(new Error('no')), () => null];
    const seen = [];
    const { client, socket } = await open({
      onPrompt: (prompt) => {
        seen.push(prompt);
        return answers.shift()();
      },
    });
    for (const promptId of ['p1', 'p2', 'p3', 'p4']) {
      socket.deliver({ action: 'prompt', id: 9, code: 0, message: 'password: ', data: { promptId } });
    }
    await settle();
    assert.deepEqual(seen[0], { requestId: 9, promptId: 'p1', message: 'password: ' });
    assert.deepEqual(socket.sent, [{ action: 'answer', id: 1, data: { promptId: 'p1', response: 'secret' } }]);
    client.close();
  });

  it('routes message, daemon and other pushes to their callbacks', async () => {
    const got = [];
    const { client, socket } = await open({
      onMessage: (m) => got.push(['message', m]),
      onDaemon: (d) => got.push(['daemon', d]),
      onPush: (f) => got.push(['push', f.action]),
    });
    socket.deliver({ action: 'message', id: 3, code: 0, message: 'Creating session...', data: null });
    socket.deliver({ action: 'daemon', id: 0, code: 0, message: '', data: { connected: false } });
    socket.deliver({ action: 'state', id: 4, code: 0, message: '', data: {} });
    assert.deepEqual(got, [
      ['message', { requestId: 3, message: 'Creating session...' }],
      ['daemon', { connected: false }],
      ['push', 'state'],
    ]);
    client.close();
  });

  it('rejects what is open when the server closes, and refuses calls without a selection', async () => {
    let closed;
    const { client, socket } = await open({ onClose: (event) => { closed = event; } });
    const open1 = client.list();
    socket.close(1001);
    await assert.rejects(open1, (error) => error.code === 2009 && /closed \(1001/.test(error.message));
    assert.equal(closed.code, 1001);
    await assert.rejects(client.terminate(), TypeError);
    await assert.rejects(client.version(), (error) => error.code === 2009);
  });
});
