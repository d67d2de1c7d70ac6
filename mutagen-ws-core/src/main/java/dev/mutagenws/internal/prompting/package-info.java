/**
 * Hosting a {@code Prompter} on the daemon for the length of one operation (the daemon's Prompting service).
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.prompting;

