package io.github.keydet.examples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of the real {@code keydet} command line in the test JVM, with what it printed.
 *
 * @param exit the exit code
 * @param out what it wrote to its standard output
 * @param err what it wrote to its standard error
 */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    CommandLine cl = KeyDetCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}
