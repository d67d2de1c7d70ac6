package dev.mutagenws.server;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.testkit.FakeDaemon;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.netty.DisposableServer;

/** A real gateway on an ephemeral loopback port in front of a FakeDaemon. */
final class GatewayHarness implements AutoCloseable {
    final FakeDaemon fake;
    final MutagenDaemon daemon;
    final MutagenGateway gateway;
    final DisposableServer server;

    GatewayHarness(FakeDaemon fake, GatewayOptions options) {
        this.fake = fake;
        this.daemon = MutagenDaemon.builder().socket(fake.socketPath()).availabilityRetry(Duration.ofMillis(200))
                .build();
        this.gateway = MutagenGateway.builder().daemon(daemon).options(options).build();
        this.server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(Duration.ofSeconds(10));
    }

    int port() {
        return server.port();
    }

    WsTestClient ws() {
        return new WsTestClient(port());
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
        gateway.close();
        daemon.close();
        fake.close();
    }
}
