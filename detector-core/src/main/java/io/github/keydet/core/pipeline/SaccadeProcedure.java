package io.github.keydet.core.pipeline;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.decode.Candidate;
import io.github.keydet.core.decode.CornerNetDecoder;
import io.github.keydet.core.heads.HeadView;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.nms.Nms;
import io.github.keydet.core.pipeline.StageClock.Stage;
import io.github.keydet.core.post.Postprocessor;
import io.github.keydet.core.saccade.SaccadeCanvas;
import io.github.keydet.core.saccade.SaccadeLocations;
import io.github.keydet.core.saccade.SaccadeLocations.Location;
import io.github.keydet.core.saccade.SaccadeSettings;
import io.github.keydet.core.spec.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * CornerNet-Saccade's test procedure ({@code cornernet_saccade_inference} of princeton-vl/CornerNet-Lite) over one
 * network of 255x255 input (the spec's input size) with corner heads and the attention maps {@code att0..att2}:
 *
 * <ol>
 *   <li>the image downsized to each of {@link SaccadeSettings#initSizes()} (longest side), centred in a canvas of
 *       zeros ({@link SaccadeCanvas}), all in one network run;
 *   <li>its corner pairs (CornerNet's decoding, corners on the map border rejected) mapped to image pixels and kept
 *       above score 0.3; its attention peaks above the threshold and its boxes above 0.5 become locations, reduced
 *       by location NMS ({@link SaccadeLocations}) to at most {@link SaccadeSettings#maxCrops()};
 *   <li>a canvas around each location at its zoom, the crops in runs of {@link SaccadeSettings#cropBatch()}, every
 *       valid pair mapped back;
 *   <li>all boxes merged per class by soft-NMS ({@link SaccadeSettings#merge()}), the best {@link
 *       SaccadeSettings#maxPerImage()} kept (ties at the cut kept), then the pipeline's post-processing selection
 *       (score threshold, NMS, cap) and clipping when configured.
 * </ol>
 *
 * <p>Boxes: (x1, y1, x2, y2) image pixels, float as the test code's float32 arrays. Stage times: canvases are
 * preprocessing, the runs inference, corner decoding and locations decoding, the merge post-processing. Immutable
 * and thread-safe when the network is.
 */
public final class SaccadeProcedure {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SaccadeProcedure.class);
  private static final String[] ATTENTION = {"att0", "att1", "att2"};

  private final ModelSpec spec;
  private final SaccadeSettings settings;
  private final CornerNetDecoder decoder;
  private final Postprocessor postprocessor;
  private final float[] mean;
  private final float[] std;
  private final int size;

  /**
   * A procedure for a model of this spec.
   *
   * @param postprocessor the final selection and clipping
   */
  public SaccadeProcedure(ModelSpec spec, SaccadeSettings settings, Postprocessor postprocessor) {
    this.spec = spec;
    this.settings = settings;
    this.postprocessor = postprocessor;
    this.decoder = new CornerNetDecoder(new CornerNetDecoder.Config(settings.k(), settings.kernel(),
        settings.aeThreshold(), settings.numDets(), true, spec.heatmaps()));
    this.mean = floats(spec.mean());
    this.std = floats(spec.std());
    this.size = spec.inputHeight();
    if (size <= 0 || spec.inputWidth() != size) {
      throw new io.github.keydet.api.InvalidConfigException("CornerNet-Saccade's crops are square: the spec's input"
          + " must be a fixed square size (255x255), got " + spec.inputWidth() + "x" + spec.inputHeight());
    }
    if (settings.attScales().size() != ATTENTION.length) {
      throw new io.github.keydet.api.InvalidConfigException("saccade settings give " + settings.attScales().size()
          + " attention scales; the model has " + ATTENTION.length + " attention maps " + List.of(ATTENTION));
    }
  }

  public SaccadeSettings settings() {
    return settings;
  }

  /** Each image's detections (image pixels), best first. */
  public List<List<Detection>> detect(List<BufferedImage> images, Network network, StageClock clock) {
    List<List<Detection>> out = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      out.add(detect(image, network, clock));
    }
    return out;
  }

  private List<Detection> detect(BufferedImage image, Network network, StageClock clock) {
    int h = image.getHeight();
    int w = image.getWidth();
    SaccadeCanvas.Planes planes = clock.time(Stage.PREPROCESS, () -> SaccadeCanvas.Planes.of(image, spec));
    List<Location> first = new ArrayList<>();
    for (int s : settings.initSizes()) {
      first.add(new Location(h / 2, w / 2, (float) ((double) s / Math.max(h, w)), 0));
    }
    List<float[]> boxes = new ArrayList<>();
    List<Location> next = new ArrayList<>();
    runs(planes, first, network, clock, (heads, pairs, item, loc, off) -> {
      for (float[] b : mapped(heads, pairs, loc, off)) {
        if (b[4] > 0.3f) {
          boxes.add(b);
        }
      }
      List<HeadView> maps = new ArrayList<>(ATTENTION.length);
      for (String a : ATTENTION) {
        maps.add(heads.view(a));
      }
      SaccadeLocations.fromAttention(maps, item, loc.scale(), off[0], off[1], h, w, settings, next);
    });
    List<Location> crops = clock.time(Stage.DECODE, () -> {
      if (settings.refDets()) {
        SaccadeLocations.fromDetections(boxes, next);
      }
      List<Location> kept = SaccadeLocations.nms(next, 16);
      return kept.size() > settings.maxCrops() ? kept.subList(0, settings.maxCrops()) : kept;
    });
    LOG.debug("saccade search on a {}x{} image: {} first-stage boxes, {} locations, {} crops", w, h, boxes.size(),
        next.size(), crops.size());
    runs(planes, crops, network, clock, (heads, pairs, item, loc, off) -> boxes.addAll(mapped(heads, pairs, loc, off)));
    return clock.time(Stage.POSTPROCESS, () -> merge(boxes, w, h));
  }

  /** What is done with one network input's heads. */
  @FunctionalInterface
  private interface ItemHandler {
    void handle(Heads heads, List<Candidate> pairs, int item, Location location, int[] offset);
  }

  /** Canvases for the locations in runs of at most {@code cropBatch}; each input's heads to {@code handler}. */
  private void runs(SaccadeCanvas.Planes planes, List<Location> locations, Network network, StageClock clock,
      ItemHandler handler) {
    int plane = 3 * size * size;
    for (int start = 0; start < locations.size(); start += settings.cropBatch()) {
      List<Location> batch = locations.subList(start, Math.min(locations.size(), start + settings.cropBatch()));
      int n = batch.size();
      FloatBuffer input = network.borrowInput(n * plane);
      try {
        int[][] offsets = clock.time(Stage.PREPROCESS, () -> canvases(planes, batch, input));
        try (NetworkRun run = network.run(input, shape(n))) {
          clock.add(Stage.PREPROCESS, run.inputNanos());
          clock.add(Stage.INFERENCE, run.inferenceNanos());
          Heads heads = run.heads();
          clock.time(Stage.DECODE, () -> {
            List<List<Candidate>> pairs = decoder.decode(heads);
            for (int i = 0; i < n; i++) {
              handler.handle(heads, pairs.get(i), i, batch.get(i), offsets[i]);
            }
            return null;
          });
        }
      } finally {
        network.returnInput(input);
      }
    }
  }

  private long[] shape(int n) {
    return spec.layout() == Layout.NCHW ? new long[] {n, 3, size, size} : new long[] {n, size, size, 3};
  }

  /** Writes the canvases into the input in the spec's layout; returns their window origins. */
  private int[][] canvases(SaccadeCanvas.Planes planes, List<Location> batch, FloatBuffer input) {
    int plane = size * size;
    float[] canvas = new float[3 * plane];
    int[][] offsets = new int[batch.size()][];
    for (int i = 0; i < batch.size(); i++) {
      Location l = batch.get(i);
      int side = (int) (size / l.scale());
      offsets[i] = SaccadeCanvas.fill(planes, (int) l.y(), (int) l.x(), side, side, canvas, size, mean, std);
      int base = i * 3 * plane;
      if (spec.layout() == Layout.NCHW) {
        input.put(base, canvas, 0, canvas.length);
      } else {
        for (int p = 0; p < plane; p++) {
          for (int c = 0; c < 3; c++) {
            input.put(base + 3 * p + c, canvas[c * plane + p]);
          }
        }
      }
    }
    input.limit(batch.size() * 3 * plane);
    return offsets;
  }

  /**
   * One input's valid corner pairs in image pixels: cells x input/output, / the location's zoom, + the canvas
   * origin (float, as the test code's {@code rescale_dets_} and {@code remap_dets_}); rows x1, y1, x2, y2, score,
   * class.
   */
  private List<float[]> mapped(Heads heads, List<Candidate> pairs, Location location, int[] offset) {
    HeadView tl = heads.view("tl_heat");
    float ratioX = (float) ((double) tl.width() / spec.inputWidth());
    float ratioY = (float) ((double) tl.height() / spec.inputHeight());
    List<float[]> out = new ArrayList<>(pairs.size());
    double s = location.scale();
    for (Candidate c : pairs) {
      out.add(new float[] {
          (float) ((c.x1() / ratioX) / s) + offset[1], (float) ((c.y1() / ratioY) / s) + offset[0],
          (float) ((c.x2() / ratioX) / s) + offset[1], (float) ((c.y2() / ratioY) / s) + offset[0],
          c.score(), c.classId()});
    }
    return out;
  }

  /** Per-class soft-NMS, the per-image cap, then the post-processor's selection (and clipping when set). */
  private List<Detection> merge(List<float[]> boxes, int w, int h) {
    List<Detection> all = new ArrayList<>(boxes.size());
    for (float[] b : boxes) {
      int cls = (int) b[5];
      all.add(new Detection(new BoundingBox(b[0], b[1], b[2], b[3]), b[4], cls, spec.label(cls), List.of(),
          List.of(), null));
    }
    List<Detection> merged = Nms.maxPerImage(Nms.softNms(all, settings.merge(), true), settings.maxPerImage());
    if (postprocessor.config().clipToImage()) {
      List<Detection> clipped = new ArrayList<>(merged.size());
      for (Detection d : merged) {
        BoundingBox b = d.box();
        float x1 = clamp(b.x1(), w);
        float y1 = clamp(b.y1(), h);
        clipped.add(new Detection(new BoundingBox(x1, y1, Math.max(x1, clamp(b.x2(), w)), Math.max(y1,
            clamp(b.y2(), h))), d.score(), d.classId(), d.label(), List.of(), List.of(), null));
      }
      merged = clipped;
    }
    return postprocessor.select(merged);
  }

  private static float clamp(float v, float max) {
    return Math.max(0f, Math.min(max, v));
  }

  private static float[] floats(List<Float> v) {
    if (v.size() != 3) {
      throw new InvalidInputException("need 3 values, got " + v);
    }
    return new float[] {v.get(0), v.get(1), v.get(2)};
  }
}
