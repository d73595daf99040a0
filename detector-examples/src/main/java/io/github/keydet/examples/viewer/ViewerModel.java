package io.github.keydet.examples.viewer;

import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.StageTimings;
import io.github.keydet.examples.Annotator;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * What the viewer window shows, without Swing: the open source and the position in it, the current
 * {@link Analysis}, the score threshold and the picture that results (heat map or image, with the detections at or
 * above the threshold drawn by the {@link Annotator}). Changing the threshold re-filters the kept detections; only
 * a new position or model needs a new analysis. Mutable and confined to one thread (the event thread).
 */
public final class ViewerModel {
  private MediaSource source;
  private int index;
  private Analysis analysis;
  private float threshold;
  private final float floor;

  /**
   * An empty model.
   *
   * @param floor the score threshold detectors are built with (the lowest threshold that can be shown)
   * @param threshold the initial threshold, in [floor, 1]
   */
  public ViewerModel(float floor, float threshold) {
    this.floor = floor;
    setThreshold(threshold);
  }

  /** The score floor. */
  public float floor() {
    return floor;
  }

  /**
   * Opens a source at its first item.
   *
   * @return the previous source, or {@code null}: the caller closes it (the viewer does so on its worker thread,
   *     which may still be reading it)
   */
  public MediaSource open(MediaSource newSource) {
    MediaSource previous = source;
    source = newSource;
    index = 0;
    analysis = null;
    return previous;
  }

  /** The open source, or {@code null}. */
  public MediaSource source() {
    return source;
  }

  /** The position in the source. */
  public int index() {
    return index;
  }

  /** Whether there is an item after the current one. */
  public boolean hasNext() {
    return source != null && index + 1 < source.size();
  }

  /** Whether there is an item before the current one. */
  public boolean hasPrevious() {
    return source != null && index > 0;
  }

  /** Moves to item {@code i} (its analysis is then pending). */
  public void moveTo(int i) {
    if (source == null || i < 0 || i >= source.size()) {
      throw new IndexOutOfBoundsException("item " + i + " of " + (source == null ? 0 : source.size()));
    }
    index = i;
  }

  /** The current analysis, or {@code null} while none was shown. */
  public Analysis analysis() {
    return analysis;
  }

  /** Shows an analysis (of the current item). */
  public void show(Analysis a) {
    analysis = a;
  }

  public float threshold() {
    return threshold;
  }

  /**
   * Sets the score threshold; the shown detections follow without a new analysis.
   *
   * @throws InvalidConfigException outside [floor, 1]
   */
  public void setThreshold(float t) {
    if (!(t >= floor && t <= 1)) {
      throw new InvalidConfigException("threshold must be in [" + floor + ", 1], got " + t);
    }
    threshold = t;
  }

  /** The detections at or above the threshold, image pixels; empty without an analysis. */
  public List<Detection> shown() {
    return analysis == null ? List.of() : analysis.detections().above(threshold);
  }

  /** The picture: the heat map (or the image) with the shown detections drawn; {@code null} without an analysis. */
  public BufferedImage picture() {
    if (analysis == null) {
      return null;
    }
    BufferedImage base = analysis.heatOverlay() != null ? analysis.heatOverlay() : analysis.image();
    return Annotator.draw(base, shown(), analysis.family());
  }

  /** The status line: item, detections shown of those kept, and the stage timings in milliseconds. */
  public String status() {
    if (source == null) {
      return "Open an image, a folder or a video";
    }
    String item = source.name(index) + (source.isVideo() ? "" : " (" + (index + 1) + "/" + source.size() + ")");
    if (analysis == null) {
      return item;
    }
    StageTimings t = analysis.timings();
    return String.format(Locale.ROOT, "%s   %d of %d detections at >= %.2f   pre %.1f  net %.1f  dec %.1f  post %.1f"
        + "  total %.1f ms", item, shown().size(), analysis.detections().all().size(), threshold,
        t.preprocessNanos() / 1e6, t.inferenceNanos() / 1e6, t.decodeNanos() / 1e6, t.postprocessNanos() / 1e6,
        t.totalNanos() / 1e6);
  }

}
