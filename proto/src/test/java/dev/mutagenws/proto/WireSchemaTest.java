package dev.mutagenws.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.mutagenws.proto.service.daemon.DaemonOuterClass;
import dev.mutagenws.proto.service.forwarding.ForwardingOuterClass;
import dev.mutagenws.proto.service.prompting.PromptingOuterClass;
import dev.mutagenws.proto.service.synchronization.SynchronizationOuterClass;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards wire identity with Mutagen v0.18.1: the compiled descriptors, rendered one fact per line,
 * must equal the hand-written schema in {@code mutagen-v0.18.1-schema.txt} (format documented at
 * the top of that file). Any difference in either direction fails with a readable diff.
 */
class WireSchemaTest {

    static final String SCHEMA_RESOURCE = "/mutagen-v0.18.1-schema.txt";

    /** The four service files are the roots; everything else must be reachable from them. */
    static List<FileDescriptor> serviceRoots() {
        return List.of(
                DaemonOuterClass.getDescriptor(),
                PromptingOuterClass.getDescriptor(),
                SynchronizationOuterClass.getDescriptor(),
                ForwardingOuterClass.getDescriptor());
    }

    // ------------------------------------------------------------------ tests

    @Test
    void compiledSchemaEqualsMutagenV0181Schema() throws IOException {
        List<String> expectedLines = loadSchema();
        Set<String> expected = new TreeSet<>(expectedLines);
        assertThat(expectedLines).as("duplicate lines in " + SCHEMA_RESOURCE).doesNotHaveDuplicates();

        Set<String> actual = render(closure(serviceRoots()));

        SchemaDiff diff = SchemaDiff.of(expected, actual);
        assertThat(diff.isEmpty()).as(diff.describe()).isTrue();
    }

    @Test
    void everyProtoSourceFileIsReachableFromTheServices() throws IOException {
        // An unreachable .proto file would escape the schema comparison entirely.
        Path root = Path.of("src/main/proto");
        Set<String> sources;
        try (Stream<Path> walk = Files.walk(root)) {
            sources = walk.filter(p -> p.toString().endsWith(".proto"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> reached = closure(serviceRoots()).keySet().stream()
                .filter(n -> !n.startsWith("google/protobuf/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(reached).isEqualTo(sources);
    }

    @Test
    void changedFieldNumberIsReportedAsExactlyOneMissingAndOneUnexpectedLine() throws Exception {
        Map<String, FileDescriptor> files = closure(serviceRoots());
        FileDescriptor state = files.get("synchronization/state.proto");

        // synchronization.State.status: 2 -> 9
        FileDescriptorProto.Builder proto = state.toProto().toBuilder();
        DescriptorProto.Builder message = messageBuilder(proto, "State");
        FieldDescriptorProto.Builder status = fieldBuilder(message, "status");
        assertThat(status.getNumber()).isEqualTo(2);
        status.setNumber(9);
        files.put(state.getName(), rebuild(proto.build(), state));

        SchemaDiff diff = SchemaDiff.of(new TreeSet<>(loadSchema()), render(files));

        assertThat(diff.missing()).containsExactly(
                "field synchronization.State #2 status = 2 optional synchronization.Status");
        assertThat(diff.unexpected()).containsExactly(
                "field synchronization.State #2 status = 9 optional synchronization.Status");
        assertThat(diff.describe())
                .contains("- field synchronization.State #2 status = 2 optional synchronization.Status")
                .contains("+ field synchronization.State #2 status = 9 optional synchronization.Status");
    }

    @Test
    void addedFieldIsReportedAsUnexpectedAndRemovedValueAsMissing() throws Exception {
        Map<String, FileDescriptor> files = closure(serviceRoots());

        // Extra field at the end of selection.Selection: only an "unexpected" line.
        FileDescriptor selection = files.get("selection/selection.proto");
        FileDescriptorProto.Builder selectionProto = selection.toProto().toBuilder();
        messageBuilder(selectionProto, "Selection").addField(FieldDescriptorProto.newBuilder()
                .setName("extra").setNumber(4)
                .setType(FieldDescriptorProto.Type.TYPE_STRING)
                .setLabel(FieldDescriptorProto.Label.LABEL_OPTIONAL));
        files.put(selection.getName(), rebuild(selectionProto.build(), selection));

        // Last enum value of url.Protocol dropped: only a "missing" line.
        FileDescriptor url = files.get("url/url.proto");
        FileDescriptorProto.Builder urlProto = url.toProto().toBuilder();
        var protocol = urlProto.getEnumTypeBuilderList().stream()
                .filter(e -> e.getName().equals("Protocol")).findFirst().orElseThrow();
        protocol.removeValue(protocol.getValueCount() - 1);
        files.put(url.getName(), rebuild(urlProto.build(), url));

        SchemaDiff diff = SchemaDiff.of(new TreeSet<>(loadSchema()), render(files));

        assertThat(diff.unexpected()).containsExactly("field selection.Selection #4 extra = 4 optional string");
        assertThat(diff.missing()).containsExactly("value url.Protocol #3 Docker = 11");
    }

    // ------------------------------------------------------------------ schema file

    static List<String> loadSchema() throws IOException {
        try (InputStream in = WireSchemaTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            assertThat(in).as(SCHEMA_RESOURCE + " on the test classpath").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return reader.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .collect(Collectors.toList());
        }
    }

    // ------------------------------------------------------------------ descriptors -> lines

    /** All files reachable from the roots, keyed by import path (roots first, then dependencies). */
    static Map<String, FileDescriptor> closure(Collection<FileDescriptor> roots) {
        Map<String, FileDescriptor> out = new LinkedHashMap<>();
        List<FileDescriptor> queue = new ArrayList<>(roots);
        while (!queue.isEmpty()) {
            FileDescriptor f = queue.remove(0);
            if (out.putIfAbsent(f.getName(), f) == null) {
                queue.addAll(f.getDependencies());
            }
        }
        return out;
    }

    /** Renders exactly the given files (no dependency walking), in the schema-file line format. */
    static Set<String> render(Map<String, FileDescriptor> files) {
        Set<String> lines = new TreeSet<>();
        for (FileDescriptor f : files.values()) {
            String syntax = f.toProto().getSyntax();
            lines.add("file " + f.getName() + " package " + f.getPackage()
                    + " syntax " + (syntax.isEmpty() ? "proto2" : syntax));
            for (FileDescriptor dep : f.getDependencies()) {
                lines.add("import " + f.getName() + " " + dep.getName());
            }
            for (Descriptor m : f.getMessageTypes()) {
                renderMessage(f, m, lines);
            }
            for (EnumDescriptor e : f.getEnumTypes()) {
                renderEnum(f, e, lines);
            }
            for (ServiceDescriptor s : f.getServices()) {
                lines.add("service " + s.getFullName() + " in " + f.getName());
                int pos = 1;
                for (MethodDescriptor m : s.getMethods()) {
                    lines.add("rpc " + s.getFullName() + " #" + pos++ + " " + m.getName()
                            + " (" + (m.isClientStreaming() ? "stream " : "") + m.getInputType().getFullName()
                            + ") returns ("
                            + (m.isServerStreaming() ? "stream " : "") + m.getOutputType().getFullName() + ")");
                }
            }
        }
        return lines;
    }

    private static void renderMessage(FileDescriptor f, Descriptor m, Set<String> lines) {
        if (m.getOptions().getMapEntry()) {
            return; // covered by the map<...> field line
        }
        lines.add("message " + m.getFullName() + " in " + f.getName());
        int pos = 1;
        for (FieldDescriptor fd : m.getFields()) {
            lines.add("field " + m.getFullName() + " #" + pos++ + " " + fd.getName()
                    + " = " + fd.getNumber() + " " + typeSpec(fd));
        }
        for (Descriptor nested : m.getNestedTypes()) {
            renderMessage(f, nested, lines);
        }
        for (EnumDescriptor e : m.getEnumTypes()) {
            renderEnum(f, e, lines);
        }
    }

    private static void renderEnum(FileDescriptor f, EnumDescriptor e, Set<String> lines) {
        lines.add("enum " + e.getFullName() + " in " + f.getName());
        int pos = 1;
        for (EnumValueDescriptor v : e.getValues()) {
            lines.add("value " + e.getFullName() + " #" + pos++ + " " + v.getName() + " = " + v.getNumber());
        }
    }

    private static String typeSpec(FieldDescriptor fd) {
        if (fd.isMapField()) {
            Descriptor entry = fd.getMessageType();
            return "map<" + typeName(entry.findFieldByNumber(1)) + "," + typeName(entry.findFieldByNumber(2)) + ">";
        }
        String label;
        OneofDescriptor oneof = fd.getRealContainingOneof();
        if (fd.isRepeated()) {
            label = "repeated";
        } else if (oneof != null) {
            label = "oneof:" + oneof.getName(); // Mutagen uses none; shows up as drift
        } else if (fd.toProto().getProto3Optional()) {
            label = "explicit-optional"; // proto3 'optional' keyword changes presence
        } else if (fd.isRequired()) {
            label = "required";
        } else {
            label = "optional";
        }
        return label + " " + typeName(fd);
    }

    private static String typeName(FieldDescriptor fd) {
        return switch (fd.getType()) {
            case MESSAGE, GROUP -> fd.getMessageType().getFullName();
            case ENUM -> fd.getEnumType().getFullName();
            default -> fd.getType().name().toLowerCase(Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------ drift helpers

    static DescriptorProto.Builder messageBuilder(FileDescriptorProto.Builder file, String name) {
        return file.getMessageTypeBuilderList().stream()
                .filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    static FieldDescriptorProto.Builder fieldBuilder(DescriptorProto.Builder message, String name) {
        return message.getFieldBuilderList().stream()
                .filter(f -> f.getName().equals(name)).findFirst().orElseThrow();
    }

    static FileDescriptor rebuild(FileDescriptorProto proto, FileDescriptor original)
            throws DescriptorValidationException {
        return FileDescriptor.buildFrom(proto, original.getDependencies().toArray(new FileDescriptor[0]));
    }

    /** Lines in the schema but not compiled ({@code missing}) and compiled but not in the schema. */
    record SchemaDiff(List<String> missing, List<String> unexpected) {
        static SchemaDiff of(Set<String> expected, Set<String> actual) {
            return new SchemaDiff(
                    expected.stream().filter(l -> !actual.contains(l)).sorted().toList(),
                    actual.stream().filter(l -> !expected.contains(l)).sorted().toList());
        }

        boolean isEmpty() {
            return missing.isEmpty() && unexpected.isEmpty();
        }

        String describe() {
            StringBuilder sb = new StringBuilder("compiled proto schema differs from Mutagen v0.18.1 ("
                    + SCHEMA_RESOURCE + "):\n");
            sb.append("  missing (in schema file, not compiled): ").append(missing.size()).append('\n');
            missing.forEach(l -> sb.append("    - ").append(l).append('\n'));
            sb.append("  unexpected (compiled, not in schema file): ").append(unexpected.size()).append('\n');
            unexpected.forEach(l -> sb.append("    + ").append(l).append('\n'));
            return sb.toString();
        }
    }
}
