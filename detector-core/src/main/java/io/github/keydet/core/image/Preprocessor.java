package io.github.keydet.core.image;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ChannelOrder;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Turns images into a network input as a model spec describes it. Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@link ResizeMode#AFFINE_WARP}: CenterNet's {@code get_affine_transform(c, s, 0, [W, H])} with c = image
 *       center, s = max(h, w): scale W / s on both axes, the image center to the input center; bilinear
 *       sampling with zeros outside the image, the result rounded to 8 bits as {@code cv2.warpAffine} does.
 *   <li>{@link ResizeMode#LETTERBOX}: scale k = min(W/w, H/h), resized size (round(w·k), round(h·k)), pasted at
 *       ((W - nw) / 2, (H - nh) / 2) rounded down on a zero canvas; bilinear resize with TensorFlow's
 *       asymmetric sampling ({@code src = dst · w / nw}, edge clamped), values kept as floats.
 *   <li>{@link ResizeMode#PAD}: no scaling; canvas {@code (h | (m - 1)) + 1} by {@code (w | (m - 1)) + 1} (the
 *       largest of a batch), the image placed so that its center {@code (w // 2, h // 2)} lands on the canvas
 *       center.
 * </ul>
 *
 * Then each value becomes {@code (v * valueScale - mean[c]) / std[c]} in the model's channel order and layout.
 */
public final class Preprocessor {
  private final ModelSpec spec;

  /** A preprocessor for a model. */
  public Preprocessor(ModelSpec spec) {
    this.spec = spec;
  }

  /** One image as a batch of one. */
  public PreparedInput prepare(BufferedImage image) {
    return prepare(List.of(image), 1.0);
  }

  /** Several images as one batch (same input size for all). */
  public PreparedInput prepare(List<BufferedImage> images) {
    return prepare(images, 1.0);
  }

  /**
   * Several images as one batch at a test scale (CenterNet's multi-scale testing): the image is first scaled by
   * {@code scale}, then placed as the resize mode says. With a fixed input size (AFFINE_WARP, LETTERBOX) scales
   * above 1 zoom in and crop around the center; in PAD mode the canvas grows with the image.
   */
  public PreparedInput prepare(List<BufferedImage> images, double scale) {
    return prepare(images, scale, n -> FloatBuffer.wrap(new float[n]));
  }

  /**
   * As {@link #prepare(List, double)}, writing the values into a buffer that {@code buffers} supplies for the
   * element count (at least that capacity; filled from index 0, its limit set to the count). The detection
   * pipeline passes the runtime's pooled direct buffers, so that no input-sized array is allocated or copied per
   * call.
   */
  public PreparedInput prepare(List<BufferedImage> images, double scale, IntFunction<FloatBuffer> buffers) {
    if (images == null || images.isEmpty()) {
      throw new InvalidInputException("no images to prepare");
    }
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new io.github.keydet.api.InvalidConfigException("test scale must be > 0, got " + scale);
    }
    int canvasW = 0;
    int canvasH = 0;
    for (BufferedImage im : images) {
      requireImage(im);
      int[] c = canvasFor(im.getWidth(), im.getHeight(), scale);
      canvasW = Math.max(canvasW, c[0]);
      canvasH = Math.max(canvasH, c[1]);
    }
    int n = images.size();
    long size = (long) n * canvasW * canvasH * 3;
    if (size > Integer.MAX_VALUE - 8) {
      throw new InvalidInputException("network input " + n + " x 3 x " + canvasH + " x " + canvasW + " = " + size
          + " values does not fit one Java array (at most " + (Integer.MAX_VALUE - 8) + "); use smaller images");
    }
    int plane = canvasW * canvasH;
    FloatBuffer data = buffers.apply((int) size);
    if (data.capacity() < size) {
      throw new IllegalStateException("input buffer holds " + data.capacity() + " floats, " + size + " needed");
    }
    data.clear().limit((int) size);
    List<ImageTransform> transforms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      BufferedImage im = images.get(i);
      Geometry g = geometry(im.getWidth(), im.getHeight(), canvasW, canvasH, scale);
      transforms.add(g.transform);
      fill(Pixels.rows(im), im.getWidth(), im.getHeight(), g, canvasW, canvasH, data, i * plane * 3);
    }
    long[] shape = spec.layout() == Layout.NCHW
        ? new long[] {n, 3, canvasH, canvasW}
        : new long[] {n, canvasH, canvasW, 3};
    return new PreparedInput(data, shape, transforms);
  }

  private int[] canvasFor(int w, int h, double scale) {
    if (spec.resize() == ResizeMode.PAD) {
      int m = spec.padMultiple() - 1;
      return new int[] {(scaled(w, scale) | m) + 1, (scaled(h, scale) | m) + 1};
    }
    return new int[] {spec.inputWidth(), spec.inputHeight()};
  }

  private static int scaled(int size, double scale) {
    return Math.max(1, (int) (size * scale));
  }

  private static void requireImage(BufferedImage im) {
    if (im == null) {
      throw new InvalidInputException("image is null");
    }
    if (im.getWidth() <= 0 || im.getHeight() <= 0) {
      throw new InvalidInputException("image has no pixels: " + im.getWidth() + "x" + im.getHeight());
    }
  }

  /**
   * Where an image lands on the canvas and how it is sampled. Affine warps sample the inverse map on pixel
   * indices; pasted resizes sample with half-pixel centres from the paste origin (which may lie off-canvas
   * when a test scale crops), inside the clipped region, zero outside.
   */
  private record Geometry(
      ImageTransform transform,
      double sampleScaleX,
      double sampleScaleY,
      int pasteX,
      int pasteY,
      int regionX0,
      int regionY0,
      int regionX1,
      int regionY1,
      boolean pasted,
      boolean roundTo8Bit) {}

  /** The transform this preprocessor applies to an image of the given size (scale 1). */
  public ImageTransform transformFor(int imageWidth, int imageHeight) {
    int[] c = canvasFor(imageWidth, imageHeight, 1.0);
    return geometry(imageWidth, imageHeight, c[0], c[1], 1.0).transform;
  }

  private Geometry geometry(int w, int h, int canvasW, int canvasH, double scale) {
    switch (spec.resize()) {
      case AFFINE_WARP -> {
        // the one CenterNet affine (float32 triangles, as get_affine_transform): the training targets use it too
        AffineTransform a =
            AffineTransform.centerScale(w / 2.0, h / 2.0, Math.max(w, h) / scale, 0, canvasW, canvasH);
        ImageTransform t = new ImageTransform(a.m00(), a.m11(), a.m02(), a.m12(), w, h);
        return new Geometry(t, 1 / a.m00(), 1 / a.m11(), 0, 0, 0, 0, canvasW, canvasH, false, true);
      }
      case LETTERBOX -> {
        double k = scale * Math.min((double) canvasW / w, (double) canvasH / h);
        int nw = Math.max(1, (int) Math.floor(w * k + 0.5));
        int nh = Math.max(1, (int) Math.floor(h * k + 0.5));
        return pasted(w, h, nw, nh, Math.floorDiv(canvasW - nw, 2), Math.floorDiv(canvasH - nh, 2), canvasW, canvasH);
      }
      case PAD -> {
        int nw = scaled(w, scale);
        int nh = scaled(h, scale);
        return pasted(w, h, nw, nh, canvasW / 2 - nw / 2, canvasH / 2 - nh / 2, canvasW, canvasH);
      }
      default -> throw new IllegalStateException("unhandled resize mode " + spec.resize());
    }
  }

  private static Geometry pasted(int w, int h, int nw, int nh, int ox, int oy, int canvasW, int canvasH) {
    ImageTransform t = new ImageTransform((double) nw / w, (double) nh / h, ox, oy, w, h);
    return new Geometry(t, (double) w / nw, (double) h / nh, ox, oy,
        Math.max(0, ox), Math.max(0, oy), Math.min(canvasW, ox + nw), Math.min(canvasH, oy + nh), true, false);
  }

  private void fill(Pixels.RowReader pixels, int w, int h, Geometry g, int cw, int ch, FloatBuffer out, int base) {
    float[] mul = new float[3];
    float[] add = new float[3];
    int[] srcChannel = new int[3];
    for (int c = 0; c < 3; c++) {
      float std = spec.std().get(c);
      mul[c] = spec.valueScale() / std;
      add[c] = -spec.mean().get(c) / std;
      // model channel c is colour (RGB index) k; the source holds colour k at k, or at 2 - k when it is BGR
      int colour = spec.channelOrder() == ChannelOrder.RGB ? c : 2 - c;
      srcChannel[c] = pixels.bgr() ? 2 - colour : colour;
    }
    // Per-column and per-row sample positions: the map is axis-aligned, so they separate.
    int[] xa = new int[cw];
    int[] xb = new int[cw];
    float[] wxa = new float[cw];
    float[] wxb = new float[cw];
    for (int x = 0; x < cw; x++) {
      samplePos(sourceCoord(x, g.pasteX, g.transform.offsetX(), g.sampleScaleX, g.pasted), w, g.pasted,
          xa, xb, wxa, wxb, x);
    }
    int[] ya = new int[ch];
    int[] yb = new int[ch];
    float[] wya = new float[ch];
    float[] wyb = new float[ch];
    for (int y = 0; y < ch; y++) {
      samplePos(sourceCoord(y, g.pasteY, g.transform.offsetY(), g.sampleScaleY, g.pasted), h, g.pasted,
          ya, yb, wya, wyb, y);
    }
    boolean nchw = spec.layout() == Layout.NCHW;
    boolean round = g.roundTo8Bit;
    int plane = cw * ch;
    float m0 = mul[0];
    float m1 = mul[1];
    float m2 = mul[2];
    float a0 = add[0];
    float a1 = add[1];
    float a2 = add[2];
    // One output row is built in `line` (channel-planar for NCHW, interleaved for NHWC) and written with one
    // bulk put per channel plane: absolute puts element by element into a direct buffer are several times slower.
    // `line` starts as the outside row, and only the pasted columns [x0, x1) are rewritten per row.
    int step = nchw ? 1 : 3;
    int channelStride = nchw ? cw : 1;
    float[] outside = outsideRow(cw, nchw, a0, a1, a2);
    float[] line = outside.clone();
    int x0 = Math.max(0, g.regionX0);
    int x1 = Math.min(cw, g.regionX1);
    // the row cache resamples source channels already in model channel order, so the loop below has no selects
    RowCache rows = new RowCache(pixels, x0, x1, cw, xa, xb, wxa, wxb, srcChannel);
    // Where a canvas pixel is exactly one source pixel (weights 1 and 0 both ways: an image already of the
    // input size, or a whole-pixel shift), bilinear sampling and rounding give that pixel's byte back, so the
    // row is read through per-channel tables of v * mul + add: the same floats without the resampling.
    boolean wholeColumns = wholePixels(wxa, wxb, x0, x1);
    float[][] tables = wholeColumns ? normalisationTables(m0, a0, m1, a1, m2, a2) : null;
    for (int y = 0; y < ch; y++) {
      boolean rowIn = y >= g.regionY0 && y < g.regionY1;
      float[] src = outside;
      if (rowIn && wholeColumns && wya[y] == 1f && wyb[y] == 0f) {
        rows.normalisedRow(ya[y], tables, line, x0 * step, step, channelStride);
        src = line;
      } else if (rowIn) {
        // Separable bilinear: each needed source row is resampled horizontally once into one of two row slots
        // (consecutive canvas rows mostly share source rows), then two slots are blended vertically.
        float[] top = rows.row(ya[y], yb[y]);
        float[] bottom = rows.row(yb[y], ya[y]);
        float fa = wya[y];
        float fb = wyb[y];
        int o = x0 * step;
        if (round) {
          // Math.round of these sums (never negative: bilinear weights and bytes are not) is the truncation of
          // the exact double sum + 0.5, which compiles to three instructions instead of Math.round's bit tests
          for (int x = x0; x < x1; x++, o += step) {
            int i = 3 * x;
            line[o] = (int) ((double) (fa * top[i] + fb * bottom[i]) + 0.5) * m0 + a0;
            line[o + channelStride] = (int) ((double) (fa * top[i + 1] + fb * bottom[i + 1]) + 0.5) * m1 + a1;
            line[o + 2 * channelStride] = (int) ((double) (fa * top[i + 2] + fb * bottom[i + 2]) + 0.5) * m2 + a2;
          }
        } else {
          for (int x = x0; x < x1; x++, o += step) {
            int i = 3 * x;
            line[o] = (fa * top[i] + fb * bottom[i]) * m0 + a0;
            line[o + channelStride] = (fa * top[i + 1] + fb * bottom[i + 1]) * m1 + a1;
            line[o + 2 * channelStride] = (fa * top[i + 2] + fb * bottom[i + 2]) * m2 + a2;
          }
        }
        src = line;
      }
      if (nchw) {
        for (int c = 0; c < 3; c++) {
          out.put(base + c * plane + y * cw, src, c * cw, cw);
        }
      } else {
        out.put(base + y * cw * 3, src, 0, cw * 3);
      }
    }
  }

  /** Whether every column in [x0, x1) samples one source pixel with weight 1 (and its neighbour with 0). */
  private static boolean wholePixels(float[] wa, float[] wb, int x0, int x1) {
    for (int x = x0; x < x1; x++) {
      if (wa[x] != 1f || wb[x] != 0f) {
        return false;
      }
    }
    return x1 > x0;
  }

  /** For each model channel, the normalised value {@code v * mul + add} of every byte value v. */
  private static float[][] normalisationTables(float m0, float a0, float m1, float a1, float m2, float a2) {
    float[][] t = new float[3][256];
    for (int v = 0; v < 256; v++) {
      t[0][v] = v * m0 + a0;
      t[1][v] = v * m1 + a1;
      t[2][v] = v * m2 + a2;
    }
    return t;
  }

  /** A canvas row outside the pasted region: normalised zeros, in the row layout of {@link #fill}. */
  private static float[] outsideRow(int cw, boolean nchw, float a0, float a1, float a2) {
    float[] row = new float[cw * 3];
    for (int x = 0; x < cw; x++) {
      if (nchw) {
        row[x] = a0;
        row[cw + x] = a1;
        row[2 * cw + x] = a2;
      } else {
        row[3 * x] = a0;
        row[3 * x + 1] = a1;
        row[3 * x + 2] = a2;
      }
    }
    return row;
  }

  /**
   * Two slots of horizontally resampled source rows: per canvas column of the pasted range, three floats in model
   * channel order (model channel c reads source byte {@code srcChannel[c]} of the pixel).
   */
  private static final class RowCache {
    private final Pixels.RowReader pixels;
    private final int x0;
    private final int x1;
    private final int[] xa;
    private final int[] xb;
    private final float[] wxa;
    private final float[] wxb;
    private final int s0;
    private final int s1;
    private final int s2;
    private final float[][] slots;
    private final int[] slotRow = {-1, -1};

    RowCache(Pixels.RowReader pixels, int x0, int x1, int cw, int[] xa, int[] xb, float[] wxa, float[] wxb,
        int[] srcChannel) {
      this.pixels = pixels;
      this.x0 = x0;
      this.x1 = x1;
      this.xa = xa;
      this.xb = xb;
      this.wxa = wxa;
      this.wxb = wxb;
      this.s0 = srcChannel[0];
      this.s1 = srcChannel[1];
      this.s2 = srcChannel[2];
      this.slots = new float[][] {new float[cw * 3], new float[cw * 3]};
    }

    /**
     * Source row {@code r} read at the columns' source pixels (weight 1 each) and normalised through {@code
     * tables} straight into {@code line}, from index {@code o} in the row layout of {@link #fill}.
     */
    void normalisedRow(int r, float[][] tables, float[] line, int o, int step, int channelStride) {
      int p = pixels.row(r);
      byte[] rgb = pixels.data();
      float[] t0 = tables[0];
      float[] t1 = tables[1];
      float[] t2 = tables[2];
      for (int x = x0; x < x1; x++, o += step) {
        int pa = p + xa[x] * 3;
        line[o] = t0[rgb[pa + s0] & 0xFF];
        line[o + channelStride] = t1[rgb[pa + s1] & 0xFF];
        line[o + 2 * channelStride] = t2[rgb[pa + s2] & 0xFF];
      }
    }

    /** Source row {@code r} resampled, evicting the slot that does not hold {@code keep}. */
    float[] row(int r, int keep) {
      if (slotRow[0] == r) {
        return slots[0];
      }
      if (slotRow[1] == r) {
        return slots[1];
      }
      int victim = slotRow[0] == keep ? 1 : 0;
      float[] dst = slots[victim];
      int p = pixels.row(r);
      byte[] rgb = pixels.data();
      for (int x = x0; x < x1; x++) {
        int pa = p + xa[x] * 3;
        int pb = p + xb[x] * 3;
        float ga = wxa[x];
        float gb = wxb[x];
        int i = 3 * x;
        dst[i] = ga * (rgb[pa + s0] & 0xFF) + gb * (rgb[pb + s0] & 0xFF);
        dst[i + 1] = ga * (rgb[pa + s1] & 0xFF) + gb * (rgb[pb + s1] & 0xFF);
        dst[i + 2] = ga * (rgb[pa + s2] & 0xFF) + gb * (rgb[pb + s2] & 0xFF);
      }
      slotRow[victim] = r;
      return dst;
    }
  }

  /**
   * Source coordinate of a canvas pixel: a half-pixel-centre resize inside a pasted region ({@code cv2.resize}),
   * or the inverse of the affine map on pixel indices ({@code cv2.warpAffine}).
   */
  private static double sourceCoord(int dst, int region0, double offset, double sampleScale, boolean clamp) {
    return clamp ? (dst - region0 + 0.5) * sampleScale - 0.5 : (dst - offset) * sampleScale;
  }

  /**
   * Bilinear neighbours of a source coordinate. Out-of-image neighbours get weight 0 (zero border) unless
   * clamped to the edge.
   */
  private static void samplePos(
      double s, int size, boolean clamp, int[] ia, int[] ib, float[] wa, float[] wb, int at) {
    int i0 = (int) Math.floor(s);
    double f = s - i0;
    int i1 = i0 + 1;
    double w0 = 1 - f;
    double w1 = f;
    if (clamp) {
      i0 = Math.max(0, Math.min(size - 1, i0));
      i1 = Math.max(0, Math.min(size - 1, i1));
    } else {
      if (i0 < 0 || i0 >= size) {
        w0 = 0;
        i0 = 0;
      }
      if (i1 < 0 || i1 >= size) {
        w1 = 0;
        i1 = 0;
      }
    }
    ia[at] = i0;
    ib[at] = i1;
    wa[at] = (float) w0;
    wb[at] = (float) w1;
  }
}
