package io.github.keydet.examples.viewer;

import io.github.keydet.models.BundledModel;
import io.github.keydet.models.BundledModels;
import io.github.keydet.onnx.OnnxDetector;
import java.awt.BorderLayout;
import java.awt.event.ActionEvent;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javax.swing.AbstractAction;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JSlider;
import javax.swing.JToolBar;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewer's window: a tool bar (open, previous / next, play for videos, model, score threshold, heat map), the
 * picture, and a status bar with the item, the detections shown and the per-stage timings, and a progress
 * indicator while work runs. Model loads, image reads and detections run on one worker thread, in order; results
 * come back to the event thread, and a result for an item the user has already left is dropped. Errors are shown
 * in a dialog. Keys: left / right arrows step, space plays or pauses. Create and use on the event thread only.
 */
public final class ViewerWindow extends JFrame {
  private static final Logger LOG = LoggerFactory.getLogger(ViewerWindow.class);
  private static final String NO_HEAT = "off";
  private static final String FILE_ITEM = "ONNX file...";

  private final ViewerSettings settings;
  private final ViewerModel model;
  private final ImageView view = new ImageView();
  private final JLabel status = new JLabel(" ");
  private final JProgressBar progress = new JProgressBar();
  private final JButton previous = new JButton("\u25c0 Previous");
  private final JButton next = new JButton("Next \u25b6");
  private final JButton play = new JButton("Play");
  private final JComboBox<Object> models = new JComboBox<>();
  private final JSlider slider;
  private final JLabel thresholdLabel = new JLabel();
  private final JComboBox<String> heat = new JComboBox<>(new String[] {NO_HEAT});
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "keydet-viewer-worker");
    t.setDaemon(true);
    return t;
  });
  private final List<Consumer<ViewerWindow>> shownListeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  /** Touched on the worker thread only. */
  private OnnxDetector detector;
  private int busy;
  private long generation;
  private boolean playing;
  private boolean updatingModels;

  ViewerWindow(ViewerSettings settings) {
    super("KeyDet viewer");
    this.settings = settings;
    this.model = new ViewerModel(settings.floor(), settings.threshold());
    int min = (int) Math.ceil(settings.floor() * 100);
    this.slider = new JSlider(min, 100, Math.max(min, Math.round(settings.threshold() * 100)));
    setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    add(toolBar(), BorderLayout.NORTH);
    add(view, BorderLayout.CENTER);
    add(statusBar(), BorderLayout.SOUTH);
    keys();
    addWindowListener(new WindowAdapter() {
      @Override
      public void windowClosed(WindowEvent e) {
        shutDown();
      }
    });
    pack();
    setLocationByPlatform(true);
    refresh();
  }

  private JToolBar toolBar() {
    JToolBar bar = new JToolBar();
    bar.setFloatable(false);
    JButton open = new JButton("Open...");
    open.addActionListener(e -> chooseAndOpen());
    previous.addActionListener(e -> step(-1));
    next.addActionListener(e -> step(1));
    play.addActionListener(e -> togglePlay());
    for (BundledModel m : BundledModels.list()) {
      models.addItem(ModelChoice.of(m).displayName());
    }
    if (settings.initialModel().file() != null) {
      models.addItem(settings.initialModel().displayName());
    }
    models.addItem(FILE_ITEM);
    models.setSelectedItem(settings.initialModel().displayName());
    models.addActionListener(e -> modelPicked());
    slider.addChangeListener(e -> {
      model.setThreshold(slider.getValue() / 100f);
      refresh();
    });
    heat.addActionListener(e -> heatPicked());
    bar.add(open);
    bar.add(previous);
    bar.add(next);
    bar.add(play);
    bar.addSeparator();
    bar.add(new JLabel("Model "));
    bar.add(models);
    bar.addSeparator();
    bar.add(new JLabel("Score \u2265 "));
    bar.add(slider);
    bar.add(thresholdLabel);
    bar.addSeparator();
    bar.add(new JLabel("Heat map "));
    bar.add(heat);
    return bar;
  }

  private JPanel statusBar() {
    JPanel p = new JPanel(new BorderLayout(8, 0));
    p.setBorder(BorderFactory.createEmptyBorder(3, 6, 3, 6));
    progress.setIndeterminate(true);
    progress.setVisible(false);
    p.add(status, BorderLayout.CENTER);
    p.add(progress, BorderLayout.EAST);
    return p;
  }

  private void keys() {
    bind("LEFT", "previous", () -> step(-1));
    bind("RIGHT", "next", () -> step(1));
    bind("SPACE", "play", this::togglePlay);
  }

  private void bind(String key, String name, Runnable action) {
    getRootPane().getInputMap(JComponent.WHEN_IN_FOCUSED_WINDOW).put(KeyStroke.getKeyStroke(key), name);
    getRootPane().getActionMap().put(name, new AbstractAction() {
      @Override
      public void actionPerformed(ActionEvent e) {
        action.run();
      }
    });
  }

  /** Loads the initial model, then the initial path if any. */
  void start() {
    loadModel(settings.initialModel());
    if (settings.initialPath() != null) {
      open(settings.initialPath());
    }
  }

  /** The model of what is shown (event thread). */
  public ViewerModel model() {
    return model;
  }

  /** The picture component (event thread). */
  public ImageView imageView() {
    return view;
  }

  /** Called on the event thread each time a new analysis is shown. */
  public void addShownListener(Consumer<ViewerWindow> listener) {
    shownListeners.add(listener);
  }

  /** Completes when the window has been closed and its detector released. */
  public CompletableFuture<Void> whenClosed() {
    return closed;
  }

  /** Opens an image, a folder of images or a video (read on the worker). */
  public void open(Path path) {
    stopPlaying();
    submit("opening " + path.getFileName(), () -> {
      MediaSource source = MediaSource.open(path, settings.loader());
      SwingUtilities.invokeLater(() -> {
        MediaSource old = model.open(source);
        if (old != null) {
          worker.execute(old::close);
        }
        analyse(0);
      });
    });
  }

  private void chooseAndOpen() {
    JFileChooser chooser = new JFileChooser();
    chooser.setFileSelectionMode(JFileChooser.FILES_AND_DIRECTORIES);
    chooser.setDialogTitle("Open an image, a folder of images or a video");
    if (chooser.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
      open(chooser.getSelectedFile().toPath());
    }
  }

  private void step(int delta) {
    if (delta > 0 ? model.hasNext() : model.hasPrevious()) {
      stopPlaying();
      analyse(model.index() + delta);
    }
  }

  private void togglePlay() {
    if (model.source() == null || !model.source().isVideo()) {
      return;
    }
    playing = !playing;
    play.setText(playing ? "Pause" : "Play");
    if (playing && model.analysis() != null) {
      analyse(model.hasNext() ? model.index() + 1 : 0);
    }
  }

  private void stopPlaying() {
    playing = false;
    play.setText("Play");
  }

  /** Reads item {@code i} and detects on the worker; shows the result unless the user moved on meanwhile. */
  private void analyse(int i) {
    model.moveTo(i);
    long gen = ++generation;
    MediaSource source = model.source();
    String head = selectedHead();
    refresh();
    submit("detecting " + source.name(i), () -> {
      BufferedImage image = source.load(i);
      Analysis a = Analysis.of(requireDetector(), image, settings.floor(), head);
      SwingUtilities.invokeLater(() -> {
        if (gen == generation) {
          model.show(a);
          refresh();
          shownListeners.forEach(l -> l.accept(this));
          if (playing) {
            continuePlaying(source);
          }
        }
      });
    });
  }

  /** The next frame at the video's rate at most (sooner frames wait; slower detection sets the pace). */
  private void continuePlaying(MediaSource source) {
    if (!model.hasNext()) {
      stopPlaying();
      return;
    }
    int delay = (int) Math.max(1, 1000 / Math.max(1, source.framesPerSecond()) - 30);
    Timer t = new Timer(delay, e -> {
      if (playing && model.source() == source) {
        analyse(model.index() + 1);
      }
    });
    t.setRepeats(false);
    t.start();
  }

  private void modelPicked() {
    if (updatingModels) {
      return;
    }
    Object item = models.getSelectedItem();
    if (FILE_ITEM.equals(item)) {
      JFileChooser chooser = new JFileChooser();
      chooser.setDialogTitle("Open an ONNX model");
      if (chooser.showOpenDialog(this) != JFileChooser.APPROVE_OPTION) {
        return;
      }
      File f = chooser.getSelectedFile();
      updatingModels = true;
      models.insertItemAt(f.getName(), models.getItemCount() - 1);
      models.setSelectedItem(f.getName());
      updatingModels = false;
      loadModel(ModelChoice.of(f.toPath()));
      return;
    }
    BundledModels.find(String.valueOf(item)).map(ModelChoice::of)
        .or(() -> settings.initialModel().displayName().equals(item) ? java.util.Optional.of(settings.initialModel())
            : java.util.Optional.empty())
        .ifPresent(this::loadModel);
  }

  /** Builds the detector on the worker, closes the previous one, then re-detects the current item. */
  private void loadModel(ModelChoice choice) {
    stopPlaying();
    submit("loading model " + choice.displayName(), () -> {
      OnnxDetector fresh = settings.detectors().apply(choice);
      OnnxDetector old = detector;
      detector = fresh;
      if (old != null) {
        old.close();
      }
      List<String> heads = Analysis.heatmapHeads(fresh);
      String title = "KeyDet viewer: " + fresh.modelInfo().name() + " (" + fresh.modelInfo().family() + ", "
          + fresh.modelInfo().executionProvider() + ")";
      SwingUtilities.invokeLater(() -> {
        setTitle(title);
        List<String> items = new ArrayList<>(heads);
        items.add(0, NO_HEAT);
        heat.removeAllItems();
        items.forEach(heat::addItem);
        if (model.source() != null) {
          analyse(model.index());
        }
      });
    });
  }

  private void heatPicked() {
    Analysis current = model.analysis();
    String head = selectedHead();
    if (current == null || java.util.Objects.equals(head, current.heatHead())) {
      return;
    }
    long gen = generation;
    submit(head == null ? "hiding the heat map" : "running heat map " + head, () -> {
      Analysis a = current.withHeat(requireDetector(), head);
      SwingUtilities.invokeLater(() -> {
        if (gen == generation) {
          model.show(a);
          refresh();
        }
      });
    });
  }

  private String selectedHead() {
    Object h = heat.getSelectedItem();
    return h == null || NO_HEAT.equals(h) ? null : h.toString();
  }

  private OnnxDetector requireDetector() {
    if (detector == null) {
      throw new IllegalStateException("no model is loaded");
    }
    return detector;
  }

  /** Runs a task on the worker with the progress indicator on; an exception is shown in a dialog. */
  private void submit(String what, Runnable task) {
    busy++;
    refreshBusy(what);
    worker.execute(() -> {
      try {
        task.run();
      } catch (Throwable e) { // any failure becomes a dialog; the worker thread stays alive
        LOG.warn("viewer: {} failed", what, e);
        SwingUtilities.invokeLater(() -> {
          stopPlaying();
          JOptionPane.showMessageDialog(this, "Failed " + what + ":\n" + e.getMessage(), "KeyDet",
              JOptionPane.ERROR_MESSAGE);
        });
      } finally {
        SwingUtilities.invokeLater(() -> {
          busy--;
          refreshBusy(null);
        });
      }
    });
  }

  private void refreshBusy(String what) {
    progress.setVisible(busy > 0);
    progress.setString(what);
    progress.setStringPainted(what != null);
  }

  private void refresh() {
    thresholdLabel.setText(String.format(Locale.ROOT, " %.2f ", model.threshold()));
    previous.setEnabled(model.hasPrevious());
    next.setEnabled(model.hasNext());
    play.setEnabled(model.source() != null && model.source().isVideo());
    BufferedImage picture = model.picture();
    if (picture != null) {
      view.setPicture(picture);
    }
    status.setText(model.status());
  }

  private void shutDown() {
    stopPlaying();
    MediaSource source = model.open(null);
    worker.execute(() -> {
      if (detector != null) {
        detector.close();
        detector = null;
      }
      if (source != null) {
        source.close();
      }
      closed.complete(null);
    });
    worker.shutdown();
  }
}
