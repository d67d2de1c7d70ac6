// The dashboard: a live view of the daemon's synchronization sessions over the public protocol.
// Every string that comes from the daemon (names, paths, errors) is inserted as text, never as HTML.
import { Connection } from './client.js';
import { formatEndpoint, parseEndpoint, parseLabels, parseOctalMode, statusLabel } from './urls.js';

const $ = (selector) => document.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null && child !== false) {
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
  return node;
}

const view = {
  sessions: [],
  selected: new Set(),
  detail: null,
  connection: 'connecting',
  daemon: null,       // {connected, version}
  prompts: [],        // queue of open prompts
  activePrompt: null,
};

const connection = new Connection({
  onStatus: (status, retryIn) => {
    view.connection = status;
    if (status === 'open') {
      connection.request('version').reply.then(
        (version) => { view.daemon = { connected: true, version }; renderBanner(); },
        (error) => { view.daemon = { connected: false, reason: error.message }; renderBanner(); });
    }
    view.retryIn = retryIn;
    renderBanner();
  },
  onState: (data) => {
    view.sessions = data.sessionStates || [];
    const present = new Set(view.sessions.map((s) => s.session.identifier));
    for (const id of [...view.selected]) {
      if (!present.has(id)) {
        view.selected.delete(id);
      }
    }
    renderSessions();
    renderDetail();
  },
  onEvent: (event) => {
    if (event.type === 'error') {
      notify(sessionName(event.session) + ': ' + event.lastError, 'error');
    }
  },
  onPrompt: (prompt) => {
    view.prompts.push(prompt);
    showNextPrompt();
  },
  onMessage: (message) => notify(message.message, message.error ? 'error' : 'info'),
  onDisconnected: dropPrompts,
  onDaemon: (data, message) => {
    view.daemon = data.connected ? { connected: true, version: data.version } : { connected: false, reason: message };
    renderBanner();
  },
});

function sessionName(id) {
  const state = view.sessions.find((s) => s.session.identifier === id);
  return state && state.session.name ? state.session.name : id;
}

function renderBanner() {
  const banner = $('#banner');
  let text;
  let kind;
  if (view.connection === 'unauthorized') {
    kind = 'disconnected';
    text = 'Not authorised: open the URL with ?token= printed by the launcher';
  } else if (view.connection !== 'open') {
    kind = view.connection === 'closed' ? 'disconnected' : 'connecting';
    text = view.connection === 'closed'
      ? 'Disconnected from mutagen-ws; reconnecting…'
      : 'Connecting…';
  } else if (view.daemon && !view.daemon.connected) {
    kind = 'disconnected';
    text = 'Mutagen daemon unavailable' + (view.daemon.reason ? ': ' + view.daemon.reason : '');
  } else if (view.daemon && view.daemon.version) {
    const v = view.daemon.version;
    kind = 'connected';
    text = 'Connected to Mutagen ' + v.major + '.' + v.minor + '.' + v.patch + (v.tag ? '-' + v.tag : '');
  } else {
    kind = 'connecting';
    text = 'Connected; waiting for the daemon…';
  }
  banner.className = 'banner ' + kind;
  banner.textContent = text;
}

const MAX_NOTICES = 4;

function notify(text, kind = 'info') {
  const notices = $('#notices');
  const notice = el('div', { class: 'notice ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
  notices.append(notice);
  while (notices.children.length > MAX_NOTICES) {
    notices.firstElementChild.remove(); // the oldest goes; errors last longer but not forever
  }
  setTimeout(() => notice.remove(), kind === 'error' ? 10000 : 3500);
}

function endpointCell(url, state) {
  const connected = state && state.connected;
  return el('td', { class: 'endpoint' },
    el('span', { class: 'url' }, formatEndpoint(url)),
    el('span', { class: 'flag ' + (connected ? 'on' : 'off'), title: connected ? 'connected' : 'not connected' },
      connected ? 'connected' : 'offline'),
    stagingProgress(state));
}

// rsync.ReceiverState: receivedFiles of expectedFiles are the totals of this staging run, totalReceivedSize
// the bytes of all files so far; path, receivedSize and expectedSize describe only the file being received.
function stagingProgress(state) {
  const progress = state && state.stagingProgress;
  if (!progress) {
    return null;
  }
  const expectedFiles = progress.expectedFiles || 0;
  const receivedFiles = progress.receivedFiles || 0;
  const fileShare = progress.expectedSize ? Math.min(1, (progress.receivedSize || 0) / progress.expectedSize) : 0;
  // Overall: the completed files plus the share of the current one, never past the total.
  const overall = Math.min(expectedFiles, receivedFiles + (receivedFiles < expectedFiles ? fileShare : 0));
  const current = progress.path
    ? el('div', { class: 'ident', 'data-testid': 'staging-file' }, progress.path,
      progress.expectedSize ? ' (' + formatBytes(progress.receivedSize || 0) + ' of ' + formatBytes(progress.expectedSize) + ')' : '')
    : null;
  return el('div', { class: 'progress', 'data-testid': 'staging-progress' },
    el('progress', { max: expectedFiles || 1, value: overall }),
    ' ', el('span', { 'data-testid': 'staging-totals' },
      receivedFiles + ' of ' + expectedFiles + ' files, ' + formatBytes(progress.totalReceivedSize || 0) + ' received'),
    current);
}

function formatBytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

function statusClass(state) {
  if (state.session.paused) {
    return 'paused';
  }
  if ((state.status || '').startsWith('halted')) {
    return 'halted';
  }
  return state.status || 'disconnected';
}

// Scan and transition problems, per endpoint and kind, the listed ones plus those the daemon left out.
function problemCounts(state) {
  const counts = { alpha: { scan: 0, transition: 0 }, beta: { scan: 0, transition: 0 } };
  for (const [name, endpoint] of [['alpha', state.alphaState], ['beta', state.betaState]]) {
    if (endpoint) {
      counts[name].scan = (endpoint.scanProblems || []).length + (endpoint.excludedScanProblems || 0);
      counts[name].transition = (endpoint.transitionProblems || []).length + (endpoint.excludedTransitionProblems || 0);
    }
  }
  return {
    scan: counts.alpha.scan + counts.beta.scan,
    transition: counts.alpha.transition + counts.beta.transition,
    perEndpoint: counts,
  };
}

function describeProblemCounts(counts) {
  const parts = [];
  if (counts.scan) {
    parts.push(counts.scan + ' scan');
  }
  if (counts.transition) {
    parts.push(counts.transition + ' transition');
  }
  return parts.length ? parts.join(' / ') : '0';
}

function problemsCell(state) {
  const counts = problemCounts(state);
  const per = counts.perEndpoint;
  return el('td', {
    'data-testid': 'problems-count',
    title: 'alpha: ' + per.alpha.scan + ' scan, ' + per.alpha.transition + ' transition; beta: '
      + per.beta.scan + ' scan, ' + per.beta.transition + ' transition',
  }, describeProblemCounts(counts));
}

function renderSessions() {
  const body = $('#sessions tbody');
  body.replaceChildren(...view.sessions.map((state) => {
    const session = state.session;
    const id = session.identifier;
    const conflicts = (state.conflicts || []).length + (state.excludedConflicts || 0);
    return el('tr', { class: 'session', 'data-session': id },
      el('td', {}, el('input', {
        type: 'checkbox', 'aria-label': 'select ' + (session.name || id), checked: view.selected.has(id),
        onchange: (e) => { if (e.target.checked) { view.selected.add(id); } else { view.selected.delete(id); } renderSelection(); },
      })),
      el('td', { class: 'name' },
        el('button', { class: 'link', onclick: () => openDetail(id) }, session.name || '(unnamed)'),
        el('div', { class: 'ident' }, id)),
      endpointCell(session.alpha, state.alphaState),
      endpointCell(session.beta, state.betaState),
      el('td', {},
        el('span', { class: 'status ' + statusClass(state), 'data-testid': 'status' }, statusLabel(state)),
        state.lastError ? el('div', { class: 'error' }, state.lastError) : null),
      el('td', {}, state.successfulCycles || 0),
      el('td', {}, conflicts),
      problemsCell(state),
      el('td', { class: 'actions' },
        session.paused
          ? el('button', { onclick: () => run('resume', { id }) }, 'Resume')
          : el('button', { onclick: () => run('pause', { id }) }, 'Pause'),
        el('button', { onclick: () => run('flush', { id }) }, 'Flush'),
        el('button', { class: 'danger', onclick: () => run('reset', { id }, 'Reset ' + (session.name || id) + '? Its synchronization history is forgotten.') }, 'Reset'),
        el('button', { class: 'danger', onclick: () => run('terminate', { id }, 'Terminate ' + (session.name || id) + '? The session is removed; files stay.') }, 'Terminate')));
  }));
  $('#empty').hidden = view.sessions.length > 0;
  renderSelection();
}

function renderSelection() {
  $('#selected-count').textContent = view.selected.size + ' selected';
  $('#select-all').checked = view.sessions.length > 0 && view.selected.size === view.sessions.length;
}

async function confirmAction(text) {
  const dialog = $('#confirm-dialog');
  $('#confirm-text').textContent = text;
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'yes'), { once: true });
  });
}

async function run(action, selection, confirmText) {
  if (confirmText && !(await confirmAction(confirmText))) {
    return;
  }
  try {
    await connection.request(action, selection).reply;
    notify(action.charAt(0).toUpperCase() + action.slice(1) + ' done', 'ok');
  } catch (error) {
    notify(action + ' failed: ' + error.message, 'error');
  }
}

function bulkSelection() {
  const label = $('#label-selector').value.trim();
  if (label !== '') {
    return { label };
  }
  if (view.selected.size > 0) {
    return { ids: [...view.selected] };
  }
  return null;
}

function openDetail(id) {
  view.detail = id;
  renderDetail();
}

function renderDetail() {
  const section = $('#detail');
  const state = view.sessions.find((s) => s.session.identifier === view.detail);
  if (!state) {
    section.hidden = true;
    return;
  }
  const session = state.session;
  section.hidden = false;
  $('#detail-title').textContent = session.name || session.identifier;
  const labels = Object.entries(session.labels || {}).map(([k, v]) => k + '=' + v).join(', ');
  const conflicts = (state.conflicts || []).map((c) => el('li', {},
    el('strong', {}, c.root || '(root)'),
    el('div', {}, 'alpha: ', describeChanges(c.alphaChanges)),
    el('div', {}, 'beta: ', describeChanges(c.betaChanges))));
  const problems = [];
  for (const [name, endpoint] of [['alpha', state.alphaState], ['beta', state.betaState]]) {
    for (const kind of ['scanProblems', 'transitionProblems']) {
      for (const problem of (endpoint && endpoint[kind]) || []) {
        problems.push(el('li', {}, name + ' ' + (kind === 'scanProblems' ? 'scan' : 'transition') + ': ',
          el('strong', {}, problem.path || '(root)'), ': ', problem.error));
      }
    }
  }
  $('#detail-body').replaceChildren(
    el('dl', {},
      el('dt', {}, 'Identifier'), el('dd', { class: 'ident' }, session.identifier),
      el('dt', {}, 'Alpha'), el('dd', {}, formatEndpoint(session.alpha)),
      el('dt', {}, 'Beta'), el('dd', {}, formatEndpoint(session.beta)),
      el('dt', {}, 'Status'), el('dd', {}, statusLabel(state)),
      el('dt', {}, 'Labels'), el('dd', {}, labels || '—'),
      el('dt', {}, 'Last error'), el('dd', { class: 'error' }, state.lastError || '—')),
    el('h3', {}, 'Conflicts (' + ((state.conflicts || []).length + (state.excludedConflicts || 0)) + ')'),
    conflicts.length ? el('ul', { 'data-testid': 'conflicts' }, conflicts) : el('p', { class: 'muted' }, 'None'),
    el('h3', {}, 'Problems (' + describeProblemCounts(problemCounts(state)) + ')'),
    problems.length ? el('ul', { 'data-testid': 'problems' }, problems) : el('p', { class: 'muted' }, 'None'),
    el('h3', {}, 'Configuration'),
    el('pre', {}, JSON.stringify({
      configuration: session.configuration || {},
      configurationAlpha: session.configurationAlpha || {},
      configurationBeta: session.configurationBeta || {},
    }, null, 2)));
}

function describeChanges(changes) {
  return (changes || []).map((change) => change.path + ' ' + describeEntry(change.old) + ' → ' + describeEntry(change.new)).join('; ');
}

function describeEntry(entry) {
  if (!entry) {
    return 'nothing';
  }
  return entry.kind || 'directory';
}

function showNextPrompt() {
  if (view.activePrompt || view.prompts.length === 0) {
    return;
  }
  const prompt = view.prompts.shift();
  view.activePrompt = prompt;
  $('#prompt-text').textContent = prompt.message;
  const input = $('#prompt-input');
  input.value = '';
  input.type = /password|passphrase|PIN/i.test(prompt.message) ? 'password' : 'text';
  $('#prompt-dialog').showModal();
  input.focus();
}

// The dialog's close event comes later, as a task, possibly after the next prompt opened it again: closes of our
// own are counted, so that the event handler treats only the others (Escape) as a cancellation.
let ownPromptCloses = 0;

function closePromptDialog() {
  const dialog = $('#prompt-dialog');
  if (dialog.open) {
    ownPromptCloses++;
    dialog.close();
  }
}

function closePrompt() {
  view.activePrompt = null;
  $('#prompt-input').value = '';
  closePromptDialog();
  showNextPrompt();
}

// Cancel button, Escape, or any other way the dialog closed without an answer: the request is cancelled
// (it answers 2009), and the next queued prompt is shown.
function cancelPrompt() {
  const prompt = view.activePrompt;
  if (prompt) {
    connection.cancel(prompt.requestId).catch(() => { /* already finished */ });
    view.prompts = view.prompts.filter((queued) => queued.requestId !== prompt.requestId);
  }
  closePrompt();
}

// The connection is gone: its prompts can no longer be answered, and a new connection has none yet.
function dropPrompts() {
  view.prompts = [];
  view.activePrompt = null;
  $('#prompt-input').value = '';
  closePromptDialog();
}

function buildSpecification(form) {
  const data = new FormData(form);
  const spec = {
    alpha: parseEndpoint(data.get('alpha')),
    beta: parseEndpoint(data.get('beta')),
  };
  const name = (data.get('name') || '').trim();
  if (name) {
    spec.name = name;
  }
  const labels = parseLabels(data.get('labels'));
  if (Object.keys(labels).length) {
    spec.labels = labels;
  }
  const configuration = {};
  for (const key of ['synchronizationMode', 'watchMode', 'symbolicLinkMode', 'permissionsMode', 'scanMode', 'stageMode']) {
    if (data.get(key)) {
      configuration[key] = data.get(key);
    }
  }
  const ignores = (data.get('ignores') || '').split('\n').map((s) => s.trim()).filter((s) => s !== '');
  if (ignores.length) {
    configuration.ignores = ignores;
  }
  if (data.get('ignoreVCS')) {
    configuration.ignoreVCSMode = true;
  }
  const fileMode = parseOctalMode(data.get('defaultFileMode'), 'Default file mode');
  if (fileMode !== undefined) {
    configuration.defaultFileMode = fileMode;
  }
  const directoryMode = parseOctalMode(data.get('defaultDirectoryMode'), 'Default directory mode');
  if (directoryMode !== undefined) {
    configuration.defaultDirectoryMode = directoryMode;
  }
  spec.configuration = configuration;
  if (data.get('paused')) {
    spec.paused = true;
  }
  return spec;
}

function wire() {
  $('#select-all').addEventListener('change', (e) => {
    view.selected = new Set(e.target.checked ? view.sessions.map((s) => s.session.identifier) : []);
    renderSessions();
  });
  for (const button of document.querySelectorAll('[data-bulk]')) {
    button.addEventListener('click', () => {
      const action = button.getAttribute('data-bulk');
      const selection = bulkSelection();
      if (!selection) {
        notify('Select sessions or enter a label selector first', 'error');
        return;
      }
      const what = selection.label ? 'sessions matching ' + selection.label : selection.ids.length + ' sessions';
      const dangerous = action === 'reset' || action === 'terminate';
      run(action, selection, dangerous ? action.charAt(0).toUpperCase() + action.slice(1) + ' ' + what + '?' : null);
    });
  }
  $('#detail-close').addEventListener('click', () => { view.detail = null; renderDetail(); });

  const createDialog = $('#create-dialog');
  const createForm = $('#create-form');
  const createError = $('#create-error');
  $('#show-create').addEventListener('click', () => { createError.hidden = true; createDialog.showModal(); });
  $('#create-cancel').addEventListener('click', () => createDialog.close());
  createForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    createError.hidden = true;
    let spec;
    try {
      spec = buildSpecification(createForm);
    } catch (error) {
      createError.textContent = error.message;
      createError.hidden = false;
      return;
    }
    const submit = $('#create-submit');
    submit.disabled = true;
    try {
      const result = await connection.request('creation', spec).reply;
      createDialog.close();
      createForm.reset();
      notify('Created ' + (spec.name || result.session), 'ok');
    } catch (error) {
      if (error.code === 2009) {
        // Cancelled (a prompt cancelled, or the connection lost): the form stays open to try again.
        notify('Creation cancelled: ' + error.message, 'info');
      } else {
        createError.textContent = error.message;
        createError.hidden = false;
      }
    } finally {
      submit.disabled = false;
    }
  });

  $('#prompt-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const prompt = view.activePrompt;
    if (prompt) {
      const answer = $('#prompt-input').value;
      connection.answer(prompt.promptId, answer).catch((error) => notify('answer failed: ' + error.message, 'error'));
    }
    closePrompt();
  });
  $('#prompt-cancel').addEventListener('click', cancelPrompt);
  // Escape fires cancel then close; Chrome may also close a dialog without cancel. Either way, unless our own
  // code closed it, it is a cancellation of the prompt it showed.
  $('#prompt-dialog').addEventListener('close', () => {
    if (ownPromptCloses > 0) {
      ownPromptCloses--;
      return;
    }
    cancelPrompt();
  });
}

wire();
connection.start();
