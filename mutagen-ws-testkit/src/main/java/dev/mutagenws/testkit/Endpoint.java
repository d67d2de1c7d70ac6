package dev.mutagenws.testkit;

/** A session endpoint. */
public enum Endpoint {
    ALPHA, BETA
}
