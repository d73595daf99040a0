package io.github.keydet.examples.cli;

import io.github.keydet.api.KeyDetException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code keydet} program. */
@Command(
    name = "keydet",
    mixinStandardHelpOptions = true,
    version = "keydet 0.1.0",
    description = "Keypoint-based object detection (CenterNet, CornerNet, ExtremeNet...) on ONNX Runtime.",
    subcommands = {DetectCommand.class, BenchCommand.class, EvalCommand.class, DecodeCommand.class,
        TargetsCommand.class, CommandLine.HelpCommand.class})
public final class KeyDetCli {

  /** Exit code for a KeyDet error (bad input, model, configuration). */
  public static final int EXIT_ERROR = 1;

  /** Runs the program; exits with the command's code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new KeyDetCli());
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof KeyDetException || ex instanceof IllegalStateException) {
        commandLine.getErr().println("keydet: " + ex.getMessage());
        return EXIT_ERROR;
      }
      throw ex;
    });
    return cl;
  }
}
