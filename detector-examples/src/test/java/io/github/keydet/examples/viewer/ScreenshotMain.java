package io.github.keydet.examples.viewer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.ImageLoader;
import io.github.keydet.core.post.PostprocessConfig;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.ExecutionProvider;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Toolkit;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/**
 * Run by {@link ViewerScreenshotTest} in a JVM of its own under Xvfb: opens the viewer on an image with the bundled
 * COCO model (CPU, floor 0.05, threshold 0.3), waits until the detections are shown, captures the whole screen
 * with {@link Robot} and writes it (PNG) with where the picture's origin is on the screen and its scale (JSON).
 * Arguments: IMAGE SCREENSHOT.png LAYOUT.json.
 */
public final class ScreenshotMain {
  private ScreenshotMain() {}

  public static void main(String[] args) throws Exception {
    Path image = Path.of(args[0]);
    float floor = ScoredDetections.DEFAULT_FLOOR;
    ViewerSettings settings = new ViewerSettings(image, ModelChoice.of(BundledModels.COCO),
        choice -> choice.applyTo(OnnxDetector.builder()).optProvider(ExecutionProvider.cpu())
            .optPostprocess(PostprocessConfig.defaults().withScoreThreshold(floor)).build(),
        floor, 0.3f, ImageLoader.defaults());
    ViewerWindow window = Viewer.open(settings);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    AtomicReference<Boolean> shown = new AtomicReference<>(false);
    while (!shown.get()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the viewer showed no detections within 120 s");
      }
      Thread.sleep(200);
      SwingUtilities.invokeAndWait(() -> shown.set(window.model().analysis() != null));
    }
    Robot robot = new Robot();
    robot.waitForIdle();
    Thread.sleep(700);
    robot.waitForIdle();
    Map<String, Object> layout = new LinkedHashMap<>();
    SwingUtilities.invokeAndWait(() -> {
      ImageView view = window.imageView();
      Point screen = view.getLocationOnScreen();
      Point2D origin = view.toComponent(0, 0);
      layout.put("x", screen.x + origin.getX());
      layout.put("y", screen.y + origin.getY());
      layout.put("scale", view.scale());
      layout.put("shown", window.model().shown().size());
      layout.put("status", window.model().status());
    });
    BufferedImage shot = robot.createScreenCapture(new Rectangle(Toolkit.getDefaultToolkit().getScreenSize()));
    ImageIO.write(shot, "png", Path.of(args[1]).toFile());
    new ObjectMapper().writeValue(Path.of(args[2]).toFile(), layout);
    SwingUtilities.invokeAndWait(window::dispose);
    window.whenClosed().get(30, TimeUnit.SECONDS);
    System.exit(0);
  }
}
