package dev.mutagenws.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.internal.server.security.AccessLogs;
import dev.mutagenws.internal.server.security.Tokens;
import dev.mutagenws.server.GatewayServer;
import dev.mutagenws.server.MutagenGateway;
import dev.mutagenws.server.security.GatewaySecurityTest.Answer;
import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.netty.ReactorNetty;
import reactor.netty.http.server.HttpServer;

/**
 * A token sent as {@code ?token=} reaches no log line: the gateway's loggers at DEBUG and Reactor Netty's access log
 * on (as {@code -Dreactor.netty.http.server.accessLogEnabled=true} turns it on), on a real server.
 */
class TokenLoggingTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String TOKEN = Tokens.generate();
    static final String ACCESS_LOG = "reactor.netty.http.server.AccessLog";
    /** Captured loggers: the gateway's own and the access log; kept off the console (a write would block an event loop). */
    static final List<String> CAPTURED = List.of("dev.mutagenws", ACCESS_LOG);

    final Capture capture = new Capture();
    final List<Runnable> restore = new ArrayList<>();
    FakeDaemon fake;
    MutagenDaemon daemon;
    MutagenGateway gateway;
    GatewayServer server;

    /** Keeps each line as it would be printed, exception included; lock-free, since event loops append. */
    static final class Capture extends AppenderBase<ILoggingEvent> {
        final Queue<String> lines = new ConcurrentLinkedQueue<>();

        @Override
        protected void append(ILoggingEvent event) {
            lines.add(event.getLevel() + " " + event.getLoggerName() + " - " + event.getFormattedMessage()
                    + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())));
        }
    }

    @BeforeEach
    void start() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.setContext(context);
        capture.start();
        for (String name : CAPTURED) {
            Logger logger = context.getLogger(name);
            Level level = logger.getLevel();
            boolean additive = logger.isAdditive();
            logger.setLevel(name.equals(ACCESS_LOG) ? Level.INFO : Level.DEBUG);
            logger.setAdditive(false);
            logger.addAppender(capture);
            restore.add(() -> {
                logger.detachAppender(capture);
                logger.setAdditive(additive);
                logger.setLevel(level);
            });
        }
        fake = FakeDaemon.builder().build().start();
        daemon = MutagenDaemon.builder().socket(fake.socketPath()).build();
        gateway = MutagenGateway.builder().daemon(daemon).security(SecurityPolicy.builder().token(TOKEN).build()).build();
        // Reactor Netty reads the property once, into a static default, when its server configuration class loads:
        // load it first, so that only this bind sees the property and other tests' servers keep their access log off.
        HttpServer.create();
        System.setProperty(ReactorNetty.ACCESS_LOG_ENABLED, "true");
        try {
            server = gateway.bind(new InetSocketAddress("127.0.0.1", 0)).block(WAIT);
        } finally {
            System.clearProperty(ReactorNetty.ACCESS_LOG_ENABLED);
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (daemon != null) {
            daemon.close();
        }
        if (fake != null) {
            fake.close();
        }
        restore.forEach(Runnable::run);
        capture.stop();
    }

    @Test
    void aTokenInTheQueryIsNeverLoggedNorEchoed() throws Exception {
        String wrong = Tokens.generate();
        List<Answer> answers = List.of(
                GatewaySecurityTest.send(server, HttpMethod.GET, "/api/synchronization/sessions?token=" + TOKEN,
                        GatewaySecurityTest.accept(GatewaySecurityTest.CURL)),
                GatewaySecurityTest.send(server, HttpMethod.POST, "/api/synchronization/sessions/flush?token=" + TOKEN,
                        GatewaySecurityTest.accept(GatewaySecurityTest.CURL)),
                GatewaySecurityTest.send(server, HttpMethod.GET, "/?token=" + TOKEN,
                        GatewaySecurityTest.accept(GatewaySecurityTest.BROWSER)),
                GatewaySecurityTest.send(server, HttpMethod.GET, "/api/daemon?token=" + wrong, h -> { }),
                GatewaySecurityTest.send(server, HttpMethod.GET, "/api/synchronization/sessions?bogus=1&token=" + TOKEN,
                        h -> { }),
                GatewaySecurityTest.send(server, HttpMethod.GET, "/api/synchronization/sessions/nothing?token=" + TOKEN,
                        h -> { }),
                GatewaySecurityTest.send(server, HttpMethod.GET, "/no/such/page?token=" + TOKEN, h -> { }));
        assertThat(answers).extracting(Answer::status).containsExactly(200, 200, 303, 401, 400, 404, 404);
        for (Answer answer : answers) {
            assertThat(answer.body()).doesNotContain(TOKEN).doesNotContain(wrong);
        }
        assertThat(GatewaySecurityTest.upgrade(server, "?token=" + TOKEN, h -> { })).isEqualTo(101);
        assertThat(GatewaySecurityTest.upgrade(server, "?token=" + wrong, h -> { })).isEqualTo(401);

        // The access log writes a line once a response is complete, on the event loop.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (capture.lines.stream().filter(l -> l.contains("token=" + AccessLogs.REDACTED)).count() < answers.size()
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String log = String.join("\n", capture.lines);
        assertThat(log).as("the access log is on").contains("\"GET /api/synchronization/sessions?token=<redacted> HTTP/1.1\" 200")
                .contains("\"POST /api/synchronization/sessions/flush?token=<redacted> HTTP/1.1\" 200")
                .contains("\"GET /?token=<redacted> HTTP/1.1\" 303")
                .contains("\"GET /api/daemon?token=<redacted> HTTP/1.1\" 401");
        assertThat(log).as("the gateway's debug lines are on")
                .contains("DEBUG dev.mutagenws.internal.server.HttpReplies - GET /api/synchronization/sessions list code=0")
                .contains("refused GET /api/daemon: 401 invalid token");
        assertThat(log).doesNotContain(TOKEN).doesNotContain(wrong);
    }
}
