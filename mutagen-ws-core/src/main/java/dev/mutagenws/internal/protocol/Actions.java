package dev.mutagenws.internal.protocol;

import java.util.List;
import java.util.Set;

/** Names of the request actions and server pushes of the protocol. */
public final class Actions {
    public static final String CREATION = "creation";
    public static final String LIST = "list";
    public static final String PAUSE = "pause";
    public static final String RESUME = "resume";
    public static final String RESET = "reset";
    public static final String FLUSH = "flush";
    public static final String TERMINATE = "terminate";
    public static final String VERSION = "version";
    public static final String ANSWER = "answer";
    public static final String CANCEL = "cancel";
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    /** Pushes (server to client). */
    public static final String PROMPT = "prompt";
    public static final String MESSAGE = "message";
    public static final String STATE = "state";
    public static final String EVENT = "event";
    public static final String DAEMON = "daemon";

    /** Actions that operate on the daemon, over any transport. */
    public static final Set<String> DAEMON_ACTIONS = Set.of(CREATION, LIST, PAUSE, RESUME, RESET, FLUSH,
            TERMINATE, VERSION);

    /** Every request action, in documentation order. */
    public static final List<String> REQUESTS = List.of(CREATION, LIST, PAUSE, RESUME, RESET, FLUSH, TERMINATE,
            ANSWER, SUBSCRIBE, UNSUBSCRIBE, CANCEL, VERSION);

    /** Every push, in documentation order. */
    public static final List<String> PUSHES = List.of(PROMPT, MESSAGE, STATE, EVENT, DAEMON);

    private Actions() {
    }
}
