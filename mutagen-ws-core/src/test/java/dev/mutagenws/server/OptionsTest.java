package dev.mutagenws.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mutagenws.daemon.DaemonSocket;
import dev.mutagenws.server.security.SecurityPolicy;
import dev.mutagenws.state.StateOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;

/** The options types an embedder builds: defaults, {@code toBuilder()} copies, refusals naming what is wrong. */
class OptionsTest {

    @Test
    void gatewayOptionsDefaultToTheDocumentedValues() {
        GatewayOptions o = GatewayOptions.defaults();
        assertThat(o.maxFrameSize()).isEqualTo(1024 * 1024);
        assertThat(o.maxInFlight()).isEqualTo(64);
        assertThat(o.promptTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(o.longPollTimeout()).isEqualTo(Duration.ofSeconds(30))
                .isEqualTo(GatewayOptions.DEFAULT_LONG_POLL_TIMEOUT);
        assertThat(o.maxLongPollTimeout()).isEqualTo(Duration.ofMinutes(10))
                .isEqualTo(GatewayOptions.MAX_LONG_POLL_TIMEOUT);
        assertThat(o.maxSubscriptions()).isEqualTo(16);
        assertThat(o.keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(o.availabilityWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(o.shutdownGrace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void gatewayOptionsToBuilderCopiesEveryOption() {
        GatewayOptions o = GatewayOptions.builder().maxFrameSize(4096).maxInFlight(3)
                .promptTimeout(Duration.ofSeconds(7)).longPollTimeout(Duration.ofSeconds(11))
                .maxLongPollTimeout(Duration.ofSeconds(12)).maxSubscriptions(5).keepAlive(Duration.ofSeconds(13))
                .availabilityWait(Duration.ofSeconds(14))
                .shutdownGrace(Duration.ZERO).build();
        GatewayOptions copy = o.toBuilder().build();
        assertThat(copy).usingRecursiveComparison().isEqualTo(o);
        assertThat(copy.toBuilder().maxInFlight(9).build().maxInFlight()).isEqualTo(9);
        assertThat(o.maxInFlight()).isEqualTo(3);
    }

    @Test
    void gatewayOptionsRefuseNullsByNameAndBadValuesWithTheValue() {
        GatewayOptions.Builder b = GatewayOptions.builder();
        assertThatThrownBy(() -> b.promptTimeout(null)).hasMessage("promptTimeout");
        assertThatThrownBy(() -> b.longPollTimeout(null)).hasMessage("longPollTimeout");
        assertThatThrownBy(() -> b.maxLongPollTimeout(null)).hasMessage("maxLongPollTimeout");
        assertThatThrownBy(() -> b.keepAlive(null)).hasMessage("keepAlive");
        assertThatThrownBy(() -> b.availabilityWait(null)).hasMessage("availabilityWait");
        assertThatThrownBy(() -> b.shutdownGrace(null)).hasMessage("shutdownGrace");
        assertThatThrownBy(() -> b.promptTimeout(Duration.ZERO))
                .hasMessage("prompt timeout must be positive, got PT0S");
        assertThatThrownBy(() -> b.availabilityWait(Duration.ofSeconds(-1)))
                .hasMessage("availability wait must be positive, got PT-1S");
        assertThatThrownBy(() -> b.shutdownGrace(Duration.ofMillis(-1)))
                .hasMessage("shutdown grace must not be negative, got PT-0.001S");
        assertThatThrownBy(() -> GatewayOptions.builder().longPollTimeout(Duration.ofMinutes(11)).build())
                .hasMessage("long-poll timeout PT11M exceeds the maximum PT10M");
        assertThat(GatewayOptions.builder().longPollTimeout(Duration.ofMinutes(11))
                .maxLongPollTimeout(Duration.ofMinutes(20)).build().longPollTimeout())
                .isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void stateOptionsToBuilderCopiesEveryOptionAndNullsAreRefusedByName() {
        StateOptions o = StateOptions.builder().minInterval(Duration.ofMillis(7))
                .backoff(Duration.ofMillis(8), Duration.ofMillis(9)).jitter(0.25).linger(Duration.ZERO).maxPending(3)
                .scheduler(Schedulers.single()).build();
        assertThat(o.toBuilder().build()).usingRecursiveComparison().isEqualTo(o);
        assertThat(StateOptions.defaults().toBuilder().build()).usingRecursiveComparison()
                .isEqualTo(StateOptions.defaults());
        StateOptions.Builder b = StateOptions.builder();
        assertThatThrownBy(() -> b.minInterval(null)).hasMessage("minInterval");
        assertThatThrownBy(() -> b.backoff(Duration.ofMillis(1), null)).hasMessage("backoff maximum");
        assertThatThrownBy(() -> b.backoff(null, Duration.ofMillis(1))).hasMessage("backoff minimum");
        assertThatThrownBy(() -> b.linger(null)).hasMessage("linger");
        assertThatThrownBy(() -> b.scheduler(null)).hasMessage("scheduler");
    }

    @Test
    void theGatewaysLiveStateUsesTheStateOptionsGiven() {
        DaemonSocket nowhere = DaemonSocket.of(Path.of("/nonexistent/daemon.sock"));
        StateOptions given = StateOptions.builder().minInterval(Duration.ofMillis(200)).build();
        MutagenGateway gateway = MutagenGateway.builder().socket(nowhere).stateOptions(given).build();
        MutagenGateway byDefault = MutagenGateway.builder().socket(nowhere).build();
        try {
            assertThat(gateway.states().options()).isSameAs(given);
            assertThat(byDefault.states().options().minInterval()).isEqualTo(StateOptions.DEFAULT_MIN_INTERVAL);
        } finally {
            gateway.shutdown().block(Duration.ofSeconds(10));
            byDefault.shutdown().block(Duration.ofSeconds(10));
        }
        assertThatThrownBy(() -> MutagenGateway.builder().stateOptions(null)).hasMessage("stateOptions");
    }

    @Test
    void securityPolicyToBuilderKeepsTheTokenAndEverythingElse() {
        SecurityPolicy policy = SecurityPolicy.builder().token("a-token-of-twenty-chars").allowHost("box.example")
                .allowOrigin("http://localhost:3000").tls(true).build();
        SecurityPolicy copy = policy.toBuilder().build();
        assertThat(copy.token()).isEqualTo(policy.token());
        assertThat(copy.matchesToken("a-token-of-twenty-chars")).isTrue();
        assertThat(copy.allowedHosts()).isEqualTo(Set.of("box.example"));
        assertThat(copy.allowedOrigins()).isEqualTo(Set.of("http://localhost:3000"));
        assertThat(copy.tls()).isTrue();
        assertThat(policy.toBuilder().allowHost("other.example").build().allowedHosts())
                .containsExactlyInAnyOrder("box.example", "other.example");
        assertThat(policy.allowedHosts()).containsExactly("box.example");
        SecurityPolicy open = SecurityPolicy.unauthenticatedLocalOnly().toBuilder().build();
        assertThat(open.requiresToken()).isFalse();

        SecurityPolicy.Builder b = SecurityPolicy.builder();
        assertThatThrownBy(() -> b.token(null)).hasMessage("token");
        assertThatThrownBy(() -> b.allowHost(null)).hasMessage("host");
        assertThatThrownBy(() -> b.allowHosts(null)).hasMessage("hosts");
        assertThatThrownBy(() -> b.allowOrigin(null)).hasMessage("origin");
        assertThatThrownBy(() -> b.allowOrigins(null)).hasMessage("origins");
    }
}
