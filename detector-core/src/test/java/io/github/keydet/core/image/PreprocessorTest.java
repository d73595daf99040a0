package io.github.keydet.core.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.ImageInputs;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.heads.Layout;
import io.github.keydet.core.spec.ChannelOrder;
import io.github.keydet.core.spec.ModelSpec;
import io.github.keydet.core.spec.ResizeMode;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Affine warp, pad mode, normalisation, layouts and channel order, checked by hand; grey images. */
class PreprocessorTest {

  /** Raw 0..255 values, RGB, NHWC: the input shows the resampled pixels as they are. */
  private static ModelSpec.Builder raw() {
    return ModelSpec.builder().setFamily(ModelFamily.CENTERNET).optLayout(Layout.NHWC)
        .optChannelOrder(ChannelOrder.RGB).optValueScale(1f).optMeanStd(new float[] {0, 0, 0}, new float[] {1, 1, 1});
  }

  private static BufferedImage rgbImage(int w, int h, int[][] rgb) {
    BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int[] p = rgb[y * w + x];
        im.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
      }
    }
    return im;
  }

  private static float nhwc(PreparedInput in, int y, int x, int c) {
    int w = (int) in.shape()[2];
    return in.data()[(y * w + x) * 3 + c];
  }

  @Test
  void affineWarpOfASmallImageByHand() {
    // 4x2 image into an 8x8 input: s = max(4, 2) = 4, scale 2, offset (8/2 - 2*2, 8/2 - 2*1) = (0, 2);
    // input (x, y) samples the image at (x / 2, (y - 2) / 2), zeros outside, rounded to integers.
    int[][] px = new int[8][];
    for (int i = 0; i < 8; i++) {
      px[i] = new int[] {10 + 20 * i, 201 - 10 * i, 7 * i + 1};
    }
    BufferedImage im = rgbImage(4, 2, px);
    PreparedInput in = new Preprocessor(raw().optInputSize(8, 8).build()).prepare(im);
    assertThat(in.shape()).containsExactly(1, 8, 8, 3);
    ImageTransform t = in.transforms().get(0);
    assertThat(new double[] {t.scaleX(), t.scaleY(), t.offsetX(), t.offsetY()}).containsExactly(2, 2, 0, 2);
    for (int c = 0; c < 3; c++) {
      // exact pixel: input (2, 4) = image (1, 1)
      assertThat(nhwc(in, 4, 2, c)).isEqualTo(px[4 + 1][c]);
      // half-way between image (1, 1) and (2, 1), rounded half up: input (3, 4)
      assertThat(nhwc(in, 4, 3, c)).isEqualTo((float) Math.round((px[5][c] + px[6][c]) / 2.0));
      // half a pixel above the image: half of image (0, 0) against the zero border
      assertThat(nhwc(in, 1, 0, c)).isEqualTo((float) Math.round(px[0][c] / 2.0));
      // image (3.5, 1.5): only (3, 1) is inside, weight 1/4
      assertThat(nhwc(in, 5, 7, c)).isEqualTo((float) Math.round(px[7][c] / 4.0));
      // fully outside: zero
      assertThat(nhwc(in, 0, 3, c)).isZero();
      assertThat(nhwc(in, 7, 6, c)).isZero();
    }
    // every value is an integer (cv2.warpAffine writes 8-bit pixels)
    for (float v : in.data()) {
      assertThat(v).isEqualTo((float) Math.rint(v));
    }
  }

  @Test
  void padModeCanvasSizesAndOffsets() {
    ModelSpec spec = raw().optResize(ResizeMode.PAD).optPadMultiple(32).build();
    Preprocessor pre = new Preprocessor(spec);
    BufferedImage a = rgbImage(5, 3, fill(15, new int[] {9, 8, 7}));
    PreparedInput one = pre.prepare(a);
    // (3 | 31) + 1 = 32, (5 | 31) + 1 = 32; center (5 // 2, 3 // 2) = (2, 1) -> (16, 16): offset (14, 15)
    assertThat(one.shape()).containsExactly(1, 32, 32, 3);
    assertThat(one.transforms().get(0).offsetX()).isEqualTo(14);
    assertThat(one.transforms().get(0).offsetY()).isEqualTo(15);
    assertThat(nhwc(one, 15, 14, 0)).isEqualTo(9f);
    assertThat(nhwc(one, 17, 18, 2)).isEqualTo(7f);
    assertThat(nhwc(one, 14, 14, 0)).isZero();
    assertThat(nhwc(one, 15, 13, 0)).isZero();
    assertThat(nhwc(one, 18, 18, 0)).isZero();
    // exact multiples grow by one multiple: (32 | 31) + 1 = 64; (31 | 31) + 1 = 32; (33 | 31) + 1 = 64
    assertThat(pre.prepare(rgbImage(32, 31, fill(32 * 31, new int[] {1, 1, 1}))).shape()).containsExactly(1, 32, 64, 3);
    assertThat(pre.prepare(rgbImage(33, 1, fill(33, new int[] {1, 1, 1}))).shape()).containsExactly(1, 32, 64, 3);
    // 128 for Hourglass
    Preprocessor hg = new Preprocessor(raw().optResize(ResizeMode.PAD).optPadMultiple(128).build());
    assertThat(hg.transformFor(500, 300).offsetX()).isEqualTo(256 - 250);
    assertThat(hg.prepare(rgbImage(130, 2, fill(260, new int[] {1, 1, 1}))).shape()).containsExactly(1, 128, 256, 3);
    // a batch takes the largest canvas; each image centered on it
    PreparedInput batch = pre.prepare(List.of(a, rgbImage(40, 10, fill(400, new int[] {1, 1, 1}))));
    assertThat(batch.shape()).containsExactly(2, 32, 64, 3);
    assertThat(batch.transforms().get(0).offsetX()).isEqualTo(32 - 2);
    assertThat(batch.transforms().get(1).offsetX()).isEqualTo(32 - 20);
    assertThat(batch.transforms().get(1).offsetY()).isEqualTo(16 - 5);
  }

  private static int[][] fill(int n, int[] p) {
    int[][] a = new int[n][];
    java.util.Arrays.fill(a, p);
    return a;
  }

  @Test
  void layoutChannelOrderAndNormalisation() {
    // a 4x4 image letterboxed into 4x4 is copied exactly; pixel (1, 2) = RGB (10, 20, 30)
    int[][] px = fill(16, new int[] {0, 0, 0});
    px[2 * 4 + 1] = new int[] {10, 20, 30};
    BufferedImage im = rgbImage(4, 4, px);
    float[] mean = {0.1f, 0.2f, 0.3f};
    float[] std = {0.5f, 0.25f, 0.125f};
    for (Layout layout : Layout.values()) {
      for (ChannelOrder order : ChannelOrder.values()) {
        ModelSpec spec = ModelSpec.builder().setFamily(ModelFamily.CENTERNET).optResize(ResizeMode.LETTERBOX)
            .optInputSize(4, 4).optLayout(layout).optChannelOrder(order).optValueScale(1 / 255f)
            .optMeanStd(mean, std).build();
        PreparedInput in = new Preprocessor(spec).prepare(im);
        int[] src = order == ChannelOrder.RGB ? new int[] {10, 20, 30} : new int[] {30, 20, 10};
        for (int c = 0; c < 3; c++) {
          int idx = layout == Layout.NCHW ? c * 16 + 2 * 4 + 1 : (2 * 4 + 1) * 3 + c;
          float expected = (src[c] / 255f - mean[c]) / std[c];
          assertThat(in.data()[idx]).as(layout + " " + order + " channel " + c).isCloseTo(expected, within(1e-5f));
          int zeroIdx = layout == Layout.NCHW ? c * 16 : c;
          assertThat(in.data()[zeroIdx]).isCloseTo(-mean[c] / std[c], within(1e-5f));
        }
        assertThat(in.shape()).containsExactly(layout == Layout.NCHW ? new long[] {1, 3, 4, 4} : new long[] {1, 4, 4, 3});
      }
    }
  }

  @Test
  void wholePixelCanvasesAreTheNormalisedBytes() {
    // an image of the input size (LETTERBOX, AFFINE_WARP) and one shifted by whole pixels (PAD) sample every canvas
    // pixel from one source pixel with weight 1: each value is exactly the byte's (v * scale - mean) / std as the
    // resampling arithmetic gives it, v * (scale / std) + (-mean / std) in float
    java.util.Random rnd = new java.util.Random(7);
    int w = 37;
    int h = 23;
    int[][] px = new int[w * h][];
    for (int i = 0; i < px.length; i++) {
      px[i] = new int[] {rnd.nextInt(256), rnd.nextInt(256), rnd.nextInt(256)};
    }
    BufferedImage im = rgbImage(w, h, px);
    float[] mean = {0.408f, 0.447f, 0.47f};
    float[] std = {0.289f, 0.274f, 0.278f};
    for (ResizeMode mode : new ResizeMode[] {ResizeMode.LETTERBOX, ResizeMode.AFFINE_WARP, ResizeMode.PAD}) {
      for (Layout layout : Layout.values()) {
        ModelSpec spec = ModelSpec.builder().setFamily(ModelFamily.CENTERNET).optResize(mode).optInputSize(w, h)
            .optPadMultiple(32).optLayout(layout).optChannelOrder(ChannelOrder.BGR).optValueScale(1 / 255f)
            .optMeanStd(mean, std).build();
        PreparedInput in = new Preprocessor(spec).prepare(im);
        int cw = (int) (layout == Layout.NCHW ? in.shape()[3] : in.shape()[2]);
        int ch = (int) (layout == Layout.NCHW ? in.shape()[2] : in.shape()[1]);
        int ox = (int) in.transforms().get(0).offsetX();
        int oy = (int) in.transforms().get(0).offsetY();
        // PAD: canvas (37 | 31) + 1 = 64 by (23 | 31) + 1 = 32, the image centre (18, 11) on (32, 16)
        assertThat(new int[] {ox, oy}).isEqualTo(mode == ResizeMode.PAD ? new int[] {14, 5} : new int[] {0, 0});
        for (int y = 0; y < ch; y++) {
          for (int x = 0; x < cw; x++) {
            int sx = x - ox;
            int sy = y - oy;
            boolean inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
            for (int c = 0; c < 3; c++) {
              int v = inside ? px[sy * w + sx][2 - c] : 0; // BGR model channel c is colour 2 - c
              float expected = v * ((1 / 255f) / std[c]) + (-mean[c] / std[c]);
              int idx = layout == Layout.NCHW ? (c * ch + y) * cw + x : (y * cw + x) * 3 + c;
              assertThat(in.data()[idx]).as("%s %s (%d, %d) channel %d", mode, layout, x, y, c).isEqualTo(expected);
            }
          }
        }
      }
    }
  }

  @Test
  void greyPngIsNotBrightened() throws IOException {
    BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster r = grey.getRaster();
    int[] values = {0, 50, 100, 128, 200, 255};
    for (int i = 0; i < 6; i++) {
      r.setSample(i % 3, i / 3, 0, values[i]);
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertThat(ImageIO.write(grey, "png", png)).isTrue();
    BufferedImage read = ImageInputs.read(png.toByteArray());
    byte[] rgb = Pixels.rgb(read);
    for (int i = 0; i < 6; i++) {
      for (int c = 0; c < 3; c++) {
        assertThat(rgb[3 * i + c] & 0xFF).as("pixel %d channel %d", i, c).isEqualTo(values[i]);
      }
    }
    // the trap this avoids: getRGB on a grey image brightens mid-greys
    assertThat((read.getRGB(2, 0) >> 16) & 0xFF).isNotEqualTo(100);
    // 16-bit grey keeps the high byte
    BufferedImage grey16 = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(0, 0, 0, 100 << 8);
    grey16.getRaster().setSample(1, 0, 0, 65535);
    byte[] rgb16 = Pixels.rgb(grey16);
    assertThat(rgb16[0] & 0xFF).isEqualTo(100);
    assertThat(rgb16[3] & 0xFF).isEqualTo(255);
  }

  @Test
  void greyWithAlphaPngIsNotBrightened() throws IOException {
    java.awt.color.ColorSpace gray = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
    java.awt.image.ComponentColorModel cm = new java.awt.image.ComponentColorModel(
        gray, true, false, java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    WritableRaster r = cm.createCompatibleWritableRaster(2, 1);
    r.setSample(0, 0, 0, 100);
    r.setSample(0, 0, 1, 255);
    r.setSample(1, 0, 0, 30);
    r.setSample(1, 0, 1, 128);
    BufferedImage ga = new BufferedImage(cm, r, false, null);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertThat(ImageIO.write(ga, "png", png)).isTrue();
    BufferedImage read = ImageInputs.read(png.toByteArray());
    assertThat(read.getRaster().getNumBands()).isEqualTo(2);
    byte[] rgb = Pixels.rgb(read);
    assertThat(new int[] {rgb[0] & 0xFF, rgb[1] & 0xFF, rgb[2] & 0xFF, rgb[3] & 0xFF}).containsExactly(100, 100, 100, 30);
  }

  @Test
  void colourTypesReadTheSamePixels() {
    int[][] px = {{1, 2, 3}, {250, 128, 7}, {0, 255, 90}, {33, 66, 99}};
    BufferedImage ref = rgbImage(2, 2, px);
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_INT_BGR}) {
      BufferedImage im = new BufferedImage(2, 2, type);
      im.getGraphics().drawImage(ref, 0, 0, null);
      byte[] rgb = Pixels.rgb(im);
      for (int i = 0; i < 4; i++) {
        for (int c = 0; c < 3; c++) {
          assertThat(rgb[3 * i + c] & 0xFF).as("type %d pixel %d channel %d", type, i, c).isEqualTo(px[i][c]);
        }
      }
    }
  }

  @Test
  void subimagesReadTheirOwnPixels() {
    int[][] px = {{1, 2, 3}, {250, 128, 7}, {0, 255, 90}, {33, 66, 99}};
    BufferedImage ref = rgbImage(2, 2, px);
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB}) {
      BufferedImage im = new BufferedImage(2, 2, type);
      im.getGraphics().drawImage(ref, 0, 0, null);
      // the left column: same raster origin, but rows two pixels apart in the parent's array
      byte[] rgb = Pixels.rgb(im.getSubimage(0, 0, 1, 2));
      for (int c = 0; c < 3; c++) {
        assertThat(rgb[c] & 0xFF).as("type %d row 0 channel %d", type, c).isEqualTo(px[0][c]);
        assertThat(rgb[3 + c] & 0xFF).as("type %d row 1 channel %d", type, c).isEqualTo(px[2][c]);
      }
      byte[] right = Pixels.rgb(im.getSubimage(1, 1, 1, 1));
      assertThat(new int[] {right[0] & 0xFF, right[1] & 0xFF, right[2] & 0xFF}).containsExactly(px[3]);
    }
  }

  /**
   * 30000 x 30000 pixels: 2.7e9 bytes as RGB, more than a Java array holds ({@code w * h * 3} overflowed
   * {@code int}: NegativeArraySizeException). Read row by row they prepare like any image.
   */
  @Test
  void imagesLargerThanOneRgbArrayArePreparedRowByRow() {
    BufferedImage binary = new BufferedImage(30000, 30000, BufferedImage.TYPE_BYTE_BINARY); // 112 MB
    byte[] bits = ((DataBufferByte) binary.getRaster().getDataBuffer()).getData();
    int stride = 30000 / 8;
    for (int y = 0; y < 30000; y++) {
      Arrays.fill(bits, y * stride, y * stride + stride / 2, (byte) 0xFF); // left half white
    }
    checkHalves(binary, 255);
    assertThatThrownBy(() -> Pixels.rgb(binary)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("image 30000x30000 is too large for one RGB array (2700000000 bytes");

    BufferedImage grey = new BufferedImage(27000, 27000, BufferedImage.TYPE_BYTE_GRAY); // 729 MB, 2.19e9 as RGB
    byte[] g = ((DataBufferByte) grey.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < 27000; y++) {
      Arrays.fill(g, y * 27000, y * 27000 + 13500, (byte) 77);
    }
    checkHalves(grey, 77);
  }

  private static void checkHalves(BufferedImage im, int left) {
    PreparedInput in = new Preprocessor(raw().optInputSize(64, 64).build()).prepare(im);
    assertThat(in.shape()).containsExactly(1, 64, 64, 3);
    for (int c = 0; c < 3; c++) {
      assertThat(nhwc(in, 32, 10, c)).as("left, channel %d", c).isEqualTo(left);
      assertThat(nhwc(in, 32, 50, c)).as("right, channel %d", c).isEqualTo(0);
    }
  }

  @Test
  void affineWarpIsTheTrainingTargetsAffine() {
    // one CenterNet affine for inference and training: the same numbers, not numbers that agree to 1e-3 px
    ModelSpec spec = ModelSpec.builder().setFamily(io.github.keydet.api.ModelFamily.CENTERNET).build();
    ImageTransform t = new Preprocessor(spec).transformFor(640, 427);
    AffineTransform a = io.github.keydet.core.encode.TargetGeometry.builder(512, 512)
        .optCenterScale(320, 213.5, 640, 0).build().imageToInput();
    assertThat(t.scaleX()).isEqualTo(a.m00());
    assertThat(t.scaleY()).isEqualTo(a.m11());
    assertThat(t.offsetX()).isEqualTo(a.m02());
    assertThat(t.offsetY()).isEqualTo(a.m12());
    // and both are CenterNet's: scale 512 / 640, image center to input center
    assertThat(t.scaleX()).isCloseTo(0.8, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(t.offsetY()).isCloseTo(256 - 0.8 * 213.5, org.assertj.core.api.Assertions.within(1e-3));
  }
}
