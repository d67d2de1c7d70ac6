package dev.mutagenws.bench;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.server.GatewayOptions;
import dev.mutagenws.server.GatewayServer;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.server.security.SecurityPolicy;
import dev.mutagenws.testkit.FakeDaemon;
import dev.mutagenws.testkit.NettyLeaks;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** FakeDaemon + gateway in this JVM. */
final class InProcessHost implements ServerHost {
    final FakeDaemon fake;
    final MutagenDaemon daemon;
    final MutagenGateway gateway;
    final GatewayServer server;
    final List<String> ids;

    InProcessHost(int sessions, boolean paused) {
        NettyLeaks.install();
        fake = FakeDaemon.builder().build().start();
        ids = Sessions.create(fake, sessions, paused);
        daemon = MutagenDaemon.builder().socket(fake.socketPath()).build();
        // No token, as the baselines were measured: its clients send none, and the fake daemon guards nothing.
        gateway = MutagenGateway.builder().daemon(daemon).options(GatewayOptions.defaults())
                .security(SecurityPolicy.unauthenticatedLocalOnly()).build();
        server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(Duration.ofSeconds(30));
    }

    @Override
    public String wsUri() {
        return "ws://127.0.0.1:" + server.port() + MutagenGateway.WEBSOCKET_PATH;
    }

    @Override
    public String httpBase() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public long change(int session, String lastError) {
        fake.session(ids.get(session % ids.size())).lastError(lastError);
        return fake.stateIndex();
    }

    @Override
    public long listCalls() {
        return fake.listCalls();
    }

    @Override
    public long stateIndex() {
        return fake.stateIndex();
    }

    @Override
    public long heapAfterGc() {
        return usedHeapAfterGc();
    }

    static long usedHeapAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    @Override
    public void trim() {
        Sessions.dropRecordedRequests(fake);
    }

    @Override
    public List<String> leaks() {
        NettyLeaks.surface();
        return NettyLeaks.reports();
    }

    @Override
    public boolean includesClients() {
        return true;
    }

    @Override
    public void close() {
        server.close();
        daemon.close();
        fake.close();
    }
}
