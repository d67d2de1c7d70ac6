/**
 * How the gateway guards its routes. {@link SecurityPolicy}, part of the public API, says which Host headers, Origins
 * and token are accepted; the default checks Host and Origin and requires a token generated for the gateway.
 */
package dev.mutagenws.server.security;

