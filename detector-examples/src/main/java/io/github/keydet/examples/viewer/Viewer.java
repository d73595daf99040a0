package io.github.keydet.examples.viewer;

import com.formdev.flatlaf.FlatLightLaf;
import java.awt.GraphicsEnvironment;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.AtomicReference;
import javax.swing.SwingUtilities;

/**
 * Opens the KeyDet desktop viewer: the FlatLaf look and feel, one {@link ViewerWindow}. Embedding KeyDet in a
 * desktop program follows the same pattern: build the {@code OnnxDetector} and call {@code detect} on a worker
 * thread, never on the event thread, and hand the plain-record results to Swing.
 */
public final class Viewer {
  private Viewer() {}

  /**
   * Shows a viewer window and starts loading the initial model (and path). Returns at once; the window runs until
   * the user closes it ({@link ViewerWindow#whenClosed()}).
   *
   * @throws IllegalStateException without a display (headless)
   */
  public static ViewerWindow open(ViewerSettings settings) {
    if (GraphicsEnvironment.isHeadless()) {
      throw new IllegalStateException("keydet view needs a display: none is available (DISPLAY="
          + System.getenv("DISPLAY") + ", java.awt.headless=" + System.getProperty("java.awt.headless") + ")");
    }
    AtomicReference<ViewerWindow> window = new AtomicReference<>();
    try {
      SwingUtilities.invokeAndWait(() -> {
        FlatLightLaf.setup();
        ViewerWindow w = new ViewerWindow(settings);
        w.setVisible(true);
        w.start();
        window.set(w);
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the viewer", e);
    } catch (InvocationTargetException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    }
    return window.get();
  }
}
