package dev.mutagenws.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.JsonFormat;
import dev.mutagenws.internal.json.ProtoJson;
import dev.mutagenws.internal.protocol.Reply;
import dev.mutagenws.internal.protocol.ReplyWriter;
import dev.mutagenws.proto.service.synchronization.ListResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON codec of a 1,000-session ListResponse: mutagen-ws's ProtoJson (the reference server's
 * mapping) versus protobuf-java-util's JsonFormat (proto3 JSON mapping). Each side decodes its own
 * encoding; both produce and consume UTF-8 bytes as they would on the wire.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CodecBenchmark {
    static final int SESSIONS = 1000;

    ListResponse list;
    ProtoJson protoJson;
    ObjectMapper mapper;
    JsonFormat.Printer printer;
    JsonFormat.Parser parser;
    ReplyWriter replyWriter;
    byte[] ours;
    byte[] theirs;

    @Setup
    public void setUp() throws Exception {
        list = CodecData.load(SESSIONS);
        protoJson = ProtoJson.standard();
        mapper = new ObjectMapper(protoJson.jsonFactory());
        printer = JsonFormat.printer().omittingInsignificantWhitespace();
        parser = JsonFormat.parser();
        replyWriter = new ReplyWriter(protoJson);
        ours = protoJson.toJsonBytes(list);
        theirs = printer.print(list).getBytes(StandardCharsets.UTF_8);
        // Both must round-trip, or the comparison means nothing.
        if (!decodeProtoJson().equals(list)) {
            throw new IllegalStateException("ProtoJson does not round-trip the benchmark data");
        }
        if (!decodeJsonFormat().equals(list)) {
            throw new IllegalStateException("JsonFormat does not round-trip the benchmark data");
        }
    }

    @Benchmark
    public byte[] encodeProtoJson() {
        return protoJson.toJsonBytes(list);
    }

    /**
     * What the gateway does per list reply today: the envelope through ReplyWriter into a String
     * (StringWriter), which Reactor Netty's sendString then encodes to UTF-8.
     */
    @Benchmark
    public byte[] replyEnvelope() {
        return replyWriter.write(Reply.success("list", 1, list)).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] encodeJsonFormat() throws Exception {
        return printer.print(list).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public ListResponse decodeProtoJson() throws Exception {
        JsonNode tree = mapper.readTree(ours);
        return protoJson.read(tree, ListResponse.getDefaultInstance(), "data");
    }

    @Benchmark
    public ListResponse decodeJsonFormat() throws Exception {
        ListResponse.Builder b = ListResponse.newBuilder();
        parser.merge(new String(theirs, StandardCharsets.UTF_8), b);
        return b.build();
    }
}
