package dev.mutagenws.bench;

import java.util.List;

/**
 * A FakeDaemon and a gateway in front of it, either in this JVM or in a child JVM (so that heap
 * figures are the server's own and do not include the clients).
 */
interface ServerHost extends AutoCloseable {
    /** ws://127.0.0.1:port/synchronization */
    String wsUri();

    /** http://127.0.0.1:port */
    String httpBase();

    /** Changes one session's state (one state-index bump); returns the new state index. */
    long change(int session, String lastError);

    long listCalls();

    long stateIndex();

    /** Used heap after full GCs, in bytes (of the server's JVM). */
    long heapAfterGc();

    /** Drops the FakeDaemon's unbounded request log (see Sessions#dropRecordedRequests). */
    void trim();

    /** Lines containing "LEAK:" seen in the server's log so far (after a GC and allocations to surface them). */
    List<String> leaks();

    /** Whether heap figures include the benchmark's clients (in-process host). */
    boolean includesClients();

    @Override
    void close();
}
