package dev.mutagenws.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.File;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/** A plain HTTP(S) client for the process tests: one request, the whole answer. */
final class Http {
    static final Duration WAIT = Duration.ofSeconds(10);

    private Http() {
    }

    record Answer(int status, HttpHeaders headers, String body) {
        /** The body as JSON (every answer of the gateway but the dashboard's files is). */
        JsonNode json() {
            try {
                return Ws.JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    /**
     * A client; with a certificate, TLS trusting only it. The SslHandler is added by hand (and URLs stay http:// and
     * ws://) because Reactor Netty's own client TLS setup needs the QUIC classes, which this build excludes.
     *
     * <p>Each request gets a connection of its own, as curl's do: under load, back-to-back requests on one kept-alive
     * connection were seen to stall for good in Reactor Netty 1.3.7's server (the server stopped reading the
     * connection after a quickly answered request, which matches reactor/reactor-netty#4361). These tests are about
     * the launcher, not about that.
     */
    static HttpClient client(File trustedCertificate) {
        HttpClient client = HttpClient.newConnection();
        if (trustedCertificate != null) {
            SslContext context;
            try {
                context = SslContextBuilder.forClient().trustManager(trustedCertificate).build();
            } catch (SSLException e) {
                throw new IllegalStateException(e);
            }
            client = client.doOnChannelInit((observer, channel, address) -> {
                InetSocketAddress remote = (InetSocketAddress) address;
                SslHandler tls = context.newHandler(channel.alloc(), remote.getHostString(), remote.getPort());
                SSLParameters parameters = tls.engine().getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS"); // check the certificate names 127.0.0.1
                tls.engine().setSSLParameters(parameters);
                channel.pipeline().addFirst(tls);
            });
        }
        return client;
    }

    static Answer get(String url, Consumer<HttpHeaders> headers) {
        return request(HttpMethod.GET, url, headers, null, null);
    }

    static Answer request(HttpMethod method, String url, Consumer<HttpHeaders> headers, String body,
            File trustedCertificate) {
        return client(trustedCertificate)
                .headers(headers)
                .request(method)
                .uri(url)
                .send(body == null ? Mono.empty() : ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString().defaultIfEmpty("")
                        .map(text -> new Answer(response.status().code(), response.responseHeaders(), text)))
                .block(WAIT);
    }
}
