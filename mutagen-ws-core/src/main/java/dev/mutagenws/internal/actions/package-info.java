/**
 * The action layer: where every action of the protocol is executed, whatever the transport.
 * {@link dev.mutagenws.internal.actions.ActionData} turns an action's JSON into an
 * {@link dev.mutagenws.internal.actions.ActionRequest} (or a {@link dev.mutagenws.internal.actions.Subscribe});
 * {@link dev.mutagenws.internal.actions.ActionExecutor} runs it against the daemon and the live-state hub and
 * answers typed results, or fails with exceptions that {@link dev.mutagenws.internal.protocol.Failure#of(Throwable)}
 * gives their code and HTTP status. The WebSocket, REST and event-stream routes are adapters around it.
 *
 * <p>Internal: not part of the API, it may change at any time.
 */
package dev.mutagenws.internal.actions;

