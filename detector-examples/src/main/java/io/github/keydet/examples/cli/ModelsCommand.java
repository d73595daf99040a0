package io.github.keydet.examples.cli;

import io.github.keydet.models.BundledModel;
import io.github.keydet.models.BundledModels;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code keydet models}: the bundled models, their names for {@code --model} and their licences. */
@Command(name = "models", mixinStandardHelpOptions = true,
    description = "List the bundled models (usable as --model NAME) with their licences.")
final class ModelsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--licence", paramLabel = "NAME", description = "Print the full licence notice of one model")
  String licenceOf;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (licenceOf != null) {
      out.print(BundledModels.get(licenceOf).licenceNotice());
      out.flush();
      return KeyDetCli.EXIT_OK;
    }
    out.printf("%-8s %-10s %-36s %s%n", "name", "licence", "file", "description");
    for (BundledModel m : BundledModels.list()) {
      String aliases = m.aliases().isEmpty() ? "" : " (also: " + String.join(", ", m.aliases()) + ")";
      out.printf("%-8s %-10s %-36s %s%s%n", m.name(), m.licence(), m.fileName(), m.description(), aliases);
    }
    out.flush();
    return KeyDetCli.EXIT_OK;
  }
}
