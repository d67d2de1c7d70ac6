package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TLS end to end with a self-signed certificate made for this test (openssl, PEM, PKCS#8 key). */
class TlsIT {

    static void selfSigned(Path cert, Path key) throws Exception {
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true).redirectOutput(cert.resolveSibling("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(cert.resolveSibling("openssl.log"))).isZero();
    }

    @Test
    void httpsAndWssWorkWithAPemCertificateAndTheCookieIsSecure() throws Exception {
        Path dir = Files.createTempDirectory("tls-it");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        selfSigned(cert, key);
        File trusted = cert.toFile();
        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("daemon.sock")).build().start();
                LauncherProcess launcher = LauncherProcess.start(dir.resolve("run"), "--listen", "127.0.0.1:0",
                        "--sock", fake.socketPath().toString(), "--tls-cert", cert.toString(), "--tls-key",
                        key.toString())) {
            List<String> lines = launcher.awaitStarted();
            assertThat(lines.get(0)).contains(" listening on https://127.0.0.1:");
            int port = launcher.port();
            String token = launcher.token();
            String base = "http://127.0.0.1:" + port; // TLS added by Http.client, see there

            Http.Answer daemon = Http.request(HttpMethod.GET, base + "/api/daemon",
                    h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token), null, trusted);
            assertThat(daemon.status()).isEqualTo(200);
            assertThat(daemon.body()).contains("\"connected\":true");

            Http.Answer exchange = Http.request(HttpMethod.GET, base + "/?token=" + token, h -> { }, null, trusted);
            assertThat(exchange.status()).isEqualTo(303);
            assertThat(exchange.headers().get(HttpHeaderNames.SET_COOKIE)).endsWith("; Secure");

            try (Ws ws = Ws.connect("ws://127.0.0.1:" + port + "/synchronization?token=" + token,
                    h -> h.set(HttpHeaderNames.ORIGIN, "https://127.0.0.1:" + port), trusted)) {
                assertThat(ws.handshakeStatus()).isEqualTo(101);
                assertThat(ws.call(1, "version", null).get("data").get("patch").asInt()).isEqualTo(1);
            }
            // Under TLS the own origin is https://...; the http:// one is another origin.
            try (Ws ws = Ws.connect("ws://127.0.0.1:" + port + "/synchronization?token=" + token,
                    h -> h.set(HttpHeaderNames.ORIGIN, "http://127.0.0.1:" + port), trusted)) {
                assertThat(ws.handshakeStatus()).isEqualTo(403);
            }
            // Plain HTTP on the TLS port gets nothing.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Http.get(base + "/healthz", h -> { }))
                    .isInstanceOf(Exception.class);
            assertThat(launcher.terminate()).isZero();
            assertThat(launcher.stderr()).doesNotContain("WARNING");
        }
    }
}
