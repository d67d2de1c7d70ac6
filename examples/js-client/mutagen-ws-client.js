// A small promise-based client for the mutagen-ws WebSocket protocol (/synchronization).
// One ES module for browsers (native WebSocket) and Node (the `ws` package, passed in or found).

/** Actions the server sends on its own; every other frame answers one of our requests. */
const PUSHES = new Set(['prompt', 'message', 'daemon', 'state', 'event']);

/** Code given to requests still open when the connection closes (the protocol's "cancelled"). */
export const CLOSED_CODE = 2009;

/** A failed request: `code` is the protocol's error code, `message` the server's text. */
export class MutagenWsError extends Error {
  constructor(message, code, requestId, action) {
    super(message);
    this.name = 'MutagenWsError';
    this.code = code;
    this.requestId = requestId;
    this.action = action;
  }
}

export class MutagenWsClient {
  /**
   * Opens a connection and resolves once it is open.
   *
   * @param {string} url e.g. `ws://127.0.0.1:8081/synchronization`
   * @param {object} [options]
   * @param {Function} [options.WebSocket] a WebSocket constructor (default: the global one, else `ws` in Node)
   * @param {Function} [options.onPrompt] `({requestId, promptId, message}) => answer | Promise<answer>`
   * @param {Function} [options.onMessage] `({requestId, message})`: the daemon's status lines
   * @param {Function} [options.onDaemon] `({connected, version})`: the daemon went away or came back
   * @param {Function} [options.onPush] any other push (e.g. `state`, `event`), as the whole frame
   * @param {Function} [options.onClose] `({code, reason})` once the connection is closed
   */
  static async connect(url, options = {}) {
    const WebSocketClass = options.WebSocket ?? globalThis.WebSocket ?? (await nodeWebSocket());
    const socket = new WebSocketClass(url);
    await new Promise((resolve, reject) => {
      const opened = () => {
        socket.removeEventListener('error', failed);
        socket.removeEventListener('close', failed);
        resolve();
      };
      const failed = (event) => {
        socket.removeEventListener('open', opened);
        socket.removeEventListener('error', failed);
        socket.removeEventListener('close', failed);
        reject(new Error(`cannot connect to ${url}${event?.message ? `: ${event.message}` : ''}`));
      };
      socket.addEventListener('open', opened);
      socket.addEventListener('error', failed);
      socket.addEventListener('close', failed);
    });
    return new MutagenWsClient(socket, options);
  }

  /** Prefer {@link MutagenWsClient.connect}; this wraps a socket that is already open. */
  constructor(socket, options = {}) {
    this.socket = socket;
    this.options = options;
    this.nextId = 1;
    this.pending = new Map(); // request id -> {resolve, reject, action}
    this.closed = false;
    socket.addEventListener('message', (event) => this.#receive(event.data));
    socket.addEventListener('close', (event) => this.#closed(event));
  }

  /** `data` is a CreationSpecification; resolves `{session: "sync_..."}`. */
  create(specification) {
    return this.request('creation', specification);
  }

  /** Resolves `{stateIndex, sessionStates}`; with `stateIndex` it waits until the state differs from it. */
  list(selection = {}, { stateIndex } = {}) {
    return this.request('list', withOptional(selection, 'stateIndex', stateIndex));
  }

  // The operations change sessions, so they need a selection: `{}` or `{all: true}` for all of them,
  // never a forgotten argument. (async: a missing selection rejects like any other error.)
  async pause(selection) {
    return this.request('pause', required(selection, 'pause'));
  }

  async resume(selection) {
    return this.request('resume', required(selection, 'resume'));
  }

  async reset(selection) {
    return this.request('reset', required(selection, 'reset'));
  }

  async terminate(selection) {
    return this.request('terminate', required(selection, 'terminate'));
  }

  async flush(selection, { skipWait } = {}) {
    return this.request('flush', withOptional(required(selection, 'flush'), 'skipWait', skipWait));
  }

  /** Resolves the daemon's `{major, minor, patch, tag}`. */
  version() {
    return this.request('version');
  }

  /** Cancels one of this client's requests in flight; that request then rejects with code 2009. */
  cancel(requestId) {
    return this.request('cancel', { id: requestId });
  }

  /** Any action by name; resolves the reply's `data`, rejects with a {@link MutagenWsError}. */
  request(action, data) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.closed || this.socket.readyState !== 1 /* OPEN */) {
        reject(new MutagenWsError('connection is not open', CLOSED_CODE, id, action));
        return;
      }
      this.pending.set(id, { resolve, reject, action });
      const frame = data === undefined ? { action, id } : { action, id, data };
      try {
        this.socket.send(JSON.stringify(frame));
      } catch (error) {
        this.pending.delete(id);
        reject(error);
      }
    });
  }

  /** Closes the connection; requests still open reject (the server cancels them too). */
  close() {
    this.socket.close(1000);
    this.#rejectAll('connection closed by the client');
  }

  #receive(data) {
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch {
      return; // The server sends only JSON; anything else is not ours to interpret.
    }
    if (PUSHES.has(frame.action)) {
      this.#push(frame);
      return;
    }
    const waiting = this.pending.get(frame.id);
    if (!waiting) {
      return; // A reply to a request we no longer wait for (e.g. after cancel and close).
    }
    this.pending.delete(frame.id);
    if (frame.code === 0) {
      waiting.resolve(frame.data);
    } else {
      waiting.reject(new MutagenWsError(frame.message, frame.code, frame.id, waiting.action));
    }
  }

  #push(frame) {
    const { onPrompt, onMessage, onDaemon, onPush } = this.options;
    switch (frame.action) {
      case 'prompt':
        if (onPrompt) {
          this.#answer(onPrompt, { requestId: frame.id, promptId: frame.data?.promptId, message: frame.message });
        }
        break;
      case 'message':
        onMessage?.({ requestId: frame.id, message: frame.message });
        break;
      case 'daemon':
        onDaemon?.(frame.data);
        break;
      default:
        onPush?.(frame);
    }
  }

  /** Sends what the prompt callback gives; nothing when it gives undefined/null or fails. */
  async #answer(onPrompt, prompt) {
    let response;
    try {
      response = await onPrompt(prompt);
    } catch {
      return; // The request then fails on the server's prompt timeout, or when the caller cancels it.
    }
    if (response === undefined || response === null || this.closed) {
      return;
    }
    // The answer's own reply only says the prompt was still open; the originating request tells the outcome.
    this.request('answer', { promptId: prompt.promptId, response: String(response) }).catch(() => {});
  }

  #closed(event) {
    this.#rejectAll(`connection closed (${event?.code ?? 'no code'}${event?.reason ? `: ${event.reason}` : ''})`);
    this.options.onClose?.({ code: event?.code, reason: event?.reason });
  }

  #rejectAll(message) {
    this.closed = true;
    const open = [...this.pending];
    this.pending.clear();
    for (const [id, { reject, action }] of open) {
      reject(new MutagenWsError(message, CLOSED_CODE, id, action));
    }
  }
}

function required(selection, action) {
  if (selection === null || typeof selection !== 'object' || Array.isArray(selection)) {
    throw new TypeError(`${action} needs a selection object, e.g. {name: "web"} or {all: true}`);
  }
  return selection;
}

function withOptional(object, key, value) {
  return value === undefined ? object : { ...object, [key]: value };
}

/** Node before v22 has no global WebSocket: use the `ws` package when it is installed. */
async function nodeWebSocket() {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error('no WebSocket available: pass one as options.WebSocket');
  }
  const name = 'ws'; // Kept out of a literal import so that browser bundlers do not try to resolve it.
  try {
    return (await import(name)).default;
  } catch {
    throw new Error('no WebSocket available: install the "ws" package or pass options.WebSocket');
  }
}
