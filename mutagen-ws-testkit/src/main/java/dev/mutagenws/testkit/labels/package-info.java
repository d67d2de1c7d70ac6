/**
 * The daemon's validation rules with its exact error texts, as the {@link dev.mutagenws.testkit.FakeDaemon} applies
 * them: Kubernetes label selectors ({@link LabelSelector}), label keys and values, session names and identifiers.
 * Usable on their own, e.g. to check input the way the daemon will.
 */
package dev.mutagenws.testkit.labels;

