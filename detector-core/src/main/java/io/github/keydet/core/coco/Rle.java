package io.github.keydet.core.coco;

import io.github.keydet.api.InvalidInputException;
import java.util.Arrays;
import java.util.List;

/**
 * A binary mask of {@code height x width} pixels as COCO's run-length encoding: column-major runs, starting
 * with a run of zeros. Immutable. Conversions follow the toolkit's {@code maskApi.c} step by step (polygons
 * are rasterised by its {@code rleFrPoly}: boundary upsampled 5x, y-crossings per pixel column), so areas and
 * IoUs equal the toolkit's.
 */
public final class Rle {
  private final int height;
  private final int width;
  private final long[] counts;

  private Rle(int height, int width, long[] counts) {
    this.height = height;
    this.width = width;
    this.counts = counts;
  }

  /** A mask from run counts (uncompressed COCO RLE); the counts must add up to height x width. */
  public static Rle of(int height, int width, long[] counts) {
    if (height < 0 || width < 0) {
      throw new InvalidInputException("RLE size must be >= 0, got " + height + " x " + width);
    }
    long sum = 0;
    for (long c : counts) {
      if (c < 0) {
        throw new InvalidInputException("RLE counts must be >= 0, got " + c);
      }
      sum += c;
    }
    if (sum != (long) height * width) {
      throw new InvalidInputException(
          "RLE counts sum to " + sum + ", expected height x width = " + (long) height * width);
    }
    return new Rle(height, width, counts.clone());
  }

  /** An all-zero mask. */
  public static Rle empty(int height, int width) {
    long a = (long) height * width;
    return new Rle(height, width, a == 0 ? new long[0] : new long[] {a});
  }

  public int height() {
    return height;
  }

  public int width() {
    return width;
  }

  /** A copy of the run counts. */
  public long[] counts() {
    return counts.clone();
  }

  /** Number of mask pixels (sum of the odd runs). */
  public long area() {
    long a = 0;
    for (int j = 1; j < counts.length; j += 2) {
      a += counts[j];
    }
    return a;
  }

  /** The mask {@code [height, width]} row-major, 1 = object. */
  public byte[] toMask() {
    byte[] mask = new byte[height * width];
    long pos = 0;
    boolean on = false;
    for (long c : counts) {
      if (on) {
        for (long i = 0; i < c; i++, pos++) {
          mask[(int) (pos % height) * width + (int) (pos / height)] = 1;
        }
      } else {
        pos += c;
      }
      on = !on;
    }
    return mask;
  }

  /** Decodes COCO's compressed string form (6 bits a character, ASCII 48-111, delta from the run two back). */
  public static Rle fromString(String s, int height, int width) {
    long[] cnts = new long[s.length()];
    int m = 0;
    int p = 0;
    while (p < s.length()) {
      long x = 0;
      int k = 0;
      boolean more = true;
      while (more) {
        if (p >= s.length()) {
          throw new InvalidInputException("truncated compressed RLE string at character " + p);
        }
        int c = s.charAt(p) - 48;
        if (c < 0 || c > 63) {
          throw new InvalidInputException("bad character '" + s.charAt(p) + "' in compressed RLE at " + p);
        }
        x |= (long) (c & 0x1f) << (5 * k);
        more = (c & 0x20) != 0;
        p++;
        k++;
        if (!more && (c & 0x10) != 0) {
          x |= -1L << (5 * k);
        }
      }
      if (m > 2) {
        x += cnts[m - 2];
      }
      // the C code stores into uint: wrap like it does
      cnts[m++] = x & 0xffffffffL;
    }
    return of(height, width, Arrays.copyOf(cnts, m));
  }

  /** Encodes to COCO's compressed string form. */
  public String toCompressedString() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < counts.length; i++) {
      long x = counts[i];
      if (i > 2) {
        x -= counts[i - 2];
      }
      boolean more = true;
      while (more) {
        int c = (int) (x & 0x1f);
        x >>= 5;
        more = (c & 0x10) != 0 ? x != -1 : x != 0;
        if (more) {
          c |= 0x20;
        }
        sb.append((char) (c + 48));
      }
    }
    return sb.toString();
  }

  /** The box (x, y, w, h) as the toolkit's {@code rleToBbox} computes it (whole columns when a run wraps). */
  public double[] toBbox() {
    int m = (counts.length / 2) * 2;
    if (m == 0 || height == 0) {
      return new double[4];
    }
    long h = height;
    long xs = width;
    long ys = h;
    long xe = 0;
    long ye = 0;
    long cc = 0;
    long xp = 0;
    for (int j = 0; j < m; j++) {
      cc += counts[j];
      long t = cc - j % 2;
      long y = t % h;
      long x = (t - y) / h;
      if (j % 2 == 0) {
        xp = x;
      } else if (xp < x) {
        ys = 0;
        ye = h - 1;
      }
      xs = Math.min(xs, x);
      xe = Math.max(xe, x);
      ys = Math.min(ys, y);
      ye = Math.max(ye, y);
    }
    return new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
  }

  /** A box (x, y, w, h) rasterised as the 4-point polygon of its corners ({@code rleFrBbox}). */
  public static Rle fromBox(double x, double y, double w, double h, int height, int width) {
    double xe = x + w;
    double ye = y + h;
    return fromPolygon(new double[] {x, y, x, ye, xe, ye, xe, y}, height, width);
  }

  /**
   * Rasterises a polygon {@code [x1, y1, x2, y2, ...]} (image pixels) exactly as {@code rleFrPoly}: vertices
   * scaled by 5 and rounded, the outline walked densely, and at each change of upsampled column that falls on a
   * pixel column the boundary's row rounded up; the mask is the column-wise parity of those crossings.
   */
  public static Rle fromPolygon(double[] xy, int height, int width) {
    if (xy.length % 2 != 0) {
      throw new InvalidInputException("polygon needs an even number of coordinates, got " + xy.length);
    }
    final double scale = 5;
    int k = xy.length / 2;
    if (k == 0) {
      return empty(height, width);
    }
    int[] x = new int[k + 1];
    int[] y = new int[k + 1];
    for (int j = 0; j < k; j++) {
      x[j] = (int) (scale * xy[2 * j] + .5);
      y[j] = (int) (scale * xy[2 * j + 1] + .5);
    }
    x[k] = x[0];
    y[k] = y[0];
    int m = 0;
    for (int j = 0; j < k; j++) {
      m += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
    }
    int[] u = new int[m];
    int[] v = new int[m];
    m = 0;
    for (int j = 0; j < k; j++) {
      int xs = x[j];
      int xe = x[j + 1];
      int ys = y[j];
      int ye = y[j + 1];
      int dx = Math.abs(xe - xs);
      int dy = Math.abs(ys - ye);
      boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
      if (flip) {
        int t = xs;
        xs = xe;
        xe = t;
        t = ys;
        ys = ye;
        ye = t;
      }
      double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
      if (dx >= dy) {
        for (int d = 0; d <= dx; d++) {
          int t = flip ? dx - d : d;
          u[m] = t + xs;
          v[m] = (int) (ys + s * t + .5);
          m++;
        }
      } else {
        for (int d = 0; d <= dy; d++) {
          int t = flip ? dy - d : d;
          v[m] = t + ys;
          u[m] = (int) (xs + s * t + .5);
          m++;
        }
      }
    }
    // points on the y-boundary, downsampled
    int n = m;
    long[] a = new long[n + 1];
    int cnt = 0;
    for (int j = 1; j < n; j++) {
      if (u[j] != u[j - 1]) {
        double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
        xd = (xd + .5) / scale - .5;
        if (Math.floor(xd) != xd || xd < 0 || xd > width - 1) {
          continue;
        }
        double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
        yd = (yd + .5) / scale - .5;
        if (yd < 0) {
          yd = 0;
        } else if (yd > height) {
          yd = height;
        }
        yd = Math.ceil(yd);
        a[cnt++] = (long) (int) xd * height + (int) yd;
      }
    }
    a[cnt++] = (long) height * width;
    Arrays.sort(a, 0, cnt);
    long p = 0;
    for (int j = 0; j < cnt; j++) {
      long t = a[j];
      a[j] -= p;
      p = t;
    }
    long[] b = new long[cnt];
    int j = 0;
    int bm = 0;
    b[bm++] = a[j++];
    while (j < cnt) {
      if (a[j] > 0) {
        b[bm++] = a[j++];
      } else {
        j++;
        if (j < cnt) {
          b[bm - 1] += a[j++];
        }
      }
    }
    return new Rle(height, width, Arrays.copyOf(b, bm));
  }

  /** Union of masks of one size ({@code rleMerge} with intersect = 0). */
  public static Rle merge(List<Rle> masks) {
    if (masks.isEmpty()) {
      return new Rle(0, 0, new long[0]);
    }
    Rle first = masks.get(0);
    if (masks.size() == 1) {
      return first;
    }
    int h = first.height;
    int w = first.width;
    long[] cnts = first.counts.clone();
    int m = cnts.length;
    for (int i = 1; i < masks.size(); i++) {
      Rle bR = masks.get(i);
      if (bR.height != h || bR.width != w) {
        throw new InvalidInputException(
            "cannot merge masks of sizes " + h + "x" + w + " and " + bR.height + "x" + bR.width);
      }
      long[] aC = Arrays.copyOf(cnts, m);
      long[] bC = bR.counts;
      long[] out = new long[aC.length + bC.length + 1];
      long ca = aC.length > 0 ? aC[0] : 0;
      long cb = bC.length > 0 ? bC[0] : 0;
      boolean v = false;
      boolean va = false;
      boolean vb = false;
      int om = 0;
      int ia = 1;
      int ib = 1;
      long cc = 0;
      long ct = 1;
      while (ct > 0) {
        long c = Math.min(ca, cb);
        cc += c;
        ct = 0;
        ca -= c;
        if (ca == 0 && ia < aC.length) {
          ca = aC[ia++];
          va = !va;
        }
        ct += ca;
        cb -= c;
        if (cb == 0 && ib < bC.length) {
          cb = bC[ib++];
          vb = !vb;
        }
        ct += cb;
        boolean vp = v;
        v = va || vb;
        if (v != vp || ct == 0) {
          out[om++] = cc;
          cc = 0;
        }
      }
      cnts = out;
      m = om;
    }
    return new Rle(h, w, Arrays.copyOf(cnts, m));
  }

  /**
   * The toolkit's mask overlap ({@code rleIou}): intersection / union, or intersection / area of {@code dt}
   * when {@code crowd}; 0 without intersection; -1 when the sizes differ.
   */
  public static double iou(Rle dt, Rle gt, boolean crowd) {
    if (dt.height != gt.height || dt.width != gt.width) {
      return -1;
    }
    long[] da = dt.counts;
    long[] ga = gt.counts;
    if (da.length == 0 || ga.length == 0) {
      return 0;
    }
    long ca = da[0];
    long cb = ga[0];
    boolean va = false;
    boolean vb = false;
    int a = 1;
    int b = 1;
    long inter = 0;
    long union = 0;
    long ct = 1;
    while (ct > 0) {
      long c = Math.min(ca, cb);
      if (va || vb) {
        union += c;
        if (va && vb) {
          inter += c;
        }
      }
      ct = 0;
      ca -= c;
      if (ca == 0 && a < da.length) {
        ca = da[a++];
        va = !va;
      }
      ct += ca;
      cb -= c;
      if (cb == 0 && b < ga.length) {
        cb = ga[b++];
        vb = !vb;
      }
      ct += cb;
    }
    if (inter == 0) {
      return 0;
    }
    if (crowd) {
      union = dt.area();
    }
    return (double) inter / (double) union;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rle r && r.height == height && r.width == width && Arrays.equals(r.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * height + width) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Rle[" + height + "x" + width + ", runs=" + counts.length + ", area=" + area() + "]";
  }
}
