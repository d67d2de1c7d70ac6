// The dashboard's endpoint parsing, which must read the URL forms the Mutagen CLI accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEndpoint, parseEndpoint, parseLabels, parseOctalMode, statusLabel } from '../../../../../mutagen-ws-core/src/main/resources/dev/mutagenws/dashboard/urls.js';

test('local paths stay local', () => {
  assert.deepEqual(parseEndpoint('/home/me/project'), { path: '/home/me/project' });
  assert.deepEqual(parseEndpoint('~/project'), { path: '~/project' });
  assert.deepEqual(parseEndpoint('./rel/dir:with-colon'), { path: './rel/dir:with-colon' });
  assert.deepEqual(parseEndpoint('C:\\Users\\me'), { path: 'C:\\Users\\me' });
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
});

test('formatting is the inverse of parsing', () => {
  for (const text of ['/a/b', 'alice@example.com:~/site', 'example.com:2222:/srv/x', 'docker://root@web/~/app', 'docker://web/var/www']) {
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
