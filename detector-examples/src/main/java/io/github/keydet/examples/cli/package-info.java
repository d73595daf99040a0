/** The {@code keydet} command-line program: detect, bench and the tool subcommands. */
package io.github.keydet.examples.cli;
