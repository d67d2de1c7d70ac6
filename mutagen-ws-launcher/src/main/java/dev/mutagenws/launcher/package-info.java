/**
 * The runnable jar ({@code mutagen-ws.jar}): {@link Launcher} reads flags and environment variables, starts a gateway
 * on its own port (or with a fake daemon in demo mode) and stops it on SIGINT or SIGTERM. An application, not a
 * library: everything here is internal and may change in any release.
 */
package dev.mutagenws.launcher;

