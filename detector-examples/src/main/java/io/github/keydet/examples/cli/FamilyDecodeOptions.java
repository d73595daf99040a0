package io.github.keydet.examples.cli;

import io.github.keydet.core.family.DetectorFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.family.FamilyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Registers every registered family's own {@code keydet decode} options ({@link DetectorFamily#decodeOptions()})
 * on the command, once per name, so that a new family's options appear without touching the command. A value is
 * read back with {@link #value}.
 */
public final class FamilyDecodeOptions implements IModelTransformer {
  /** For picocli. */
  public FamilyDecodeOptions() {}

  @Override
  public CommandSpec transform(CommandSpec command) {
    Map<String, FamilyOption> byName = new LinkedHashMap<>();
    for (DetectorFamily f : Families.all()) {
      for (FamilyOption o : f.decodeOptions()) {
        byName.putIfAbsent(o.name(), o);
      }
    }
    for (FamilyOption o : byName.values()) {
      if (command.findOption(o.name()) != null) {
        continue;
      }
      boolean flag = o.type() == Boolean.class;
      String help = o.description() + (o.defaultValue() != null && !flag ? " Default: ${DEFAULT-VALUE}." : "");
      OptionSpec.Builder b = OptionSpec.builder(o.name()).type(flag ? boolean.class : o.type())
          .description(help);
      if (flag) {
        // No default value for a flag: picocli applies an arity-0 option's default as if the flag were given,
        // which made every family flag true unless... never false. The initial value is what an absent flag reads.
        b.arity("0").initialValue(Boolean.FALSE).hasInitialValue(true);
      } else {
        b.paramLabel("<" + o.name().replaceFirst("^-+", "").replace('-', '_') + ">");
        if (o.defaultValue() != null) {
          b.defaultValue(o.defaultValue());
        }
      }
      command.addOption(b.build());
    }
    return command;
  }

  /** The parsed value (or default) of a family option; {@code null} when it has none. */
  static Object value(CommandSpec command, FamilyOption option) {
    if (command == null) {
      return option.defaultValue() == null ? null : convert(option, option.defaultValue());
    }
    OptionSpec spec = command.findOption(option.name());
    return spec == null ? null : spec.getValue();
  }

  private static Object convert(FamilyOption option, String text) {
    Class<?> t = option.type();
    if (t == Float.class) {
      return Float.valueOf(text);
    }
    if (t == Double.class) {
      return Double.valueOf(text);
    }
    if (t == Integer.class) {
      return Integer.valueOf(text);
    }
    if (t == Boolean.class) {
      return Boolean.valueOf(text);
    }
    if (t == String.class) {
      return text;
    }
    return text;
  }

  /** The registered family ids, for the {@code --family} help. */
  public static final class FamilyIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      List<String> ids = new ArrayList<>();
      Families.ids().forEach(id -> ids.add(id.id()));
      return ids.iterator();
    }
  }
}
