/**
 * What the daemon says and asks during one operation, part of the public API: implement {@link Prompter} (or take
 * {@link Prompter#silent()} or {@link Prompter#messagesOnly(java.util.function.Consumer)}) and pass it to a
 * {@link dev.mutagenws.daemon.MutagenDaemon} call; a {@link PromptException} is a question that could not be answered.
 */
package dev.mutagenws.prompting;

