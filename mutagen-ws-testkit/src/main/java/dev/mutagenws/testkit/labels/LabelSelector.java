package dev.mutagenws.testkit.labels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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

    /** Requirement operators (k8s {@code selection.Operator}). */
    public enum Operator {
        EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN
    }

    /** One requirement; {@code values} is sorted (Go byte order) and has no duplicates. */
    public record Requirement(String key, Operator operator, List<String> values) {
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
            return new LabelSelector(new Parser(text).parse());
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

    public List<Requirement> requirements() {
        return requirements;
    }

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

    // ------------------------------------------------------------------ lexer (mirrors k8s byte lexer)

    private enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN,
        IDENTIFIER, IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    private record Item(Token token, String literal) {
    }

    private static Token keyword(String s) {
        return switch (s) {
            case ")" -> Token.CLOSED_PAR;
            case "," -> Token.COMMA;
            case "!" -> Token.DOES_NOT_EXIST;
            case "==" -> Token.DOUBLE_EQUALS;
            case "=" -> Token.EQUALS;
            case ">" -> Token.GREATER_THAN;
            case "in" -> Token.IN;
            case "<" -> Token.LESS_THAN;
            case "!=" -> Token.NOT_EQUALS;
            case "notin" -> Token.NOT_IN;
            case "(" -> Token.OPEN_PAR;
            default -> null;
        };
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n'; // only these four, as in k8s
    }

    private static boolean isSpecialSymbol(char c) {
        return switch (c) {
            case '=', '!', '(', ')', ',', '>', '<' -> true;
            default -> false;
        };
    }

    private static final class Lexer {
        private final String s;
        private int pos;

        Lexer(String s) {
            this.s = s;
        }

        // Like Go: 0 at the end without advancing; a literal NUL also reads as 0 (and advances).
        private char read() {
            return pos < s.length() ? s.charAt(pos++) : 0;
        }

        private void unread() {
            pos--;
        }

        Item lex() {
            char ch = read();
            while (isWhitespace(ch)) {
                ch = read();
            }
            if (ch == 0) {
                return new Item(Token.END_OF_STRING, "");
            }
            unread();
            return isSpecialSymbol(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
        }

        private Item scanIdOrKeyword() {
            StringBuilder buf = new StringBuilder();
            while (true) {
                char ch = read();
                if (ch == 0) {
                    break;
                }
                if (isSpecialSymbol(ch) || isWhitespace(ch)) {
                    unread();
                    break;
                }
                buf.append(ch);
            }
            String lit = buf.toString();
            Token kw = keyword(lit);
            return new Item(kw != null ? kw : Token.IDENTIFIER, lit);
        }

        // Longest run of special symbols that still forms an operator ("!=" but "=" + "!").
        private Item scanSpecialSymbol() {
            Item last = null;
            StringBuilder buf = new StringBuilder();
            while (true) {
                char ch = read();
                if (ch == 0) {
                    break;
                }
                if (!isSpecialSymbol(ch)) {
                    unread();
                    break;
                }
                buf.append(ch);
                Token t = keyword(buf.toString());
                if (t != null) {
                    last = new Item(t, buf.toString());
                } else if (last != null) {
                    unread();
                    break;
                }
            }
            return last != null ? last : new Item(Token.ERROR, "error expected: keyword found '" + buf + "'");
        }
    }

    // ------------------------------------------------------------------ parser (mirrors k8s Parser)

    /** Internal carrier for an error text; converted to {@link LabelSelectorException}. */
    private static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Parser {
        private final List<Item> items = new ArrayList<>();
        private int position;

        Parser(String text) {
            Lexer lexer = new Lexer(text);
            while (true) {
                Item item = lexer.lex();
                items.add(item);
                if (item.token() == Token.END_OF_STRING) {
                    break;
                }
            }
        }

        // In value context the keywords "in"/"notin" are plain identifiers.
        private Item lookahead(boolean values) {
            return contextual(items.get(Math.min(position, items.size() - 1)), values);
        }

        private Item consume(boolean values) {
            Item item = lookahead(values);
            position++;
            return item;
        }

        private static Item contextual(Item item, boolean values) {
            if (values && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
                return new Item(Token.IDENTIFIER, item.literal());
            }
            return item;
        }

        List<Requirement> parse() throws ParseError {
            List<Requirement> requirements = new ArrayList<>();
            while (true) {
                Item next = lookahead(true);
                switch (next.token()) {
                    case IDENTIFIER, DOES_NOT_EXIST -> {
                        try {
                            requirements.add(parseRequirement());
                        } catch (ParseError e) {
                            throw new ParseError("unable to parse requirement: " + e.getMessage());
                        }
                        Item after = consume(true);
                        switch (after.token()) {
                            case END_OF_STRING -> {
                                return requirements;
                            }
                            case COMMA -> {
                                Item t2 = lookahead(true);
                                if (t2.token() != Token.IDENTIFIER && t2.token() != Token.DOES_NOT_EXIST) {
                                    throw new ParseError("found '" + t2.literal() + "', expected: identifier after ','");
                                }
                            }
                            default -> throw new ParseError(
                                    "found '" + after.literal() + "', expected: ',' or 'end of string'");
                        }
                    }
                    case END_OF_STRING -> {
                        return requirements;
                    }
                    default -> throw new ParseError(
                            "found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
                }
            }
        }

        private Requirement parseRequirement() throws ParseError {
            Operator operator = null;
            Item item = consume(true);
            if (item.token() == Token.DOES_NOT_EXIST) {
                operator = Operator.DOES_NOT_EXIST;
                item = consume(true);
            }
            if (item.token() != Token.IDENTIFIER) {
                throw new ParseError("found '" + item.literal() + "', expected: identifier");
            }
            String key = item.literal();
            List<String> keyErrors = LabelValidation.keyErrors(key);
            if (!keyErrors.isEmpty()) {
                // k8s: field.Invalid(nil path, key, ...) -> "<nil>: Invalid value: ..."
                throw new ParseError(invalid("<nil>", key, String.join("; ", keyErrors)));
            }
            Token t = lookahead(true).token();
            if ((t == Token.END_OF_STRING || t == Token.COMMA) && operator != Operator.DOES_NOT_EXIST) {
                operator = Operator.EXISTS;
            }
            if (operator == Operator.EXISTS || operator == Operator.DOES_NOT_EXIST) {
                return newRequirement(key, operator, List.of());
            }
            operator = parseOperator();
            Set<String> values = switch (operator) {
                case IN, NOT_IN -> parseValues();
                default -> parseExactValue();
            };
            return newRequirement(key, operator, new ArrayList<>(values));
        }

        private Operator parseOperator() throws ParseError {
            Item item = consume(false);
            return switch (item.token()) {
                case IN -> Operator.IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case GREATER_THAN -> Operator.GREATER_THAN;
                case LESS_THAN -> Operator.LESS_THAN;
                case NOT_IN -> Operator.NOT_IN;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                // The unbalanced quote before notin' is in the k8s v0.21 text.
                default -> throw new ParseError(
                        "found '" + item.literal() + "', expected: '=', '!=', '==', 'in', notin'");
            };
        }

        private Set<String> parseValues() throws ParseError {
            Item item = consume(true);
            if (item.token() != Token.OPEN_PAR) {
                throw new ParseError("found '" + item.literal() + "' expected: '('"); // sic: no comma
            }
            Item next = lookahead(true);
            switch (next.token()) {
                case IDENTIFIER, COMMA -> {
                    Set<String> s = parseIdentifiersList();
                    if (consume(true).token() != Token.CLOSED_PAR) {
                        throw new ParseError("found '" + next.literal() + "', expected: ')'");
                    }
                    return s;
                }
                case CLOSED_PAR -> {
                    consume(true);
                    return newValueSet(""); // "()" means the empty value
                }
                default -> throw new ParseError(
                        "found '" + next.literal() + "', expected: ',', ')' or identifier");
            }
        }

        private Set<String> parseIdentifiersList() throws ParseError {
            Set<String> s = newValueSet();
            while (true) {
                Item item = consume(true);
                switch (item.token()) {
                    case IDENTIFIER -> {
                        s.add(item.literal());
                        Item t2 = lookahead(true);
                        switch (t2.token()) {
                            case COMMA -> {
                                continue;
                            }
                            case CLOSED_PAR -> {
                                return s;
                            }
                            default -> throw new ParseError(
                                    "found '" + t2.literal() + "', expected: ',' or ')'");
                        }
                    }
                    case COMMA -> { // empty elements: "(,", ",,", ",)" all add ""
                        if (s.isEmpty()) {
                            s.add("");
                        }
                        Token t2 = lookahead(true).token();
                        if (t2 == Token.CLOSED_PAR) {
                            s.add("");
                            return s;
                        }
                        if (t2 == Token.COMMA) {
                            consume(true);
                            s.add("");
                        }
                    }
                    default -> throw new ParseError(
                            "found '" + item.literal() + "', expected: ',', or identifier");
                }
            }
        }

        private Set<String> parseExactValue() throws ParseError {
            Token t = lookahead(true).token();
            if (t == Token.END_OF_STRING || t == Token.COMMA) {
                return newValueSet("");
            }
            Item item = consume(true);
            if (item.token() == Token.IDENTIFIER) {
                return newValueSet(item.literal());
            }
            throw new ParseError("found '" + item.literal() + "', expected: identifier");
        }

        private static Set<String> newValueSet(String... initial) {
            Set<String> s = new TreeSet<>(GoText.BYTE_ORDER);
            Collections.addAll(s, initial);
            return s;
        }
    }

    /**
     * k8s {@code NewRequirement}: collects every failing rule as a field error and aggregates them
     * ({@code "[a, b]"} when more than one distinct message). Field paths are relative to a nil
     * root, hence {@code values[0]} and {@code values[0][key]}. The count checks k8s also makes
     * cannot fail for parsed input and are omitted.
     */
    private static Requirement newRequirement(String key, Operator op, List<String> values) throws ParseError {
        Set<String> errors = new LinkedHashSet<>(); // ToAggregate drops repeated messages
        List<String> keyErrors = LabelValidation.keyErrors(key);
        if (!keyErrors.isEmpty()) {
            errors.add(invalid("key", key, String.join("; ", keyErrors)));
        }
        if (op == Operator.GREATER_THAN || op == Operator.LESS_THAN) {
            for (int i = 0; i < values.size(); i++) {
                if (GoText.parseInt64(values.get(i)) == null) {
                    errors.add(invalid("values[" + i + "]", values.get(i),
                            "for 'Gt', 'Lt' operators, the value must be an integer"));
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrors = LabelValidation.valueErrors(values.get(i));
            if (!valueErrors.isEmpty()) {
                errors.add(invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrors)));
            }
        }
        if (errors.size() == 1) {
            throw new ParseError(errors.iterator().next());
        } else if (errors.size() > 1) {
            throw new ParseError("[" + String.join(", ", errors) + "]");
        }
        return new Requirement(key, op, values);
    }

    /** k8s {@code field.Invalid(path, value, detail).Error()} for a string value. */
    private static String invalid(String path, String value, String detail) {
        return path + ": Invalid value: " + GoText.quote(value) + (detail.isEmpty() ? "" : ": " + detail);
    }
}
