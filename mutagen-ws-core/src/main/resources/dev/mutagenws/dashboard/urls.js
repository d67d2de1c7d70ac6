// Endpoint URLs as the Mutagen CLI writes them (its pkg/url parser), to and from the protocol's URL objects.
//   /abs/path, ~/path, C:\path, C:/path     local (a drive letter is never read as an SSH host)
//   [user@]host[:port]:path                   ssh (scp-like); the user ends at the FIRST '@' before the
//                                             host's ':', the port is digits followed by ':'
//   docker://[user@]container/path            docker; '/~...' is home-relative ('~...'), '/C:\...' a
//                                             Windows container path ('C:\...')
// Anything with no ':' before its first '/' is local, as for Mutagen.

const WINDOWS_PATH = /^[A-Za-z]:[\\/]/;

export function parseEndpoint(text) {
  const raw = (text || '').trim();
  if (raw === '') {
    throw new Error('enter an endpoint: a local path, user@host:path or docker://container/path');
  }
  if (raw.startsWith('docker://')) {
    return parseDocker(raw.slice('docker://'.length));
  }
  if (WINDOWS_PATH.test(raw) || raw.startsWith('\\\\')) {
    return { path: raw }; // a Windows path, local
  }
  const colon = raw.indexOf(':');
  const slash = raw.indexOf('/');
  if (colon < 0 || (slash >= 0 && slash < colon)) {
    return { path: raw }; // no host part: local
  }
  return parseSsh(raw);
}

function parseSsh(text) {
  let raw = text;
  const url = { protocol: 'ssh' };
  // The user name runs to the first '@', unless a ':' (the end of the host) comes first.
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === ':') {
      break;
    }
    if (raw[i] === '@') {
      if (i === 0) {
        throw new Error('the SSH endpoint has an empty user name before "@"');
      }
      url.user = raw.slice(0, i);
      raw = raw.slice(i + 1);
      break;
    }
  }
  const colon = raw.indexOf(':');
  if (colon <= 0) {
    throw new Error('the SSH endpoint has no host name');
  }
  url.host = raw.slice(0, colon);
  let rest = raw.slice(colon + 1);
  const port = /^(\d+):(.*)$/s.exec(rest);
  if (port) {
    const number = Number(port[1]);
    if (number > 65535) {
      throw new Error('the SSH port must be between 1 and 65535');
    }
    if (number > 0) {
      url.port = number; // 0 means the default port, as for Mutagen
    }
    rest = port[2];
  }
  if (rest === '') {
    throw new Error('the SSH endpoint has no path after the colon');
  }
  url.path = rest;
  return url;
}

function parseDocker(text) {
  let raw = text;
  const url = { protocol: 'docker' };
  // The user name runs to the first '@', unless a '/' (the end of the container) comes first.
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '/') {
      break;
    }
    if (raw[i] === '@') {
      url.user = raw.slice(0, i);
      raw = raw.slice(i + 1);
      break;
    }
  }
  const slash = raw.indexOf('/');
  if (slash <= 0) {
    throw new Error('a Docker endpoint looks like docker://container/path');
  }
  url.host = raw.slice(0, slash);
  let path = raw.slice(slash);
  if (path.startsWith('/~') || WINDOWS_PATH.test(path.slice(1))) {
    path = path.slice(1); // docker://c/~/x is ~/x and docker://c/C:\x is C:\x inside the container
  }
  url.path = path;
  return url;
}

export function formatEndpoint(url) {
  if (!url) {
    return '';
  }
  const user = url.user ? url.user + '@' : '';
  switch (url.protocol) {
    case 'ssh':
      return user + (url.host || '') + (url.port ? ':' + url.port : '') + ':' + (url.path || '');
    case 'docker':
      return 'docker://' + user + (url.host || '') + (url.path && !url.path.startsWith('/') ? '/' : '') + (url.path || '');
    default:
      return url.path || '';
  }
}

// Human labels of the session statuses (Mutagen's own descriptions).
const STATUS_LABELS = {
  'disconnected': 'Disconnected',
  'halted-on-root-emptied': 'Halted due to one-sided root emptying',
  'halted-on-root-deletion': 'Halted due to root deletion',
  'halted-on-root-type-change': 'Halted due to root type change',
  'connecting-alpha': 'Connecting to alpha',
  'connecting-beta': 'Connecting to beta',
  'watching': 'Watching for changes',
  'scanning': 'Scanning files',
  'waiting-for-rescan': 'Waiting 5 seconds for rescan',
  'reconciling': 'Reconciling changes',
  'staging-alpha': 'Staging files on alpha',
  'staging-beta': 'Staging files on beta',
  'transitioning': 'Applying changes',
  'saving': 'Saving archive',
};

export function statusLabel(state) {
  if (state.session && state.session.paused) {
    return 'Paused';
  }
  return STATUS_LABELS[state.status || 'disconnected'] || 'Unknown';
}

export function parseLabels(text) {
  const labels = {};
  for (const part of (text || '').split(',')) {
    const item = part.trim();
    if (item === '') {
      continue;
    }
    const eq = item.indexOf('=');
    if (eq <= 0) {
      throw new Error('labels are key=value pairs separated by commas; "' + item + '" has no key');
    }
    labels[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  return labels;
}

export function parseOctalMode(text, what) {
  const raw = (text || '').trim();
  if (raw === '') {
    return undefined;
  }
  if (!/^0?[0-7]{1,4}$/.test(raw)) {
    throw new Error(what + ' must be octal permission bits such as 0644');
  }
  return parseInt(raw, 8);
}
