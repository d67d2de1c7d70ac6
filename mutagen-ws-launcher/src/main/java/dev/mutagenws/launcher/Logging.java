package dev.mutagenws.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.List;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/** Applies {@code --log-level}. */
final class Logging {
    static final List<String> LEVELS = List.of("error", "warn", "info", "debug", "trace", "off");
    /**
     * Libraries whose debug output can contain raw traffic (HTTP/2 frames to the daemon carry prompt answers,
     * request URIs carry {@code ?token=}): they stay at INFO or quieter whatever the level, so that no secret ever
     * reaches a log.
     */
    static final List<String> CAPPED = List.of("io.netty", "io.grpc", "reactor.netty", "reactor.core");

    private Logging() {
    }

    static void configure(String level) {
        Level wanted = Level.toLevel(level.toUpperCase(Locale.ROOT), Level.INFO);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // qualified: Logback's Logger is imported
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(wanted);
        Level capped = wanted.isGreaterOrEqual(Level.INFO) ? wanted : Level.INFO;
        for (String name : CAPPED) {
            Logger logger = context.getLogger(name);
            if (logger.getLevel() == null || !logger.getLevel().isGreaterOrEqual(capped)) {
                logger.setLevel(capped);
            }
        }
    }
}
