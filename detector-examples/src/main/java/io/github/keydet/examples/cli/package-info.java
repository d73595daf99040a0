/** The keydet command-line program's subcommands. */
package io.github.keydet.examples.cli;
