package dev.mutagenws.testkit.labels;

import dev.mutagenws.testkit.labels.SelectorParser.ParseError;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable, parsed Kubernetes label selector with the semantics and error texts of
 * {@code k8s.io/apimachinery/pkg/labels} v0.21.3 ({@code labels.Parse} with no field path), which
 * the daemon uses for {@code Selection.labelSelector} (facts §4.3).
 *
 * <p>Grammar: comma-separated (AND) requirements {@code k=v}, {@code k==v}, {@code k!=v},
 * {@code k in (a,b)}, {@code k notin (a,b)}, {@code k}, {@code !k}, {@code k>n}, {@code k<n}. The
 * empty (or all-whitespace) selector matches everything.
 */
public final class LabelSelector {

    /**
     * Requirement operators (k8s {@code selection.Operator}), in declaration order: {@code =}, {@code ==}, {@code !=},
     * {@code in}, {@code notin}, the bare key (exists), {@code !key} (does not exist), {@code >} and {@code <}.
     */
    public enum Operator {
        EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN
    }

    /**
     * One requirement; {@code values} is sorted (Go byte order) and has no duplicates.
     *
     * @param key the label key
     * @param operator how the key's value is tested
     * @param values the operands: one for {@code =}, {@code ==}, {@code !=}, {@code >} and {@code <}; one or more for
     *     {@code in} and {@code notin}; none for the existence tests
     */
    public record Requirement(String key, Operator operator, List<String> values) {
        /** Copies {@code values} (unmodifiable); key and operator must not be null. */
        public Requirement {
            Objects.requireNonNull(key);
            Objects.requireNonNull(operator);
            values = List.copyOf(values);
        }

        /** k8s {@code Requirement.Matches}; absent keys satisfy {@code !=}, {@code notin} and {@code !k}. */
        public boolean matches(Map<String, String> labels) {
            boolean has = labels != null && labels.containsKey(key);
            String value = has ? Objects.requireNonNullElse(labels.get(key), "") : null;
            return switch (operator) {
                case IN, EQUALS, DOUBLE_EQUALS -> has && values.contains(value);
                case NOT_IN, NOT_EQUALS -> !has || !values.contains(value);
                case EXISTS -> has;
                case DOES_NOT_EXIST -> !has;
                case GREATER_THAN, LESS_THAN -> {
                    if (!has || values.size() != 1) {
                        yield false;
                    }
                    Long actual = GoText.parseInt64(value);
                    Long bound = GoText.parseInt64(values.get(0));
                    if (actual == null || bound == null) {
                        yield false;
                    }
                    yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
                }
            };
        }

        /** k8s {@code Requirement.String}. */
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            if (operator == Operator.DOES_NOT_EXIST) {
                sb.append('!');
            }
            sb.append(key);
            switch (operator) {
                case EXISTS, DOES_NOT_EXIST -> {
                    return sb.toString();
                }
                case EQUALS -> sb.append('=');
                case DOUBLE_EQUALS -> sb.append("==");
                case NOT_EQUALS -> sb.append("!=");
                case IN -> sb.append(" in ");
                case NOT_IN -> sb.append(" notin ");
                case GREATER_THAN -> sb.append('>');
                case LESS_THAN -> sb.append('<');
            }
            boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
            if (set) {
                sb.append('(');
            }
            sb.append(String.join(",", values));
            if (set) {
                sb.append(')');
            }
            return sb.toString();
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key, GoText.BYTE_ORDER)); // k8s sorts by key
        this.requirements = Collections.unmodifiableList(sorted);
    }

    /**
     * Parses {@code text}; on failure the exception message is the exact k8s error text (what the
     * daemon appends to {@code "unable to parse label selector: "}).
     */
    public static LabelSelector parse(String text) throws LabelSelectorException {
        Objects.requireNonNull(text, "text");
        try {
            return new LabelSelector(new SelectorParser(text).parse());
        } catch (ParseError e) {
            throw new LabelSelectorException(e.getMessage());
        }
    }

    /** True when every requirement matches (always true for the empty selector). */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The requirements sorted by key (as k8s does); unmodifiable, empty for the empty selector. */
    public List<Requirement> requirements() {
        return requirements;
    }

    /** True for the empty selector, which matches every session. */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** k8s canonical form, e.g. {@code env in (a,b),!x,y=1}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        requirements.forEach(r -> parts.add(r.toString()));
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && requirements.equals(other.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
