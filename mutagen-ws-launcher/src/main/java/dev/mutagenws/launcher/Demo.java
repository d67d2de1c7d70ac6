package dev.mutagenws.launcher;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.prompting.Prompter;
import dev.mutagenws.proto.service.synchronization.CreationSpecification;
import dev.mutagenws.proto.synchronization.Status;
import dev.mutagenws.proto.synchronization.core.Change;
import dev.mutagenws.proto.synchronization.core.Conflict;
import dev.mutagenws.proto.synchronization.core.Entry;
import dev.mutagenws.proto.synchronization.core.EntryKind;
import dev.mutagenws.proto.synchronization.core.Problem;
import dev.mutagenws.proto.synchronization.rsync.ReceiverState;
import dev.mutagenws.proto.url.Protocol;
import dev.mutagenws.proto.url.URL;
import dev.mutagenws.testkit.Endpoint;
import dev.mutagenws.testkit.FakeDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * {@code --demo}: an in-process FakeDaemon with a few sessions that keep moving, so the API and dashboard can be
 * tried without Mutagen. Nothing is synchronized: the daemon only plays the states.
 */
final class Demo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    /** The demo SSH host's password (printed at start-up; it protects nothing). */
    static final String SSH_HOST = "build.example";
    static final String SSH_PASSWORD = "demo";
    /**
     * Daemon-produced text is hostile to the dashboard: the photos session carries markup in a conflict, in scan and
     * transition problems and in its last error, all of which must show as literal text.
     */
    static final String HOSTILE_PATH = "<img src=x onerror=alert(1)>";
    static final String HOSTILE_ERROR = "beta scan error: <b>unable</b> to read \"<script>alert(2)</script>\" & retrying";
    /** The docs session stages this many files of this many 64 KiB steps each, over and over. */
    static final int STAGED_FILES = 4;
    static final int STEPS_PER_FILE = 3;

    private final FakeDaemon fake;
    private final Path root;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-ticker");
        t.setDaemon(true);
        return t;
    });

    private Demo(FakeDaemon fake, Path root) {
        this.fake = fake;
        this.root = root;
    }

    static Demo start() throws IOException {
        Path root = Files.createTempDirectory("mutagen-ws-demo");
        FakeDaemon fake = FakeDaemon.builder().socketPath(root.resolve("daemon.sock"))
                .stepDelay(Duration.ofMillis(10)).build().start();
        fake.ssh().host(SSH_HOST).password(SSH_PASSWORD);
        return new Demo(fake, root);
    }

    Path socketPath() {
        return fake.socketPath();
    }

    /** Creates the sessions through the gateway's own daemon client, then starts the background activity. */
    Mono<Void> populate(MutagenDaemon daemon) {
        Prompter answersDemoPassword = new Prompter() {
            @Override
            public Mono<Void> message(String text) {
                return Mono.empty();
            }

            @Override
            public Mono<String> prompt(String text) {
                return Mono.just(SSH_PASSWORD);
            }
        };
        return daemon.create(spec("docs", local("docs"), local("docs-copy"), false), Prompter.silent())
                .then(daemon.create(spec("website", local("website"),
                        URL.newBuilder().setProtocol(Protocol.SSH).setUser("deploy").setHost(SSH_HOST)
                                .setPath("~/www").build(), false), answersDemoPassword))
                .then(daemon.create(spec("archive", local("archive"), local("archive-backup"), true),
                        Prompter.silent()))
                .then(daemon.create(spec("photos", local("photos"), local("photos-nas"), false), Prompter.silent()))
                .then(daemon.flush(SessionSelection.all(), false, Prompter.silent()).onErrorResume(e -> Mono.empty()))
                .then(Mono.fromRunnable(this::decorate))
                .then();
    }

    private void decorate() {
        Entry file = Entry.newBuilder().setKind(EntryKind.File).build();
        fake.session("photos")
                .scanProblems(Endpoint.BETA, List.of(Problem.newBuilder().setPath("raw/IMG_0042.CR3")
                        .setError("permission denied").build()))
                .conflicts(List.of(
                        Conflict.newBuilder().setRoot("2024/holiday.jpg")
                                .addAlphaChanges(Change.newBuilder().setPath("2024/holiday.jpg").setNew(file))
                                .addBetaChanges(Change.newBuilder().setPath("2024/holiday.jpg").setNew(file))
                                .build(),
                        Conflict.newBuilder().setRoot(HOSTILE_PATH)
                                .addAlphaChanges(Change.newBuilder().setPath(HOSTILE_PATH).setNew(file))
                                .addBetaChanges(Change.newBuilder().setPath(HOSTILE_PATH + "/x"))
                                .build()))
                .scanProblems(Endpoint.ALPHA, List.of(Problem.newBuilder().setPath(HOSTILE_PATH)
                        .setError("invalid UTF-8 in <name> & more").build()))
                .transitionProblems(Endpoint.BETA, List.of(Problem.newBuilder().setPath("2024/" + HOSTILE_PATH)
                        .setError("unable to create <file>: permission denied").build()))
                .lastError(HOSTILE_ERROR);
        AtomicLong tick = new AtomicLong();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                long n = tick.incrementAndGet();
                // A staging burst followed by a cycle on docs; the website syncs every other tick. As with the
                // real daemon, progress is only there while the status says the endpoint is staging.
                if (!isPaused("docs")) {
                    fake.session("docs").status(Status.StagingBeta);
                    fake.session("docs").burst(Endpoint.BETA, STAGED_FILES * STEPS_PER_FILE, Duration.ofMillis(150),
                            Demo::stagingStep).thenRun(() -> {
                        fake.session("docs").stagingProgress(Endpoint.BETA, null);
                        fake.session("docs").runCycle();
                    });
                }
                if (n % 2 == 0) {
                    fake.session("website").runCycle();
                }
            } catch (RuntimeException e) {
                // Sessions may have been paused or terminated by the user: the demo just carries on.
                log.debug("demo tick: {}", e.toString());
            }
        }, 3, 4, TimeUnit.SECONDS);
    }

    private boolean isPaused(String name) {
        return fake.sessions().stream().anyMatch(s -> s.getSession().getName().equals(name) && s.getSession().getPaused());
    }

    /**
     * Step {@code i} (1-based) of a staging run of {@link #STAGED_FILES} files, each of {@link #STEPS_PER_FILE}
     * 64 KiB pieces: the file being received with its own size, the files completed before it, and all bytes so far.
     */
    static ReceiverState stagingStep(int i) {
        int file = (i - 1) / STEPS_PER_FILE;
        int piece = (i - 1) % STEPS_PER_FILE + 1;
        return ReceiverState.newBuilder().setPath("chapters/chapter-" + (file + 1) + ".md")
                .setReceivedSize(piece * 65536L).setExpectedSize(STEPS_PER_FILE * 65536L)
                .setReceivedFiles(file).setExpectedFiles(STAGED_FILES)
                .setTotalReceivedSize(i * 65536L).build();
    }

    private URL local(String name) {
        return URL.newBuilder().setProtocol(Protocol.Local).setPath(root.resolve(name).toString()).build();
    }

    private static CreationSpecification spec(String name, URL alpha, URL beta, boolean paused) {
        return CreationSpecification.newBuilder().setName(name).putLabels("demo", "true").setAlpha(alpha).setBeta(beta)
                .setPaused(paused).build();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        fake.close();
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log.debug("demo directory {} not removed: {}", root, e.toString());
        }
    }
}
