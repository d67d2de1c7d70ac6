/**
 * Test support for code that talks to the Mutagen daemon. {@link FakeDaemon} is an in-process stand-in for the Mutagen
 * v0.18.1 daemon on a real Unix socket (its error texts, state index and long-poll, prompting, session lifecycles, SSH
 * and Docker endpoints), with controls for tests: {@link SessionControl} per session, {@link SshHosts} and
 * {@link DockerContainers} for remote endpoints, and the {@link RecordedRequest}s it received.
 * {@link FakeDaemonExtension} runs one per test or class under JUnit 5; {@link NettyLeakExtension} (over
 * {@link NettyLeaks}) fails a test class when Netty reports a leaked buffer.
 *
 * <p>The public types of this package are the testkit's API; the package-private ones behind them may change in any
 * release.
 */
package dev.mutagenws.testkit;

