package dev.mutagenws.bench;

import dev.mutagenws.testkit.NettyLeaks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * FakeDaemon + gateway in a child JVM ({@code Bench serve}), driven over its stdin/stdout: one
 * command per line, answers prefixed with {@code @@}. Everything else the child prints goes to a
 * log file and is scanned for "LEAK:".
 */
final class ChildHost implements ServerHost {
    private final Process process;
    private final PrintWriter commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final List<String> leaks = new ArrayList<>();
    private final Path log;
    private final int port;

    ChildHost(int sessions, boolean paused, List<String> jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Machine.javaBinary());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Bench.class.getName());
        cmd.add("serve");
        cmd.add("--sessions");
        cmd.add(Integer.toString(sessions));
        cmd.add("--paused");
        cmd.add(Boolean.toString(paused));
        try {
            log = Files.createTempFile("mutagen-ws-bench-server", ".log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        commands = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
        Thread reader = new Thread(this::readOutput, "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        String ready = await("READY", 300);
        port = Integer.parseInt(ready.trim());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter out = new PrintWriter(Files.newBufferedWriter(log), true)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("@@")) {
                    answers.add(line.substring(2));
                } else {
                    out.println(line);
                    if (line.contains("LEAK:")) {
                        synchronized (leaks) {
                            leaks.add(line);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The child went away; await() reports it.
        }
        answers.add("EXIT");
    }

    private String await(String word, int seconds) {
        try {
            String a = answers.poll(seconds, TimeUnit.SECONDS);
            if (a == null) {
                throw new IllegalStateException("server process did not answer " + word + " within " + seconds
                        + " s; its log: " + log);
            }
            if (a.equals("EXIT")) {
                throw new IllegalStateException("server process exited (code " + exitCode() + "); its log: " + log
                        + "\n" + tail());
            }
            if (a.startsWith("ERROR ")) {
                throw new IllegalStateException("server process: " + a.substring(6));
            }
            if (!a.startsWith(word + " ")) {
                throw new IllegalStateException("server process answered '" + a + "' to " + word);
            }
            return a.substring(word.length() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private synchronized String call(String command, String word, int seconds) {
        commands.println(command);
        return await(word, seconds);
    }

    @Override
    public String wsUri() {
        return "ws://127.0.0.1:" + port + "/synchronization";
    }

    @Override
    public String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public long change(int session, String lastError) {
        return Long.parseLong(call("change " + session + " " + lastError, "INDEX", 30));
    }

    @Override
    public long listCalls() {
        return Long.parseLong(call("lists", "LISTS", 30));
    }

    @Override
    public long stateIndex() {
        return Long.parseLong(call("index", "INDEX", 30));
    }

    @Override
    public long heapAfterGc() {
        return Long.parseLong(call("heap", "HEAP", 120));
    }

    @Override
    public void trim() {
        call("trim", "TRIMMED", 30);
    }

    @Override
    public List<String> leaks() {
        call("leakcheck", "LEAKCHECK", 120);
        // The check's own reports are printed before its answer; give the reader a moment.
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (leaks) {
            return new ArrayList<>(leaks);
        }
    }

    Path log() {
        return log;
    }

    @Override
    public boolean includesClients() {
        return false;
    }

    @Override
    public void close() {
        try {
            commands.println("quit");
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
        boolean keep;
        synchronized (leaks) {
            keep = !leaks.isEmpty();
        }
        try {
            keep |= process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() != 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (keep) {
            System.err.println("server log kept (leaks reported, or the server did not stop cleanly): " + log);
        } else {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // Best effort.
            }
        }
    }

    /** The child's side: {@code Bench serve --sessions N --paused B}. */
    static void serve(int sessions, boolean paused) throws IOException {
        InProcessHost host;
        try {
            host = new InProcessHost(sessions, paused);
        } catch (RuntimeException e) {
            System.out.println("@@ERROR could not start: " + e);
            System.out.flush();
            throw e;
        }
        System.out.println("@@READY " + host.server.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split(" ", 3);
            try {
                switch (w[0]) {
                    case "change":
                        System.out.println("@@INDEX " + host.change(Integer.parseInt(w[1]), w.length > 2 ? w[2] : "x"));
                        break;
                    case "lists":
                        System.out.println("@@LISTS " + host.listCalls());
                        break;
                    case "index":
                        System.out.println("@@INDEX " + host.stateIndex());
                        break;
                    case "heap":
                        System.out.println("@@HEAP " + InProcessHost.usedHeapAfterGc());
                        break;
                    case "trim":
                        host.trim();
                        System.out.println("@@TRIMMED " + 0);
                        break;
                    case "leakcheck":
                        NettyLeaks.surface();
                        System.out.println("@@LEAKCHECK " + NettyLeaks.reports().size());
                        break;
                    case "quit":
                        host.close();
                        System.out.println("@@BYE 0");
                        System.out.flush();
                        System.exit(0);
                        return;
                    default:
                        System.out.println("@@ERROR unknown command " + w[0]);
                }
            } catch (RuntimeException e) {
                System.out.println("@@ERROR " + e);
            }
            System.out.flush();
        }
        host.close();
        System.exit(0);
    }
}
