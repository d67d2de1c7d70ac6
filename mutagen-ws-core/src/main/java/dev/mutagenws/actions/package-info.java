/**
 * The action layer: where every action of the protocol is executed, whatever the transport.
 * {@link dev.mutagenws.actions.ActionData} turns an action's JSON into an
 * {@link dev.mutagenws.actions.ActionRequest} (or a {@link dev.mutagenws.actions.Subscribe});
 * {@link dev.mutagenws.actions.ActionExecutor} runs it against the daemon and the live-state hub and
 * answers typed results, or fails with exceptions that {@link dev.mutagenws.protocol.Failure#of(Throwable)}
 * gives their code and HTTP status. The WebSocket, REST and event-stream routes are adapters around it.
 */
package dev.mutagenws.actions;
