package dev.mutagenws.internal.json;

import com.google.protobuf.Descriptors.Descriptor;
import java.util.HashMap;
import java.util.Map;

/** A message type's fields in declaration order, plus its input names (aliases included). */
final class MessagePlan {
    final Descriptor type;
    /** The generated class whose direct getters the field plans hold, or null. */
    final Class<?> messageClass;
    final FieldPlan[] fields;
    /** Input name to field; aliases map to the canonical field. */
    final Map<String, FieldPlan> byName;
    /** Alias to canonical name, to detect both being given. */
    final Map<String, String> aliases;

    MessagePlan(Descriptor type, Class<?> messageClass, FieldPlan[] fields) {
        this.type = type;
        this.messageClass = messageClass;
        this.fields = fields;
        this.aliases = MappingRules.aliases(type.getFullName());
        Map<String, FieldPlan> names = new HashMap<>();
        for (FieldPlan f : fields) {
            names.put(f.name, f);
        }
        for (Map.Entry<String, String> a : aliases.entrySet()) {
            FieldPlan target = names.get(a.getValue());
            if (target != null) {
                names.put(a.getKey(), target);
            }
        }
        this.byName = Map.copyOf(names);
    }
}
