package io.github.keydet.examples.cli;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.examples.viewer.ModelChoice;
import io.github.keydet.examples.viewer.ScoredDetections;
import io.github.keydet.examples.viewer.Viewer;
import io.github.keydet.examples.viewer.ViewerSettings;
import io.github.keydet.examples.viewer.ViewerWindow;
import java.awt.GraphicsEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code keydet view [IMAGE|DIR|VIDEO]}: the desktop viewer ({@link Viewer}). The model options apply to every
 * model picked in the window; detectors run with a score threshold of {@link ScoredDetections#DEFAULT_FLOOR} (or
 * {@code --threshold} when lower) so that the window's slider re-filters without running the network again, and
 * {@code --threshold} is the slider's start. Returns when the window is closed.
 */
@Command(name = "view", mixinStandardHelpOptions = true,
    description = "Desktop viewer: open an image, a folder (previous/next) or a video (play); pick a model; a score"
        + " slider, a heat-map view and per-stage timings. Needs a display.")
public final class ViewCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "IMAGE|DIR|VIDEO", description = "What to open at start")
  Path path;

  @Mixin ModelOptions model;

  @Override
  public Integer call() throws InterruptedException {
    if (path != null && !Files.exists(path)) {
      throw new InvalidInputException("image, folder or video does not exist: " + path);
    }
    if (GraphicsEnvironment.isHeadless()) {
      throw new InvalidConfigException("keydet view needs a display, and none is available (DISPLAY="
          + System.getenv("DISPLAY") + "); on a machine without one, run it under Xvfb (xvfb-run ./keydet view ...)");
    }
    ModelSource source = model.modelSource();
    ModelChoice initial = source.bundled() != null ? ModelChoice.of(source.bundled()) : ModelChoice.of(source.file());
    float floor = Math.min(ScoredDetections.DEFAULT_FLOOR, model.threshold);
    ViewerSettings settings = new ViewerSettings(path, initial, choice -> choice.applyTo(model.builder())
        .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(floor).withNmsIouThreshold(model.nmsIou)
            .withMaxDetections(model.maxDetections)).build(),
        floor, model.threshold, ImageLoader.defaults());
    ViewerWindow window = Viewer.open(settings);
    try {
      window.whenClosed().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("viewer failed: " + e.getCause(), e.getCause());
    }
    return KeyDetCli.EXIT_OK;
  }
}
