package dev.mutagenws.internal.json;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.mutagenws.proto.filesystem.behavior.ProbeMode;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import dev.mutagenws.proto.synchronization.Configuration;
import dev.mutagenws.proto.synchronization.EndpointState;
import dev.mutagenws.proto.synchronization.ScanMode;
import dev.mutagenws.proto.synchronization.Session;
import dev.mutagenws.proto.synchronization.StageMode;
import dev.mutagenws.proto.synchronization.State;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.Version;
import dev.mutagenws.proto.synchronization.WatchMode;
import dev.mutagenws.proto.synchronization.compression.Algorithm;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.EntryKind;
import dev.mutagenws.proto.synchronization.core.PermissionsMode;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.core.SymbolicLinkMode;
import dev.mutagenws.proto.synchronization.core.SynchronizationMode;
import dev.mutagenws.proto.synchronization.core.ignore.IgnoreVCSMode;
import dev.mutagenws.proto.synchronization.core.ignore.Syntax;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.proto.url.Kind;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import java.util.Base64;

/** The messages behind the golden files, built the way the daemon would send them. */
final class Samples {
    private Samples() {
    }

    static URL local(String path) {
        return URL.newBuilder().setPath(path).build();
    }

    /** Example A of mutagen-daemon-api.md 10.9. */
    static State localWatching() {
        EndpointState endpoint = EndpointState.newBuilder()
                .setConnected(true).setScanned(true).setDirectories(2).setFiles(3).setTotalFileSize(4096).build();
        return State.newBuilder()
                .setSession(Session.newBuilder()
                        .setIdentifier("sync_3kTq0Y8wzFJ4mQyY2xVbR7cN1pLhG5sDa9eUoWiK6tB")
                        .setVersion(Version.Version1)
                        .setCreationTime(Timestamp.newBuilder().setSeconds(1718000000).setNanos(250000000))
                        .setCreatingVersionMajor(0).setCreatingVersionMinor(18).setCreatingVersionPatch(1)
                        .setAlpha(local("/home/alice/project"))
                        .setBeta(local("/tmp/project-copy"))
                        .setConfiguration(Configuration.getDefaultInstance())
                        .setConfigurationAlpha(Configuration.getDefaultInstance())
                        .setConfigurationBeta(Configuration.getDefaultInstance())
                        .setName("demo")
                        .putLabels("owner", "alice")
                        .setPaused(false))
                .setStatus(Status.Watching)
                .setSuccessfulCycles(1)
                .setAlphaState(endpoint)
                .setBetaState(endpoint)
                .build();
    }

    /** Example B: paused, SSH beta, non-default configuration, status Disconnected. */
    static State sshPaused() {
        return State.newBuilder()
                .setSession(Session.newBuilder()
                        .setIdentifier("sync_x7Qm2ZpL0aRcT5vN8yWbK3hJ6dFgS1eU4oIiE9uYtMr")
                        .setVersion(Version.Version1)
                        .setCreationTime(Timestamp.newBuilder().setSeconds(1700000100))
                        .setAlpha(local("/a"))
                        .setBeta(URL.newBuilder().setProtocol(Protocol.SSH).setUser("u").setHost("h").setPort(22).setPath("~/b"))
                        .setConfiguration(Configuration.newBuilder()
                                .setSynchronizationMode(SynchronizationMode.SynchronizationModeOneWayReplica)
                                .addIgnores("node_modules")
                                .setIgnoreVCSMode(IgnoreVCSMode.IgnoreVCSModeIgnore)
                                .setDefaultFileMode(0644))
                        .setConfigurationAlpha(Configuration.getDefaultInstance())
                        .setConfigurationBeta(Configuration.getDefaultInstance())
                        .setPaused(true))
                .setStatus(Status.Disconnected)
                .setAlphaState(EndpointState.getDefaultInstance())
                .setBetaState(EndpointState.getDefaultInstance())
                .build();
    }

    /** Example C: staging with a conflict (digests, an empty-directory old entry) and a special-character error. */
    static State conflictStaging() {
        return State.newBuilder()
                .setSession(Session.newBuilder().setIdentifier("sync_y"))
                .setStatus(Status.StagingAlpha)
                .setLastError("x <y> & z")
                .addConflicts(Conflict.newBuilder()
                        .setRoot("a.txt")
                        .addAlphaChanges(Change.newBuilder().setPath("a.txt")
                                .setNew(Entry.newBuilder().setKind(EntryKind.File).setDigest(bytes(1, 2, 3))))
                        .addBetaChanges(Change.newBuilder().setPath("a.txt")
                                .setOld(Entry.getDefaultInstance())
                                .setNew(Entry.newBuilder().setKind(EntryKind.File).setDigest(bytes(4, 5)).setExecutable(true))))
                .setAlphaState(EndpointState.newBuilder().setConnected(true)
                        .setStagingProgress(ReceiverState.newBuilder().setPath("big.bin").setReceivedSize(1024)
                                .setExpectedSize(4096).setExpectedFiles(2).setTotalReceivedSize(1024)))
                .setBetaState(EndpointState.getDefaultInstance())
                .build();
    }

    /** Capture 11: beta staging. */
    static State staging() {
        return State.newBuilder()
                .setSession(plainSession("sync_ABtnsTgI0ozfjucYNwimPbqU25XFhZ48P8FKL9HmFKB", 1795354962, 759593387, "a5", "b5", "staging"))
                .setStatus(Status.StagingBeta)
                .setAlphaState(EndpointState.newBuilder().setConnected(true).setScanned(true).setDirectories(1)
                        .setFiles(8).setTotalFileSize(402653184))
                .setBetaState(EndpointState.newBuilder().setConnected(true).setScanned(true).setDirectories(1)
                        .setStagingProgress(ReceiverState.newBuilder().setPath("big6.bin").setReceivedSize(29687808)
                                .setExpectedSize(50331648).setReceivedFiles(0).setExpectedFiles(8).setTotalReceivedSize(29687808)))
                .build();
    }

    /** Capture 10's conflict and scan problem, plus excluded counts and a transition problem at the root. */
    static State conflictAndProblem() {
        return State.newBuilder()
                .setSession(Session.newBuilder().setIdentifier("sync_rUo1saSftNf5HelDFHn7ZOZYtknXuXorxMtYe9GkzQY").setName("conflicting"))
                .setStatus(Status.Watching)
                .setSuccessfulCycles(1)
                .addConflicts(Conflict.newBuilder().setRoot("same.txt")
                        .addAlphaChanges(Change.newBuilder().setPath("same.txt").setNew(Entry.newBuilder()
                                .setKind(EntryKind.File).setDigest(base64("ybcW+O4sjlBeQwKvmCJ61M3Ph4Y="))))
                        .addBetaChanges(Change.newBuilder().setPath("same.txt").setNew(Entry.newBuilder()
                                .setKind(EntryKind.File).setDigest(base64("8/4umBAoVkhlrl+U1qc57UOajfI=")))))
                .setExcludedConflicts(3)
                .setAlphaState(EndpointState.newBuilder().setConnected(true).setScanned(true).setDirectories(1)
                        .setFiles(1).setTotalFileSize(14)
                        .addScanProblems(Problem.newBuilder().setPath("absolute-link").setError("invalid symbolic link: target is absolute"))
                        .setExcludedScanProblems(2))
                .setBetaState(EndpointState.newBuilder().setConnected(true)
                        .addTransitionProblems(Problem.newBuilder().setPath("").setError("permission denied"))
                        .setExcludedTransitionProblems(-1L)) // 2^64-1 as an unsigned 64-bit value
                .build();
    }

    static Session plainSession(String id, long seconds, int nanos, String a, String b, String name) {
        return Session.newBuilder()
                .setIdentifier(id)
                .setVersion(Version.Version1)
                .setCreationTime(Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos))
                .setCreatingVersionMinor(18).setCreatingVersionPatch(1)
                .setAlpha(local("/home/dev/projects/" + a))
                .setBeta(local("/home/dev/projects/" + b))
                .setConfiguration(Configuration.getDefaultInstance())
                .setConfigurationAlpha(Configuration.getDefaultInstance())
                .setConfigurationBeta(Configuration.getDefaultInstance())
                .setName(name)
                .build();
    }

    static Session session() {
        return Session.newBuilder()
                .setIdentifier("sync_Session1234567890abcdefghijklmnopqrstuvwxyzA")
                .setVersion(Version.Version1)
                .setCreationTime(Timestamp.newBuilder().setSeconds(1795354960).setNanos(1))
                .setCreatingVersionMajor(1).setCreatingVersionMinor(2).setCreatingVersionPatch(3)
                .setAlpha(local("/home/dev/site"))
                .setBeta(URL.newBuilder().setProtocol(Protocol.Docker).setUser("www").setHost("web-1").setPath("/srv/site")
                        .putEnvironment("DOCKER_HOST", "ssh://ops@host").putEnvironment("DOCKER_CONTEXT", "remote"))
                .setConfiguration(Configuration.newBuilder()
                        .setSynchronizationMode(SynchronizationMode.SynchronizationModeTwoWayResolved)
                        .addIgnores(".cache").addIgnores("*.tmp"))
                .setConfigurationAlpha(Configuration.newBuilder().setWatchMode(WatchMode.WatchModeNoWatch))
                .setConfigurationBeta(Configuration.newBuilder().setDefaultOwner("www-data"))
                .setName("site")
                .putLabels("team", "web").putLabels("env", "dev").putLabels("owner", "alice")
                .setPaused(true)
                .build();
    }

    static URL sshUrl() {
        return URL.newBuilder().setProtocol(Protocol.SSH).setUser("alice").setHost("example.com").setPort(2222)
                .setPath("~/site").build();
    }

    static URL dockerUrl() {
        return URL.newBuilder()
                .setKind(Kind.Forwarding)
                .setProtocol(Protocol.Docker)
                .setUser("root")
                .setHost("db")
                .setPath("tcp:localhost:5432")
                .putEnvironment("DOCKER_TLS_VERIFY", "1")
                .putEnvironment("DOCKER_HOST", "tcp://10.0.0.2:2376")
                .putEnvironment("DOCKER_CERT_PATH", "/certs")
                .putParameters("shell", "/bin/sh")
                .putParameters("context", "prod")
                .build();
    }

    /** Every enum set to a non-default value; builder calls deliberately not in declaration order. */
    static Configuration configurationAll() {
        return Configuration.newBuilder()
                .setCompressionAlgorithm(Algorithm.AlgorithmZstandard)
                .setDefaultGroup("wheel")
                .setDefaultOwner("root")
                .setDefaultDirectoryMode(0755)
                .setDefaultFileMode(0644)
                .setPermissionsMode(PermissionsMode.PermissionsModePortable)
                .setIgnoreVCSMode(IgnoreVCSMode.IgnoreVCSModePropagate)
                .addIgnores("*.log").addIgnores("node_modules")
                .addDefaultIgnores(".git")
                .setIgnoreSyntax(Syntax.SyntaxDocker)
                .setWatchPollingInterval(-1) // 2^32-1 as an unsigned 32-bit value
                .setWatchMode(WatchMode.WatchModeForcePoll)
                .setSymbolicLinkMode(SymbolicLinkMode.SymbolicLinkModePOSIXRaw)
                .setStageMode(StageMode.StageModeInternal)
                .setScanMode(ScanMode.ScanModeFull)
                .setProbeMode(ProbeMode.ProbeModeAssume)
                .setMaximumStagingFileSize(-1L) // 2^64-1
                .setMaximumEntryCount(10000)
                .setHashingAlgorithm(dev.mutagenws.proto.synchronization.hashing.Algorithm.AlgorithmXXH128)
                .setSynchronizationMode(SynchronizationMode.SynchronizationModeTwoWayResolved)
                .build();
    }

    /** Every enum explicitly at its Default: all omitted. */
    static Configuration configurationDefaults() {
        return Configuration.newBuilder()
                .setSynchronizationMode(SynchronizationMode.SynchronizationModeDefault)
                .setHashingAlgorithm(dev.mutagenws.proto.synchronization.hashing.Algorithm.AlgorithmDefault)
                .setMaximumEntryCount(500)
                .setProbeMode(ProbeMode.ProbeModeDefault)
                .setScanMode(ScanMode.ScanModeDefault)
                .setStageMode(StageMode.StageModeDefault)
                .setSymbolicLinkMode(SymbolicLinkMode.SymbolicLinkModeDefault)
                .setWatchMode(WatchMode.WatchModeDefault)
                .setIgnoreSyntax(Syntax.SyntaxDefault)
                .addIgnores("vendor")
                .setIgnoreVCSMode(IgnoreVCSMode.IgnoreVCSModeDefault)
                .setPermissionsMode(PermissionsMode.PermissionsModeDefault)
                .setDefaultGroup("staff")
                .setCompressionAlgorithm(Algorithm.AlgorithmDefault)
                .build();
    }

    static CreationSpecification creationSpecification() {
        return CreationSpecification.newBuilder()
                .setAlpha(local("/home/alice/site"))
                .setBeta(URL.newBuilder().setProtocol(Protocol.SSH).setUser("alice").setHost("example.com").setPath("~/site"))
                .setConfiguration(Configuration.newBuilder()
                        .setSynchronizationMode(SynchronizationMode.SynchronizationModeOneWaySafe)
                        .addIgnores("*.log")
                        .setIgnoreVCSMode(IgnoreVCSMode.IgnoreVCSModeIgnore))
                .setConfigurationAlpha(Configuration.getDefaultInstance())
                .setConfigurationBeta(Configuration.newBuilder().setDefaultOwner("www")
                        .setCompressionAlgorithm(Algorithm.AlgorithmDeflate))
                .setName("web")
                .putLabels("team", "core").putLabels("env", "dev")
                .setPaused(true)
                .build();
    }

    static ListResponse listSeveral() {
        Session.Builder base = Session.newBuilder().setVersion(Version.Version1)
                .setConfiguration(Configuration.getDefaultInstance())
                .setConfigurationAlpha(Configuration.getDefaultInstance())
                .setConfigurationBeta(Configuration.getDefaultInstance());
        EndpointState scanned = EndpointState.newBuilder().setConnected(true).setScanned(true).setDirectories(1).build();
        return ListResponse.newBuilder()
                .setStateIndex(27)
                .addSessionStates(State.newBuilder()
                        .setSession(base.clone().setIdentifier("sync_one").setAlpha(local("/a1")).setBeta(local("/b1")).setName("one"))
                        .setStatus(Status.Watching).setSuccessfulCycles(5)
                        .setAlphaState(scanned).setBetaState(scanned))
                .addSessionStates(State.newBuilder()
                        .setSession(base.clone().setIdentifier("sync_two").setAlpha(local("/a2")).setBeta(local("/b2")).setPaused(true))
                        .setAlphaState(EndpointState.getDefaultInstance()).setBetaState(EndpointState.getDefaultInstance()))
                .addSessionStates(State.newBuilder()
                        .setSession(base.clone().setIdentifier("sync_three").setAlpha(local("/a3"))
                                .setBeta(URL.newBuilder().setProtocol(Protocol.SSH).setHost("remote").setPath("~/b3"))
                                .putLabels("k", "v"))
                        .setStatus(Status.ConnectingBeta)
                        .setLastError("unable to connect to beta: ssh: exit status 255")
                        .setAlphaState(EndpointState.newBuilder().setConnected(true))
                        .setBetaState(EndpointState.getDefaultInstance()))
                .build();
    }

    /**
     * One session in each of the 14 statuses, with the endpoint states the daemon reports in it: nothing while
     * disconnected or connecting to alpha, alpha connected while connecting to beta, scanned endpoints from
     * then on, staging progress on the receiving side while staging.
     */
    static ListResponse listEveryStatus() {
        Session.Builder base = Session.newBuilder().setVersion(Version.Version1)
                .setAlpha(local("/a")).setBeta(local("/b"))
                .setConfiguration(Configuration.getDefaultInstance())
                .setConfigurationAlpha(Configuration.getDefaultInstance())
                .setConfigurationBeta(Configuration.getDefaultInstance());
        EndpointState scanned = EndpointState.newBuilder().setConnected(true).setScanned(true).setDirectories(1).build();
        ReceiverState progress = ReceiverState.newBuilder().setPath("big.bin").setReceivedSize(1024)
                .setExpectedSize(4096).setExpectedFiles(1).setTotalReceivedSize(1024).build();
        ListResponse.Builder list = ListResponse.newBuilder().setStateIndex(40);
        for (Status status : Status.values()) {
            if (status == Status.UNRECOGNIZED) {
                continue;
            }
            int n = status.getNumber();
            State.Builder state = State.newBuilder().setSession(base.clone().setIdentifier("sync_s" + n))
                    .setStatus(status);
            if (status == Status.Disconnected || status == Status.ConnectingAlpha) {
                state.setAlphaState(EndpointState.getDefaultInstance()).setBetaState(EndpointState.getDefaultInstance());
            } else if (status == Status.ConnectingBeta) {
                state.setAlphaState(EndpointState.newBuilder().setConnected(true))
                        .setBetaState(EndpointState.getDefaultInstance());
            } else {
                state.setAlphaState(scanned).setBetaState(scanned);
            }
            if (status == Status.Watching) {
                state.setSuccessfulCycles(1);
            }
            if (status == Status.StagingAlpha) {
                state.setAlphaState(scanned.toBuilder().setStagingProgress(progress));
            }
            if (status == Status.StagingBeta) {
                state.setBetaState(scanned.toBuilder().setStagingProgress(progress));
            }
            list.addSessionStates(state);
        }
        return list.build();
    }

    static Entry entryTree() {
        return Entry.newBuilder()
                .setKind(EntryKind.Directory)
                .putContents("weird", Entry.newBuilder().setKind(EntryKind.Problematic)
                        .setProblem("unable to read: permission denied").build())
                .putContents("socket", Entry.newBuilder().setKind(EntryKind.Untracked).build())
                .putContents("phantom", Entry.newBuilder().setKind(EntryKind.PhantomDirectory).build())
                .putContents("link", Entry.newBuilder().setKind(EntryKind.SymbolicLink).setTarget("README.md").build())
                .putContents("empty", Entry.getDefaultInstance())
                .putContents("bin", Entry.newBuilder().putContents("tool", Entry.newBuilder().setKind(EntryKind.File)
                        .setDigest(bytes(0)).setExecutable(true).build()).build())
                .putContents("README.md", Entry.newBuilder().setKind(EntryKind.File)
                        .setDigest(bytes(0xde, 0xad, 0xbe, 0xef)).setExecutable(true).build())
                .build();
    }

    static ByteString bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteString.copyFrom(b);
    }

    static ByteString base64(String s) {
        return ByteString.copyFrom(Base64.getDecoder().decode(s));
    }
}
