package dev.mutagenws.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mutagenws.testkit.FakeDaemon;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** TLS end to end with self-signed certificates made for this test (openssl; PKCS#8, PKCS#1 and SEC1 keys). */
class TlsIT {

    static void selfSigned(Path cert, Path key) throws Exception {
        selfSigned(cert, key, "rsa:2048");
    }

    /** A certificate for 127.0.0.1 and its key (PKCS#8 PEM, as openssl req writes it) for {@code newKey}. */
    static void selfSigned(Path cert, Path key, String newKey, String... keyOptions) throws Exception {
        List<String> command = new ArrayList<>(List.of("req", "-x509", "-newkey", newKey));
        for (String option : keyOptions) {
            command.addAll(List.of("-pkeyopt", option));
        }
        command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"));
        openssl(cert.resolveSibling("openssl.log"), command.toArray(String[]::new));
    }

    static void openssl(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(Files.readString(log)).isZero();
    }

    @Test
    void keysInOpenSslsOtherPemFormsWorkAndAnEncryptedOneIsAClearFlagError() throws Exception {
        Path dir = Files.createTempDirectory("tls-keys-it");
        Path rsaCert = dir.resolve("rsa-cert.pem");
        Path rsaKey = dir.resolve("rsa-key.pem");
        selfSigned(rsaCert, rsaKey);
        Path pkcs1 = dir.resolve("rsa-pkcs1.pem");
        openssl(dir.resolve("pkcs1.log"), "rsa", "-in", rsaKey.toString(), "-traditional", "-out", pkcs1.toString());
        Path ecCert = dir.resolve("ec-cert.pem");
        Path ecKey = dir.resolve("ec-key.pem");
        selfSigned(ecCert, ecKey, "ec", "ec_paramgen_curve:prime256v1");
        Path sec1 = dir.resolve("ec-sec1.pem");
        openssl(dir.resolve("sec1.log"), "ec", "-in", ecKey.toString(), "-out", sec1.toString());
        assertThat(Files.readString(pkcs1)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(sec1)).startsWith("-----BEGIN EC PRIVATE KEY-----");

        try (FakeDaemon fake = FakeDaemon.builder().socketPath(dir.resolve("daemon.sock")).build().start()) {
            for (Path[] pair : List.of(new Path[] {rsaCert, pkcs1}, new Path[] {ecCert, sec1}, new Path[] {ecCert, ecKey})) {
                try (LauncherProcess launcher = LauncherProcess.start(dir.resolve("run-" + pair[1].getFileName()),
                        "--listen", "127.0.0.1:0", "--sock", fake.socketPath().toString(),
                        "--tls-cert", pair[0].toString(), "--tls-key", pair[1].toString())) {
                    launcher.awaitStarted();
                    Http.Answer health = Http.request(HttpMethod.GET, "http://127.0.0.1:" + launcher.port() + "/healthz",
                            h -> { }, null, pair[0].toFile());
                    assertThat(health.status()).as(pair[1].getFileName().toString()).isEqualTo(200);
                    assertThat(launcher.terminate()).isZero();
                }
            }
        }

        Path encrypted = dir.resolve("encrypted.pem");
        openssl(dir.resolve("enc.log"), "pkcs8", "-topk8", "-in", rsaKey.toString(), "-out", encrypted.toString(),
                "-passout", "pass:secret");
        LauncherProcess.Result refused = LauncherProcess.run(dir.resolve("enc"), Map.of(), "--listen",
                "127.0.0.1:0", "--tls-cert", rsaCert.toString(), "--tls-key", encrypted.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr().strip()).startsWith("mutagen-ws: Invalid value for option '--tls-key': ")
                .contains("the key is encrypted").hasLineCount(1);
        // A key that is not the certificate's is refused before anything starts.
        LauncherProcess.Result mismatch = LauncherProcess.run(dir.resolve("mismatch"), Map.of(), "--listen",
                "127.0.0.1:0", "--tls-cert", rsaCert.toString(), "--tls-key", sec1.toString());
        assertThat(mismatch.exitCode()).isEqualTo(2);
        assertThat(mismatch.stderr().strip()).isEqualTo("mutagen-ws: Invalid value for option '--tls-key': " + sec1
                + " is not the key of the certificate in " + rsaCert + " (see --help)");
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

            Http.Answer exchange = Http.request(HttpMethod.GET, base + "/?token=" + token,
                    h -> h.set(HttpHeaderNames.ACCEPT, "text/html"), null, trusted); // a browser opening the link
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
            Assertions.assertThatThrownBy(() -> Http.get(base + "/healthz", h -> { }))
                    .isInstanceOf(Exception.class);
            assertThat(launcher.terminate()).isZero();
            assertThat(launcher.stderr()).doesNotContain("WARNING");
        }
    }
}
