package dev.mutagenws.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DaemonSocketTest {
    private static final Path HOME = Paths.get("/home/alice");

    @Test
    void defaultsToTheHomeDataDirectory() {
        assertThat(DaemonSocket.resolve(null, Map.of(), HOME).path())
                .isEqualTo(Paths.get("/home/alice/.mutagen/daemon/daemon.sock"));
        assertThat(DaemonSocket.resolve("  ", Map.of(), HOME).path())
                .isEqualTo(Paths.get("/home/alice/.mutagen/daemon/daemon.sock"));
    }

    @Test
    void dataDirectoryVariableWinsOverHome() {
        assertThat(DaemonSocket.resolve(null, Map.of("MUTAGEN_DATA_DIRECTORY", "/var/mutagen"), HOME).path())
                .isEqualTo(Paths.get("/var/mutagen/daemon/daemon.sock"));
    }

    @Test
    void explicitLocationWinsOverEverything() {
        Map<String, String> env = Map.of("MUTAGEN_DATA_DIRECTORY", "/var/mutagen");
        assertThat(DaemonSocket.resolve("/run/d.sock", env, HOME).path()).isEqualTo(Paths.get("/run/d.sock"));
        assertThat(DaemonSocket.resolve("unix:/run/d.sock", env, HOME).path()).isEqualTo(Paths.get("/run/d.sock"));
        assertThat(DaemonSocket.resolve("unix:///run/d.sock", env, HOME).path()).isEqualTo(Paths.get("/run/d.sock"));
        assertThat(DaemonSocket.resolve("~/x/d.sock", env, HOME).path())
                .isEqualTo(Paths.get("/home/alice/x/d.sock"));
        assertThat(DaemonSocket.resolve("unix:~/x/d.sock", env, HOME).path())
                .isEqualTo(Paths.get("/home/alice/x/d.sock"));
    }

    @Test
    void relativeExplicitPathsAreMadeAbsolute() {
        assertThat(DaemonSocket.resolve("d.sock", Map.of(), HOME).path())
                .isEqualTo(Paths.get("d.sock").toAbsolutePath().normalize());
    }

    @Test
    void unusableLocationsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> DaemonSocket.resolve("unix:", Map.of(), HOME))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("daemon socket location has no path: unix:");
        assertThatThrownBy(() -> DaemonSocket.resolve(null, Map.of("MUTAGEN_DATA_DIRECTORY", ""), HOME))
                .hasMessage("provided data directory path is empty");
        assertThatThrownBy(() -> DaemonSocket.resolve(null, Map.of("MUTAGEN_DATA_DIRECTORY", "rel/dir"), HOME))
                .hasMessage("provided data directory path is not absolute");
    }

    @Test
    void selectionsRejectEmptyInputWithTheReason() {
        assertThatThrownBy(() -> SessionSelection.of(List.of()))
                .hasMessage("a selection needs at least one session identifier or name");
        assertThatThrownBy(() -> SessionSelection.of("a", "")).hasMessage("session identifier or name 1 is empty");
        assertThatThrownBy(() -> SessionSelection.labels(" ")).hasMessage("the label selector is empty");
        assertThat(SessionSelection.of("a", "b").toProto().getSpecificationsList()).containsExactly("a", "b");
        assertThat(SessionSelection.labels("k=v").toProto().getLabelSelector()).isEqualTo("k=v");
        assertThat(SessionSelection.all().toProto().getAll()).isTrue();
    }
}
