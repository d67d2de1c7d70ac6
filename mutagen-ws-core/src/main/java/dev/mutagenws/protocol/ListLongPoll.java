package dev.mutagenws.protocol;

import dev.mutagenws.daemon.MutagenDaemon;
import dev.mutagenws.daemon.SessionSelection;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * How a {@code list} with a {@code stateIndex} waits for the next state of its selection. The
 * {@link #direct direct} way is one daemon {@code List} long-poll per request; the gateway instead
 * waits on its shared live-state loop, so that many clients long-polling one selection cost the
 * daemon one loop (an interface here because that loop lives in a package that depends on this one).
 */
@FunctionalInterface
public interface ListLongPoll {
    /**
     * The selection's session states once they are no longer those of {@code stateIndex}: at once
     * when they already are not, else at a later change. Completes only with an answer or an error
     * (the daemon's, as a plain {@code List} would fail); cancelling it stops the wait and its
     * daemon call.
     *
     * @param stateIndex a non-zero index from an earlier reply (0 is a plain {@code List}, made by
     *     the caller)
     */
    Mono<ListResponse> after(SessionSelection selection, long stateIndex);

    /**
     * The daemon's own long-poll, {@code List(selection, stateIndex)}, one call per request. The daemon
     * answers it on a change of any session, not only of the selected ones.
     */
    static ListLongPoll direct(MutagenDaemon daemon) {
        Objects.requireNonNull(daemon, "daemon");
        return daemon::list;
    }
}
