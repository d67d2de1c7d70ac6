package dev.mutagenws.testkit;

/**
 * One of a session's two endpoints, as Mutagen names them: {@code ALPHA} is the first URL given at creation,
 * {@code BETA} the second.
 */
public enum Endpoint {
    ALPHA, BETA
}
