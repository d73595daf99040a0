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
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:KeyDet error (bad input, model or settings), reported on stderr",
        "2:invalid command line",
        "3:detect: some images could not be processed (each reported on stderr), the others were"},
    subcommands = {DetectCommand.class, BenchCommand.class, EvalCommand.class, DecodeCommand.class,
        SegmentCommand.class,
        TargetsCommand.class, ModelsCommand.class, ViewCommand.class, CommandLine.HelpCommand.class})
public final class KeyDetCli {

  /** Exit code when everything worked. */
  public static final int EXIT_OK = 0;

  /** Exit code for a KeyDet error (bad input, model, configuration). */
  public static final int EXIT_ERROR = 1;

  /** Exit code of {@code detect} when some images could not be processed (the others were). */
  public static final int EXIT_SOME_FAILED = 3;

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
