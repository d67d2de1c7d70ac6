package dev.mutagenws.protocol;

/** A request failed with a known protocol code and a message meant for the client. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int httpStatus;

    public ProtocolException(ErrorCode code, String message) {
        this(code, message, code.httpStatus());
    }

    public ProtocolException(ErrorCode code, String message, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_REQUEST, message);
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
