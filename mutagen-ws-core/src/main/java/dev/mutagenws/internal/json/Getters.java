package dev.mutagenws.internal.json;

import com.google.protobuf.DescriptorProtos.FileOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Binds a generated message class's own getters (getFoo, getFooValue, hasFoo, getFooList,
 * getFooMap) to lambdas once, so encoding avoids protobuf's reflective getField (Method.invoke
 * plus boxing per field). Anything that cannot be bound exactly returns null and the codec falls
 * back to getField.
 */
final class Getters {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    private Getters() {
    }

    /** The generated class of a top-level message type, verified by its descriptor; else null. */
    static Class<?> messageClass(Descriptor d) {
        if (d.getContainingType() != null) {
            return null;
        }
        FileOptions o = d.getFile().getOptions();
        if (!o.getJavaMultipleFiles()) {
            return null;
        }
        String pkg = o.hasJavaPackage() ? o.getJavaPackage() : d.getFile().getPackage();
        String name = pkg.isEmpty() ? d.getName() : pkg + '.' + d.getName();
        try {
            Class<?> c = Class.forName(name, true, Getters.class.getClassLoader());
            Object descriptor = c.getMethod("getDescriptor").invoke(null);
            return descriptor == d ? c : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** protobuf-java's name for a field's accessors: lowerCamel with the first letter capitalised. */
    static String javaName(FieldDescriptor f) {
        String name = f.getName();
        StringBuilder sb = new StringBuilder(name.length());
        boolean capitalize = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                sb.append(capitalize ? Character.toUpperCase(c) : c);
                capitalize = false;
            } else if (c >= 'A' && c <= 'Z') {
                sb.append(c);
                capitalize = false;
            } else if (c >= '0' && c <= '9') {
                sb.append(c);
                capitalize = true;
            } else {
                capitalize = true;
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    static ToIntFunction<Object> ints(Class<?> c, String method) {
        return (ToIntFunction<Object>) bind(c, method, int.class, ToIntFunction.class, "applyAsInt");
    }

    @SuppressWarnings("unchecked")
    static ToLongFunction<Object> longs(Class<?> c, String method) {
        return (ToLongFunction<Object>) bind(c, method, long.class, ToLongFunction.class, "applyAsLong");
    }

    @SuppressWarnings("unchecked")
    static Predicate<Object> booleans(Class<?> c, String method) {
        return (Predicate<Object>) bind(c, method, boolean.class, Predicate.class, "test");
    }

    @SuppressWarnings("unchecked")
    static Function<Object, Object> objects(Class<?> c, String method, Class<?> returnType) {
        return (Function<Object, Object>) bind(c, method, returnType, Function.class, "apply");
    }

    static Function<Object, Object> lists(Class<?> c, String method) {
        return objects(c, method, List.class);
    }

    static Function<Object, Object> maps(Class<?> c, String method) {
        return objects(c, method, Map.class);
    }

    private static Object bind(Class<?> c, String method, Class<?> returnType, Class<?> iface, String sam) {
        if (c == null) {
            return null;
        }
        try {
            MethodHandle getter = LOOKUP.findVirtual(c, method, MethodType.methodType(returnType));
            Class<?> erased = returnType.isPrimitive() ? returnType : Object.class;
            MethodType samType = MethodType.methodType(erased, Object.class);
            return LambdaMetafactory.metafactory(LOOKUP, sam, MethodType.methodType(iface),
                            samType, getter, MethodType.methodType(returnType, c))
                    .getTarget().invoke();
        } catch (Throwable e) {
            // No such getter (a name clash renamed it, or an unusual class): use getField instead.
            return null;
        }
    }
}
