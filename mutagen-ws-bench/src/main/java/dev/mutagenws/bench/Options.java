package dev.mutagenws.bench;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link Bench}. */
final class Options {
    final List<String> commands = new ArrayList<>();
    boolean quick;
    String token = System.getenv("MUTAGEN_WS_TOKEN");
    double soakMinutes = 10;
    boolean soakMinutesGiven;
    String launcherJar = "mutagen-ws-launcher/target/mutagen-ws.jar";
    int[] subscribers;
    boolean inProcess;
    Integer jmhForks;
    String out;
    int serveSessions = 10;
    boolean servePaused = true;

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick":
                    o.quick = true;
                    break;
                case "--token":
                    o.token = args[++i];
                    break;
                case "--minutes":
                    o.soakMinutes = Double.parseDouble(args[++i]);
                    o.soakMinutesGiven = true;
                    break;
                case "--launcher-jar":
                    o.launcherJar = args[++i];
                    break;
                case "--subscribers": {
                    String[] parts = args[++i].split(",");
                    o.subscribers = new int[parts.length];
                    for (int k = 0; k < parts.length; k++) {
                        o.subscribers[k] = Integer.parseInt(parts[k].trim());
                    }
                    break;
                }
                case "--in-process":
                    o.inProcess = true;
                    break;
                case "--jmh-forks":
                    o.jmhForks = Integer.parseInt(args[++i]);
                    break;
                case "--out":
                    o.out = args[++i];
                    break;
                case "--sessions":
                    o.serveSessions = Integer.parseInt(args[++i]);
                    break;
                case "--paused":
                    o.servePaused = Boolean.parseBoolean(args[++i]);
                    break;
                case "-h":
                case "--help":
                    o.commands.add("help");
                    break;
                default:
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + a + "\n" + Bench.USAGE);
                    }
                    o.commands.add(a);
            }
        }
        if (o.commands.isEmpty()) {
            o.commands.add("all");
        }
        return o;
    }
}
