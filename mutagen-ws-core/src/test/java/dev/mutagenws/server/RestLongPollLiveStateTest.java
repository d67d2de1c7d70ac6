package dev.mutagenws.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The live-state contract over the REST long-poll, as a client without streams follows state: {@code GET
 * /api/synchronization/sessions}, then again with {@code ?stateIndex=} of each answer and {@code &timeout=} the
 * gateway's keep-alive interval (an answer at the timeout, at the client's own index, is its keep-alive).
 */
class RestLongPollLiveStateTest extends LiveStateContract {
    @Override
    LiveTransport transport(Endpoint endpoint) {
        RestContractTest.RestTransport rest = new RestContractTest.RestTransport(new RestTestClient(endpoint.port()));
        return new PollTransport(() -> data -> {
            CompletableFuture<JsonNode> reply = rest.callAsync("list", data);
            try {
                return reply.get();
            } catch (InterruptedException e) {
                reply.cancel(true);
                throw e;
            }
        }, endpoint.keepAlive());
    }

    /**
     * A long-poll client turned into a live view: a plain {@code list} (or a poll from the resume point), then a poll
     * from the index of each answer; a poll that finds the daemon down (2006) is tried again after a short pause,
     * any other failure ends the view. Stalling is simply not sending the next poll. {@code timeout} is the
     * long-poll's, null when it has none.
     */
    record PollTransport(Supplier<Poller> pollers, Duration timeout) implements LiveTransport {
        /** One {@code list} with {@code data} (a selection, stateIndex, ...): its reply. Blocks, interruptibly. */
        interface Poller extends AutoCloseable {
            JsonNode list(String data) throws Exception;

            @Override
            default void close() {
            }
        }

        @Override
        public LiveView open(String selection, Resume from, boolean events) {
            return new PollView(selection(selection), from == null ? 0 : from.index(), pollers.get(), timeout);
        }

        @Override
        public String lacks(Capability capability) {
            return switch (capability) {
                case EPOCH -> "a list reply keeps the old server's shape: an index without the daemon run it is of";
                case EVENTS -> "a list reply carries states, not change events";
                case DAEMON_PUSHES -> "a poll learns of an outage by failing with 2006; only the next answer says that"
                        + " the daemon is back";
                case UNCHANGED -> "an up-to-date long-poll waits for a change";
                case KEEP_ALIVE -> timeout == null ? "this long-poll has no timeout: it waits until a change" : null;
            };
        }
    }

    static final class PollView extends LiveView {
        /** The pause after a poll that found the daemon down, as a client would make before asking again. */
        private static final long RETRY_MILLIS = 50;
        private final ObjectNode selection;
        private final PollTransport.Poller poller;
        private final Duration timeout;
        private final Thread loop;
        private boolean stalled; // guarded by this
        private volatile boolean closed;

        PollView(ObjectNode selection, long from, PollTransport.Poller poller, Duration timeout) {
            this.selection = selection;
            this.poller = poller;
            this.timeout = timeout;
            loop = new Thread(() -> run(from), "long-poll view");
            loop.setDaemon(true);
            loop.start();
        }

        private void run(long from) {
            long index = from;
            try {
                while (true) {
                    awaitUnstalled();
                    ObjectNode data = selection.deepCopy();
                    if (index != 0) {
                        data.put("stateIndex", index);
                        if (timeout != null) {
                            data.put("timeout", timeout.toMillis() + "ms");
                        }
                    }
                    long sent = System.nanoTime();
                    JsonNode reply = poller.list(data.toString());
                    int code = reply.path("code").asInt();
                    if (code == 0) {
                        long answered = reply.at("/data/stateIndex").asLong();
                        if (answered != index) {
                            observe(new State(answered, null, reply.at("/data/sessionStates")));
                        } else if (timeout != null && System.nanoTime() - sent >= timeout.toNanos() * 9 / 10) {
                            observe(new KeepAlive()); // the timeout's answer: the client's index, nothing changed
                        } else {
                            // A long-poll answers a change or its timeout, never the client's own index early.
                            problem("answered with the client's own index before the timeout: " + reply);
                        }
                        index = answered;
                    } else if (code == 2006) {
                        observe(new Daemon(false, reply.path("message").asText(), null));
                        Thread.sleep(RETRY_MILLIS);
                    } else {
                        observe(new Failure(code, reply.path("message").asText()));
                        observe(new End());
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // Closed.
            } catch (Exception e) {
                if (!closed) {
                    problem("poll failed: " + e);
                }
            }
        }

        private synchronized void awaitUnstalled() throws InterruptedException {
            while (stalled) {
                wait();
            }
        }

        @Override
        synchronized void stall() {
            stalled = true;
        }

        @Override
        synchronized void resume() {
            stalled = false;
            notifyAll();
        }

        @Override
        public void close() {
            closed = true;
            loop.interrupt();
            try {
                loop.join(WAIT.toMillis());
                poller.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
