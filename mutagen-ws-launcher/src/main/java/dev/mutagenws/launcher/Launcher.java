package dev.mutagenws.launcher;

import dev.mutagenws.server.MutagenGateway;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Entry point of the runnable jar: {@code java -jar mutagen-ws.jar [--listen HOST:PORT] [--sock PATH] ...}.
 * Exit codes: 0 after a clean shutdown (also on SIGINT/SIGTERM), 1 when the server could not start, 2 for bad
 * flags (one line on stderr naming the flag).
 */
public final class Launcher {
    static final String NAME = "mutagen-ws";

    private Launcher() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ServeCommand());
        cli.setParameterExceptionHandler(Launcher::badFlags);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(NAME + ": " + oneLine(e));
            return 1;
        });
        return cli;
    }

    /** One line naming the flag, exit code 2 (picocli's default prints the whole usage). */
    private static int badFlags(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(NAME + ": " + oneLine(e) + " (see --help)");
        err.flush();
        return CommandLine.ExitCode.USAGE;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ').strip();
    }

    /** The innermost cause: what failed, without the layers that passed it on. */
    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The version for {@code --version}: the jar's, from its manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {NAME + " " + MutagenGateway.version()};
        }
    }
}
