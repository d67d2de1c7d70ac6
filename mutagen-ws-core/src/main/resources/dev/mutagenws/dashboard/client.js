// The dashboard's connection: one WebSocket to /synchronization, replies matched by id, pushes routed
// to handlers, automatic reconnection with backoff and resubscription from the last stateIndex.

export class Connection {
  constructor(handlers) {
    this.handlers = handlers; // onState, onEvent, onPrompt, onMessage, onDaemon, onStatus, onDisconnected
    this.status = null; // connecting, open, closed (retrying), unauthorized (the token is missing or wrong)
    this.nextId = 1;
    this.pending = new Map();
    this.socket = null;
    this.delay = 500;
    this.subscription = null; // {id, stateIndex}
    this.closed = false;
  }

  start() {
    this.open();
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(scheme + '//' + location.host + '/synchronization');
    this.socket = socket;
    if (this.status !== 'unauthorized') {
      this.setStatus('connecting'); // while unauthorised, that stays the news until the token works
    }
    socket.addEventListener('open', () => {
      this.delay = 500;
      this.setStatus('open');
      this.subscribe();
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', () => this.lost(socket));
  }

  // The socket closed (or never opened): everything of that connection is gone, its prompts included.
  async lost(socket) {
    if (socket !== this.socket) {
      return;
    }
    this.socket = null;
    for (const { reject } of this.pending.values()) {
      reject(Object.assign(new Error('the connection to the server closed'), { code: 2009 }));
    }
    this.pending.clear();
    if (this.handlers.onDisconnected) {
      this.handlers.onDisconnected();
    }
    if (this.closed) {
      return;
    }
    // A browser never shows why an upgrade failed; ask over plain HTTP whether the token is the reason.
    const unauthorized = await this.unauthorized();
    const delay = unauthorized ? 10000 : this.delay;
    this.setStatus(unauthorized ? 'unauthorized' : 'closed', delay);
    setTimeout(() => this.open(), delay);
    this.delay = Math.min(this.delay * 2, 10000);
  }

  setStatus(status, retryIn) {
    this.status = status;
    this.handlers.onStatus(status, retryIn);
  }

  async unauthorized() {
    try {
      const response = await fetch('/api/daemon', { cache: 'no-store', credentials: 'same-origin' });
      return response.status === 401;
    } catch (e) {
      return false; // the server is down: not a token problem
    }
  }

  subscribe() {
    const data = { events: true };
    if (this.subscription && this.subscription.stateIndex) {
      // With the epoch: an index of an earlier daemon run, even an equal number, is never taken as current.
      data.stateIndex = this.subscription.stateIndex;
      data.epoch = this.subscription.epoch;
    }
    const id = this.nextId++;
    this.subscription = { id, stateIndex: data.stateIndex || 0, epoch: data.epoch || null };
    this.send({ action: 'subscribe', id, data }).then(
      (reply) => { this.subscription.name = reply.subscription; },
      (error) => this.handlers.onMessage({ error: true, message: 'could not subscribe: ' + error.message }));
  }

  receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (frame.action) {
      case 'state':
        if (this.subscription && frame.id === this.subscription.id) {
          this.subscription.stateIndex = frame.data.stateIndex;
          this.subscription.epoch = frame.data.epoch;
          this.handlers.onState(frame.data);
        }
        return;
      case 'event':
        this.handlers.onEvent(frame.data);
        return;
      case 'prompt':
        this.handlers.onPrompt({ requestId: frame.id, promptId: frame.data.promptId, message: frame.message });
        return;
      case 'message':
        this.handlers.onMessage({ requestId: frame.id, message: frame.message });
        return;
      case 'daemon':
        this.handlers.onDaemon(frame.data, frame.message);
        return;
      default: {
        const waiter = this.pending.get(frame.id);
        if (!waiter) {
          return;
        }
        this.pending.delete(frame.id);
        if (frame.code === 0) {
          waiter.resolve(frame.data);
        } else {
          waiter.reject(Object.assign(new Error(frame.message), { code: frame.code }));
        }
      }
    }
  }

  send(request) {
    return new Promise((resolve, reject) => {
      if (!this.socket || this.socket.readyState !== WebSocket.OPEN) {
        reject(Object.assign(new Error('not connected to the server'), { code: 2006 }));
        return;
      }
      this.pending.set(request.id, { resolve, reject });
      this.socket.send(JSON.stringify(request));
    });
  }

  // Sends an action; returns {id, reply} so that callers can cancel by id.
  request(action, data) {
    const id = this.nextId++;
    return { id, reply: this.send({ action, id, data }) };
  }

  answer(promptId, response) {
    return this.request('answer', { promptId, response }).reply;
  }

  cancel(requestId) {
    return this.request('cancel', { id: requestId }).reply;
  }
}
