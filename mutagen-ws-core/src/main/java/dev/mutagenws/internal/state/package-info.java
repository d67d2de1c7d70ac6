/**
 * The machinery behind {@code StateHub}: one polling loop per selection ({@code Upstream}), one mailbox per
 * subscriber that conflates what a slow reader has not taken ({@code Mailbox}), change events, epoch tokens, and the
 * shared long-poll of {@code list}.
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.state;

