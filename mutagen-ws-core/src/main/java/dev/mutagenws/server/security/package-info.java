/**
 * How the gateway guards its routes. {@link SecurityPolicy}, part of the public API, says which Host headers, Origins
 * and token are accepted; the default checks Host and Origin and requires a token generated for the gateway.
 *
 * <p>Only {@code SecurityPolicy} is API. Any other public type in this package (the checks themselves, security
 * headers, token comparison, access logs) is internal plumbing and may change in any release.
 */
package dev.mutagenws.server.security;
