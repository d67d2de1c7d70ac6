package dev.mutagenws.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A stand-in server that speaks protocol section 2's {@code subscribe} (reply, then a {@code state}
 * push now and on every change), so the fan-out harness can be checked before the real one is
 * merged. One upstream "List call" per change, like the gateway should make.
 */
final class SubscribeStubHost implements ServerHost {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicLong index = new AtomicLong(1);
    private final AtomicLong lists = new AtomicLong();
    private final Set<Sub> subs = ConcurrentHashMap.newKeySet();
    private final DisposableServer server;

    private record Sub(Sinks.Many<String> out, long id) {
    }

    SubscribeStubHost() {
        server = HttpServer.create().host("127.0.0.1").port(0).route(r -> r.ws("/synchronization", (in, out) -> {
            Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
            Mono<Void> receive = in.receive().asString(StandardCharsets.UTF_8).doOnNext(text -> {
                try {
                    JsonNode req = JSON.readTree(text);
                    long id = req.path("id").asLong();
                    Sub sub = new Sub(sink, id);
                    synchronized (sink) {
                        sink.tryEmitNext("{\"action\":\"subscribe\",\"id\":" + id + ",\"code\":0,\"message\":\"\","
                                + "\"data\":{\"subscription\":\"s" + id + "\",\"stateIndex\":" + index.get() + "}}");
                        sink.tryEmitNext(state(id, index.get()));
                    }
                    subs.add(sub);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).then();
            return Mono.when(receive, out.sendString(sink.asFlux()).then());
        })).bindNow(Duration.ofSeconds(10));
    }

    private static String state(long id, long idx) {
        return "{\"action\":\"state\",\"id\":" + id + ",\"code\":0,\"message\":\"\",\"data\":{\"stateIndex\":" + idx
                + ",\"sessionStates\":[{\"session\":{\"identifier\":\"sync_x\"}}],\"subscription\":\"s" + id + "\"}}";
    }

    @Override
    public String wsUri() {
        return "ws://127.0.0.1:" + server.port() + "/synchronization";
    }

    @Override
    public String httpBase() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public long change(int session, String lastError) {
        long idx = index.incrementAndGet();
        lists.incrementAndGet();
        for (Sub s : subs) {
            synchronized (s.out()) {
                s.out().tryEmitNext(state(s.id(), idx));
            }
        }
        return idx;
    }

    @Override
    public long listCalls() {
        return lists.get();
    }

    @Override
    public long stateIndex() {
        return index.get();
    }

    @Override
    public long heapAfterGc() {
        return InProcessHost.usedHeapAfterGc();
    }

    @Override
    public void trim() {
    }

    @Override
    public List<String> leaks() {
        return List.of();
    }

    @Override
    public boolean includesClients() {
        return true;
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
