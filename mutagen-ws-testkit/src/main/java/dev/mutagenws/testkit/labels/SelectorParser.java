package dev.mutagenws.testkit.labels;

import dev.mutagenws.testkit.labels.LabelSelector.Operator;
import dev.mutagenws.testkit.labels.LabelSelector.Requirement;
import dev.mutagenws.testkit.labels.SelectorLexer.Item;
import dev.mutagenws.testkit.labels.SelectorLexer.Token;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parses a label selector's tokens into requirements, like k8s {@code labels.Parser} v0.21.3, with its exact
 * error texts.
 */
final class SelectorParser {
    /** Internal carrier for an error text; converted to {@link LabelSelectorException}. */
    static final class ParseError extends Exception {
        private static final long serialVersionUID = 1L;

        ParseError(String message) {
            super(message, null, false, false);
        }
    }

    private final List<Item> items = new ArrayList<>();
    private int position;

    SelectorParser(String text) {
        SelectorLexer lexer = new SelectorLexer(text);
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
