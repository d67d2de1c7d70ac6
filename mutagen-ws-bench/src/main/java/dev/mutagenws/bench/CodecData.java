package dev.mutagenws.bench;

import com.google.protobuf.ByteString;
import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.EntryKind;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.testkit.FakeDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The codec benchmark's input: a ListResponse of N sessions as the FakeDaemon lists them, with
 * every tenth session given conflicts and problems, every third a staging progress and an error
 * (so nested messages, repeated fields, maps and enums all appear).
 */
final class CodecData {
    static final String PROPERTY = "bench.codec.input";

    private CodecData() {
    }

    static ListResponse build(int n) {
        try (FakeDaemon fake = FakeDaemon.builder().build().start()) {
            Sessions.create(fake, n, true);
            ListResponse listed;
            try (MutagenDaemon client = MutagenDaemon.builder().socket(fake.socketPath()).build()) {
                listed = client.list(SessionSelection.all(), 0).block(Duration.ofSeconds(60));
            }
            ListResponse.Builder b = listed.toBuilder();
            for (int i = 0; i < b.getSessionStatesCount(); i++) {
                State.Builder s = b.getSessionStatesBuilder(i);
                s.setSuccessfulCycles(i * 7L);
                if (i % 3 == 0) {
                    s.setStatus(Status.StagingBeta).setLastError("unable to stage: permission denied for \"dir/<x>\"");
                    s.getBetaStateBuilder().setConnected(true).setScanned(true).setFiles(1000 + i).setDirectories(40)
                            .setTotalFileSize(123_456_789L * i)
                            .setStagingProgress(ReceiverState.newBuilder().setPath("src/main/file-" + i + ".txt")
                                    .setReceivedSize(4096).setExpectedSize(65536).setReceivedFiles(3)
                                    .setExpectedFiles(12).setTotalReceivedSize(1 << 20));
                } else {
                    s.setStatus(Status.Watching);
                }
                s.getAlphaStateBuilder().setConnected(true).setScanned(true).setFiles(1000 + i).setDirectories(40);
                if (i % 10 == 0) {
                    Entry file = Entry.newBuilder().setKind(EntryKind.File)
                            .setDigest(ByteString.copyFrom(new byte[20])).setExecutable(true).build();
                    s.addConflicts(Conflict.newBuilder().setRoot("docs/ünïcode-" + i)
                            .addAlphaChanges(Change.newBuilder().setPath("docs/ünïcode-" + i + "/a.md").setNew(file))
                            .addBetaChanges(Change.newBuilder().setPath("docs/ünïcode-" + i + "/a.md")
                                    .setOld(file).setNew(Entry.newBuilder().setKind(EntryKind.Directory))));
                    s.getAlphaStateBuilder().addScanProblems(Problem.newBuilder().setPath("broken-link-" + i)
                            .setError("unable to read symbolic link target"));
                    s.setExcludedConflicts(2);
                }
            }
            return b.build();
        }
    }

    /** Writes the data to a temp file for forked JMH JVMs. */
    static Path write(ListResponse list) throws IOException {
        Path f = Files.createTempFile("mutagen-ws-bench-codec", ".pb");
        Files.write(f, list.toByteArray());
        f.toFile().deleteOnExit();
        return f;
    }

    /** In a JMH JVM: the file named by the system property, or freshly built data. */
    static ListResponse load(int n) throws IOException {
        String path = System.getProperty(PROPERTY);
        if (path != null) {
            return ListResponse.parseFrom(Files.readAllBytes(Path.of(path)));
        }
        return build(n);
    }
}
