/**
 * The checks behind {@code SecurityPolicy}: the request guard (Host, Origin, token, CORS), the guarded view of
 * an application's routes, security headers, token comparison, and the access log that never shows a token.
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.server.security;

