package dev.mutagenws.testkit;

import static dev.mutagenws.testkit.TestClient.all;
import static dev.mutagenws.testkit.TestClient.local;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.sun.security.auth.module.UnixSystem;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What Create stores (facts §7.3) and how List orders it (§5.3). */
class StoredSessionTest {
    /** A clock the test moves by hand. */
    static final class SettableClock extends Clock {
        volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void creationTimeComesFromTheClockAndListIsOrderedByIt() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-22T13:58:20.123456789Z"));
        try (FakeDaemon daemon = FakeDaemon.builder().manualLifecycle(true).clock(clock).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            c.create(h.id(), TestClient.localSpec("late").setPaused(true));
            clock.now = Instant.parse("2026-11-22T13:58:20.123456788Z"); // one nanosecond earlier
            c.create(h.id(), TestClient.localSpec("early").setPaused(true));
            clock.now = Instant.parse("2020-01-01T00:00:00Z");
            c.create(h.id(), TestClient.localSpec("earliest").setPaused(true));

            List<State> listed = c.list(all(), 0).getSessionStatesList();
            assertThat(listed).extracting(s -> s.getSession().getName()).containsExactly("earliest", "early", "late");
            assertThat(listed.get(2).getSession().getCreationTime()).isEqualTo(Timestamp.newBuilder()
                    .setSeconds(Instant.parse("2026-11-22T13:58:20Z").getEpochSecond()).setNanos(123456789).build());
            assertThat(listed.get(0).getSession().getCreationTime()).isEqualTo(Timestamp.newBuilder()
                    .setSeconds(Instant.parse("2020-01-01T00:00:00Z").getEpochSecond()).build());
        }
    }

    @Test
    void everyCreationFieldIsStoredExactlyAsSent() throws Exception {
        Configuration base = Configuration.newBuilder()
                .setSynchronizationModeValue(2).setHashingAlgorithmValue(2).setMaximumEntryCount(500)
                .setMaximumStagingFileSize(1L << 30).setProbeModeValue(2).setScanModeValue(2).setStageModeValue(2)
                .setSymbolicLinkModeValue(2).setWatchModeValue(2).setWatchPollingInterval(7).setIgnoreSyntaxValue(1)
                .addDefaultIgnores("*.bak").addIgnores("*.tmp").addIgnores("node_modules/").setIgnoreVCSModeValue(1)
                .setPermissionsModeValue(2).setDefaultFileMode(0644).setDefaultDirectoryMode(0755)
                .setDefaultOwner("alice").setDefaultGroup("staff").setCompressionAlgorithmValue(1).build();
        Configuration alpha = Configuration.newBuilder()
                .setMaximumEntryCount(9).setMaximumStagingFileSize(5).setProbeModeValue(1).setScanModeValue(1)
                .setStageModeValue(3).setWatchModeValue(3).setWatchPollingInterval(3).setDefaultFileMode(0600)
                // The local alpha resolves its owner and group on this machine: ids that always exist here.
                .setDefaultDirectoryMode(0700)
                .setDefaultOwner("id:" + new UnixSystem().getUid()).setDefaultGroup("id:0")
                .setCompressionAlgorithmValue(2).build();
        Configuration beta = Configuration.newBuilder()
                .setStageModeValue(1).setWatchModeValue(1).setWatchPollingInterval(60).setDefaultOwner("carol")
                .build();
        URL remote = URL.newBuilder().setProtocol(Protocol.SSH).setUser("deploy").setHost("example.com").setPort(2222)
                .setPath("~/site").build();
        CreationSpecification spec = CreationSpecification.newBuilder()
                .setAlpha(local("/home/dev/alpha")).setBeta(remote)
                .setConfiguration(base).setConfigurationAlpha(alpha).setConfigurationBeta(beta)
                .setName("stored").putLabels("team", "web").putLabels("tier", "1").setPaused(false).build();
        try (FakeDaemon daemon = FakeDaemon.builder().manualLifecycle(true).build().start();
             TestClient c = new TestClient(daemon.socketPath()); TestClient.Host h = c.host(true)) {
            String id = c.create(h.id(), spec.toBuilder());
            Session s = c.list(all(), 0).getSessionStates(0).getSession();
            assertThat(s.getIdentifier()).isEqualTo(id);
            assertThat(s.getAlpha()).isEqualTo(spec.getAlpha());
            assertThat(s.getBeta()).isEqualTo(remote);
            assertThat(s.getConfiguration()).isEqualTo(base);
            assertThat(s.getConfigurationAlpha()).isEqualTo(alpha);
            assertThat(s.getConfigurationBeta()).isEqualTo(beta);
            assertThat(s.getName()).isEqualTo("stored");
            assertThat(s.getLabelsMap()).containsExactlyInAnyOrderEntriesOf(spec.getLabelsMap());
            assertThat(s.getPaused()).isFalse();
            // Every field of every configuration was set, so a field the fake dropped would show up here.
            for (var field : Configuration.getDescriptor().getFields()) {
                assertThat(field.isRepeated() ? s.getConfiguration().getRepeatedFieldCount(field) > 0
                        : s.getConfiguration().hasField(field)).as("base %s", field.getName()).isTrue();
            }
        }
    }
}
