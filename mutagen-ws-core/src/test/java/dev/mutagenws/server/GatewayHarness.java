package dev.mutagenws.server;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.internal.server.security.Tokens;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.server.security.SecurityPolicy;
import dev.mutagenws.state.StateOptions;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.netty.http.client.HttpClient;

/**
 * A real gateway on an ephemeral loopback port in front of a FakeDaemon. It requires {@link #TOKEN}, as the
 * library's default does a generated one; {@link WsTestClient}, {@link RestTestClient} and {@link #http()} present it,
 * so tests that are not about security need not think of it (those that are build their own policy).
 */
final class GatewayHarness implements AutoCloseable {
    /** The token every harness gateway requires (one per test run, like the launcher's). */
    static final String TOKEN = Tokens.generate();
    /** The header that presents it. */
    static final String AUTHORIZATION = "Bearer " + TOKEN;

    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeDaemon fake;
    final MutagenDaemon daemon;
    final MutagenGateway gateway;
    final GatewayServer server;

    GatewayHarness(FakeDaemon fake, GatewayOptions options) {
        this(fake, options, StateOptions.defaults());
    }

    GatewayHarness(FakeDaemon fake, GatewayOptions options, StateOptions states) {
        this.fake = fake;
        this.daemon = MutagenDaemon.builder().socket(fake.socketPath()).availabilityRetry(Duration.ofMillis(200))
                .build();
        this.gateway = MutagenGateway.builder().daemon(daemon).options(options).stateOptions(states)
                .security(SecurityPolicy.builder().token(TOKEN).build()).build();
        this.server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(Duration.ofSeconds(10));
    }

    int port() {
        return server.port();
    }

    WsTestClient ws() {
        return new WsTestClient(port());
    }

    /**
     * Creates a local-to-local session named {@code name} directly on the daemon and waits until its first cycles
     * have run, so that tests start from a settled state; returns its identifier.
     */
    String createLocal(String name) throws InterruptedException {
        String id = daemon.create(CreationSpecification.newBuilder()
                .setAlpha(URL.newBuilder().setPath("/tmp/a-" + name)).setBeta(URL.newBuilder().setPath("/tmp/b-" + name))
                .setName(name).build(), Prompter.silent()).block(WAIT);
        if (!fake.awaitIdle(WAIT)) {
            throw new AssertionError("the FakeDaemon did not settle within " + WAIT);
        }
        return id;
    }

    /** A Reactor Netty client for this gateway: base URL set, token presented ({@code Authorization: Bearer}). */
    HttpClient http() {
        return HttpClient.create().baseUrl("http://127.0.0.1:" + port())
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, AUTHORIZATION));
    }

    /** Stops the gateway as an embedder would (WebSockets get 1001), then the daemon client and the fake. */
    @Override
    public void close() {
        server.close();
        daemon.close();
        fake.close();
    }
}
