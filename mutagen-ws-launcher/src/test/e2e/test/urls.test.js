// The dashboard's endpoint parsing, which must read the URL forms the Mutagen CLI accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEndpoint, parseEndpoint, parseLabels, parseOctalMode, statusLabel } from '../../../../../mutagen-ws-core/src/main/resources/dev/mutagenws/dashboard/urls.js';

test('local paths stay local', () => {
  assert.deepEqual(parseEndpoint('/home/me/project'), { path: '/home/me/project' });
  assert.deepEqual(parseEndpoint('~/project'), { path: '~/project' });
  assert.deepEqual(parseEndpoint('./rel/dir:with-colon'), { path: './rel/dir:with-colon' });
  assert.deepEqual(parseEndpoint('C:\\Users\\me'), { path: 'C:\\Users\\me' });
  // A drive letter is a Windows path, never an SSH host called "C", with either slash.
  assert.deepEqual(parseEndpoint('c:/Users/me/site'), { path: 'c:/Users/me/site' });
  assert.deepEqual(parseEndpoint('D:\\'), { path: 'D:\\' });
  assert.deepEqual(parseEndpoint('\\\\server\\share\\x'), { path: '\\\\server\\share\\x' });
  assert.deepEqual(parseEndpoint('  /trimmed  '), { path: '/trimmed' });
  assert.throws(() => parseEndpoint('   '), /enter an endpoint/);
});

test('the ssh user ends at the first @, as in Mutagen, and the host at the first colon after it', () => {
  assert.deepEqual(parseEndpoint('alice@corp@bastion:~/x'),
    { protocol: 'ssh', user: 'alice', host: 'corp@bastion', path: '~/x' });
  assert.deepEqual(parseEndpoint('host:/path/with@at:and:colons'),
    { protocol: 'ssh', host: 'host', path: '/path/with@at:and:colons' });
  assert.deepEqual(parseEndpoint('bob@host:C:\\Users\\bob'),
    { protocol: 'ssh', user: 'bob', host: 'host', path: 'C:\\Users\\bob' });
  assert.deepEqual(parseEndpoint('host:0:/srv'), { protocol: 'ssh', host: 'host', path: '/srv' }, 'port 0 is the default port');
  assert.deepEqual(parseEndpoint('host:65535:/srv'), { protocol: 'ssh', host: 'host', port: 65535, path: '/srv' });
  assert.throws(() => parseEndpoint('@host:/x'), /empty user name/);
  assert.throws(() => parseEndpoint('alice@:/x'), /no host name/);
  assert.throws(() => parseEndpoint(':/x'), /no host name/);
  assert.throws(() => parseEndpoint('host:65536:/x'), /port/);
});

test('scp-style ssh URLs with user and port', () => {
  assert.deepEqual(parseEndpoint('alice@example.com:~/site'),
    { protocol: 'ssh', user: 'alice', host: 'example.com', path: '~/site' });
  assert.deepEqual(parseEndpoint('example.com:2222:/srv/x'),
    { protocol: 'ssh', host: 'example.com', port: 2222, path: '/srv/x' });
  assert.deepEqual(parseEndpoint('root@10.0.0.1:/data'),
    { protocol: 'ssh', user: 'root', host: '10.0.0.1', path: '/data' });
  assert.throws(() => parseEndpoint('host:'), /no path/);
  assert.throws(() => parseEndpoint('host:70000:/x'), /port/);
});

test('docker URLs', () => {
  assert.deepEqual(parseEndpoint('docker://web/var/www'), { protocol: 'docker', host: 'web', path: '/var/www' });
  assert.deepEqual(parseEndpoint('docker://root@web/~/app'), { protocol: 'docker', user: 'root', host: 'web', path: '~/app' });
  assert.throws(() => parseEndpoint('docker://web'), /docker:\/\/container\/path/);
  assert.throws(() => parseEndpoint('docker:///var/www'), /docker:\/\/container\/path/);
  // The user ends at the first @ before the container's slash; a later @ belongs to the path.
  assert.deepEqual(parseEndpoint('docker://a@b@web/srv'), { protocol: 'docker', user: 'a', host: 'b@web', path: '/srv' });
  assert.deepEqual(parseEndpoint('docker://web/srv/me@home'), { protocol: 'docker', host: 'web', path: '/srv/me@home' });
  // Windows containers: the slash before the drive letter is dropped.
  assert.deepEqual(parseEndpoint('docker://win/C:\\app'), { protocol: 'docker', host: 'win', path: 'C:\\app' });
  assert.deepEqual(parseEndpoint('docker://win/c:/app'), { protocol: 'docker', host: 'win', path: 'c:/app' });
  // A docker URL is never read as scp-like SSH even though it has a colon before its first slash.
  assert.equal(parseEndpoint('docker://web/x').protocol, 'docker');
});

test('formatting is the inverse of parsing', () => {
  for (const text of ['/a/b', 'C:\\x', 'alice@example.com:~/site', 'example.com:2222:/srv/x', 'alice@corp@bastion:~/x',
    'docker://root@web/~/app', 'docker://web/var/www', 'docker://win/C:\\app']) {
    assert.equal(formatEndpoint(parseEndpoint(text)), text);
  }
});

test('labels, modes and status labels', () => {
  assert.deepEqual(parseLabels('env=dev, team = web'), { env: 'dev', team: 'web' });
  assert.throws(() => parseLabels('=x'), /no key/);
  assert.equal(parseOctalMode('0644', 'mode'), 420);
  assert.equal(parseOctalMode('755', 'mode'), 493);
  assert.throws(() => parseOctalMode('0968', 'Default file mode'), /octal/);
  assert.equal(statusLabel({ status: 'watching', session: {} }), 'Watching for changes');
  assert.equal(statusLabel({ status: 'watching', session: { paused: true } }), 'Paused');
  assert.equal(statusLabel({ session: {} }), 'Disconnected');
  assert.equal(statusLabel({ status: 'bogus', session: {} }), 'Unknown');
});

test('status labels are the CLI descriptions for every status text form', () => {
  const expected = {
    'disconnected': 'Disconnected', 'halted-on-root-emptied': 'Halted due to one-sided root emptying',
    'halted-on-root-deletion': 'Halted due to root deletion', 'halted-on-root-type-change': 'Halted due to root type change',
    'connecting-alpha': 'Connecting to alpha', 'connecting-beta': 'Connecting to beta', 'watching': 'Watching for changes',
    'scanning': 'Scanning files', 'waiting-for-rescan': 'Waiting 5 seconds for rescan', 'reconciling': 'Reconciling changes',
    'staging-alpha': 'Staging files on alpha', 'staging-beta': 'Staging files on beta', 'transitioning': 'Applying changes',
    'saving': 'Saving archive',
  };
  for (const [status, label] of Object.entries(expected)) {
    assert.equal(statusLabel({ status, session: {} }), label, status);
  }
});
