package io.github.keydet.examples;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape the family redesign promised, measured on the main sources of every module: no package cycles, no
 * package named like Maven's build folder, family constants used only where families are defined, and no main
 * source file over 450 lines.
 */
class StructureTest {
  private static final Path ROOT = Path.of("..");
  private static final List<String> MODULES =
      List.of("detector-api", "detector-core", "detector-onnx", "detector-examples", "detector-server",
          "detector-spark");

  private static List<Path> mainSources() {
    return MODULES.stream().flatMap(m -> {
      Path dir = ROOT.resolve(m).resolve("src/main/java");
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(f -> f.toString().endsWith(".java")).toList().stream();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).toList();
  }

  @Test
  void noPackageCycles() {
    // main classes only: not this module's test classes, nor detector-core's test-jar on the test class path
    ImportOption mainOnly = location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
    JavaClasses classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("io.github.keydet");
    assertThat(classes.size()).isGreaterThan(100);
    slices().matching("io.github.keydet.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void noSourcePackageIsNamedTarget() {
    assertThat(mainSources()).isNotEmpty()
        .noneMatch(f -> f.toString().replace('\\', '/').contains("/target/"));
  }

  @Test
  void familyConstantsAreUsedOnlyWhereFamiliesAreDefined() throws IOException {
    Pattern constant = Pattern.compile("ModelFamily\\.[A-Z][A-Z_]+\\b");
    for (Path f : mainSources()) {
      String path = f.toString().replace('\\', '/');
      if (path.endsWith("api/ModelFamily.java") || path.contains("/core/family/")) {
        continue;
      }
      assertThat(constant.matcher(Files.readString(f)).find()).as("%s names a family constant", path).isFalse();
    }
  }

  @Test
  void noMainSourceFileIsOver450Lines() throws IOException {
    for (Path f : mainSources()) {
      assertThat(Files.readAllLines(f).size()).as("lines of %s", f).isLessThanOrEqualTo(450);
    }
  }
}
