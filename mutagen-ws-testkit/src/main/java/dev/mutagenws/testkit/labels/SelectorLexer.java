package dev.mutagenws.testkit.labels;

/** Splits a label selector into tokens, like the byte lexer of k8s {@code labels/selector.go} v0.21.3. */
final class SelectorLexer {
    enum Token {
        ERROR, END_OF_STRING, CLOSED_PAR, COMMA, DOES_NOT_EXIST, DOUBLE_EQUALS, EQUALS, GREATER_THAN,
        IDENTIFIER, IN, LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAR
    }

    record Item(Token token, String literal) {
    }

    private final String s;
    private int pos;

    SelectorLexer(String s) {
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
}
