package dev.mutagenws.internal.json;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field plans (with their enum codecs) of every message type in a set of proto files and
 * their imports, built once; shared by everything that encodes or decodes with those plans.
 *
 * <p>Immutable and thread-safe. Messages of other types still get a plan, built per call.
 */
final class Plans {
    private final Map<Descriptor, MessagePlan> plans;
    private final Map<EnumDescriptor, EnumCodec> enums;

    Plans(List<FileDescriptor> roots) {
        Set<FileDescriptor> files = new HashSet<>();
        Deque<FileDescriptor> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            FileDescriptor f = todo.pop();
            if (files.add(f)) {
                todo.addAll(f.getDependencies());
            }
        }
        Map<EnumDescriptor, EnumCodec> enumCodecs = new HashMap<>();
        Map<Descriptor, MessagePlan> messagePlans = new HashMap<>();
        for (FileDescriptor f : files) {
            for (EnumDescriptor e : f.getEnumTypes()) {
                enumCodecs.put(e, new EnumCodec(e));
            }
            Deque<Descriptor> types = new ArrayDeque<>(f.getMessageTypes());
            while (!types.isEmpty()) {
                Descriptor d = types.pop();
                types.addAll(d.getNestedTypes());
                for (EnumDescriptor e : d.getEnumTypes()) {
                    enumCodecs.put(e, new EnumCodec(e));
                }
            }
        }
        // Enum codecs first: field plans of every file take theirs from the complete table.
        for (FileDescriptor f : files) {
            Deque<Descriptor> types = new ArrayDeque<>(f.getMessageTypes());
            while (!types.isEmpty()) {
                Descriptor d = types.pop();
                types.addAll(d.getNestedTypes());
                messagePlans.put(d, build(d, enumCodecs));
            }
        }
        this.enums = Map.copyOf(enumCodecs);
        this.plans = Map.copyOf(messagePlans);
    }

    /** The plan of {@code d}: one map lookup for known types, the hot path of every codec. */
    MessagePlan plan(Descriptor d) {
        MessagePlan p = plans.get(d);
        // Foreign types are planned per call rather than cached: keeps the instance immutable.
        return p != null ? p : build(d, enums);
    }

    private static MessagePlan build(Descriptor d, Map<EnumDescriptor, EnumCodec> enumCodecs) {
        List<FieldDescriptor> declared = d.getFields();
        Class<?> messageClass = Getters.messageClass(d);
        FieldPlan[] fields = new FieldPlan[declared.size()];
        for (int i = 0; i < fields.length; i++) {
            FieldDescriptor f = declared.get(i);
            FieldDescriptor valueField = f.isMapField() ? f.getMessageType().findFieldByNumber(2) : f;
            EnumCodec codec = null;
            if (valueField.getJavaType() == FieldDescriptor.JavaType.ENUM) {
                EnumDescriptor e = valueField.getEnumType();
                codec = enumCodecs.get(e);
                if (codec == null) {
                    codec = new EnumCodec(e);
                }
            }
            fields[i] = new FieldPlan(f, codec, messageClass);
        }
        return new MessagePlan(d, messageClass, fields);
    }
}
