package io.github.keydet.core.nms;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keydet.api.BoundingBox;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The indexed soft-NMS loop ({@link SoftNmsLoop}: overlaps found through an x-sorted index, row moves replayed
 * only for the boxes involved) equals, bit for bit, the straightforward quadratic loop of the original, kept here
 * as the reference: same rows, same decayed scores, same merged boxes, ties included.
 */
class SoftNmsReferenceTest {

  @Test
  void equalsTheStraightforwardLoop() {
    Random rnd = new Random(123);
    int checked = 0;
    for (int trial = 0; trial < 400; trial++) {
      int n = rnd.nextInt(200);
      float[] boxes = new float[4 * n];
      float[] scores = new float[n];
      float[] tw = new float[n];
      float[] bw = new float[n];
      int levels = rnd.nextInt(4); // few score levels: many ties
      for (int i = 0; i < n; i++) {
        float x = rnd.nextFloat() * 100;
        float y = rnd.nextFloat() * 100;
        float w = 1 + rnd.nextFloat() * 40;
        float h = 1 + rnd.nextFloat() * 40;
        boxes[4 * i] = x;
        boxes[4 * i + 1] = y;
        boxes[4 * i + 2] = x + w;
        boxes[4 * i + 3] = y + h;
        scores[i] = levels == 0 ? rnd.nextFloat() : (1 + rnd.nextInt(levels)) / (float) levels;
        tw[i] = rnd.nextFloat();
        bw[i] = rnd.nextFloat();
      }
      for (SoftNmsMethod method : SoftNmsMethod.values()) {
        float threshold = new float[] {0.001f, 0.1f, 0.5f}[rnd.nextInt(3)];
        SoftNmsOptions o = new SoftNmsOptions(method, 0.5f, 0.3f + rnd.nextFloat() * 0.4f, threshold, 10f,
            rnd.nextBoolean());
        same(reference(boxes, scores, null, null, o), Nms.softNms(boxes, scores, o));
        same(reference(boxes, scores, tw, bw, o), Nms.softNmsMerge(boxes, scores, tw, bw, o));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1000);
  }

  /**
   * Large inputs reach the paths small ones do not: many overlaps per step (hits put in row order by a key sort or
   * by a pass over the rows), many drops in one step, index compaction, negative and widely spread coordinates.
   */
  @Test
  void equalsTheStraightforwardLoopOnLargeInputs() {
    Random rnd = new Random(321);
    for (int trial = 0; trial < 48; trial++) {
      int n = 200 + rnd.nextInt(1300);
      int layout = trial % 4;
      float[] boxes = new float[4 * n];
      float[] scores = new float[n];
      float[] tw = new float[n];
      float[] bw = new float[n];
      int levels = rnd.nextInt(3) * 3; // 0: continuous scores, else few levels with many ties
      for (int i = 0; i < n; i++) {
        float cx;
        float cy;
        float w;
        float h;
        switch (layout) {
          case 0: // clusters of overlapping detections, as a detector produces them
            cx = -300 + (i % 40) * 23f + rnd.nextFloat() * 10;
            cy = 40 + (i % 9) * 50f + rnd.nextFloat() * 10;
            w = 15 + rnd.nextFloat() * 70;
            h = 15 + rnd.nextFloat() * 70;
            break;
          case 1: // one crowd: nearly everything overlaps everything
            cx = 100 + rnd.nextFloat() * 30;
            cy = 100 + rnd.nextFloat() * 30;
            w = 60 + rnd.nextFloat() * 60;
            h = 60 + rnd.nextFloat() * 60;
            break;
          case 2: // scattered, a few very wide boxes
            cx = rnd.nextFloat() * 2000;
            cy = rnd.nextFloat() * 2000;
            w = rnd.nextInt(50) == 0 ? 1500 : 5 + rnd.nextFloat() * 100;
            h = 5 + rnd.nextFloat() * 100;
            break;
          default: // small boxes on a coarse lattice: exact coordinate ties, edges that only touch
            cx = 10 * rnd.nextInt(30);
            cy = 10 * rnd.nextInt(30);
            w = 10 * (1 + rnd.nextInt(3));
            h = 10 * (1 + rnd.nextInt(3));
            break;
        }
        boxes[4 * i] = cx - w / 2;
        boxes[4 * i + 1] = cy - h / 2;
        boxes[4 * i + 2] = cx + w / 2;
        boxes[4 * i + 3] = cy + h / 2;
        scores[i] = levels == 0 ? rnd.nextFloat() : (1 + rnd.nextInt(levels)) / (float) levels;
        tw[i] = rnd.nextFloat();
        bw[i] = rnd.nextFloat();
      }
      SoftNmsMethod method = SoftNmsMethod.values()[trial % 3];
      float threshold = new float[] {0.001f, 0.05f, 0.3f}[(trial / 3) % 3];
      float sigma = new float[] {0.5f, 5f}[(trial / 9) % 2]; // 5: slow decay, most boxes survive long
      SoftNmsOptions o = new SoftNmsOptions(method, sigma, 0.3f + rnd.nextFloat() * 0.4f, threshold, 6f,
          trial % 2 == 1);
      same(reference(boxes, scores, null, null, o), Nms.softNms(boxes, scores, o));
      same(reference(boxes, scores, tw, bw, o), Nms.softNmsMerge(boxes, scores, tw, bw, o));
    }
  }

  private static void same(NmsResult expected, NmsResult actual) {
    assertThat(actual.indices()).isEqualTo(expected.indices());
    assertThat(actual.scores()).isEqualTo(expected.scores());
    assertThat(actual.boxes()).isEqualTo(expected.boxes());
  }

  // ---- the loop as it was (Nms.run before the restructuring) ----

    private static NmsResult reference(float[] boxes0, float[] scores0, float[] tw, float[] bw, SoftNmsOptions o) {
      int n0 = scores0.length;
      float[] b = boxes0.clone();
      float[] s = scores0.clone();
      int[] idx = new int[n0];
      for (int i = 0; i < n0; i++) {
        idx[i] = i;
      }
      boolean merge = tw != null;
      final SoftNmsMethod method = o.method();
      final float nt = o.nt();
      final float sigma = o.sigma();
      final float threshold = o.threshold();
      final double weightExp = o.weightExp();
      int n = n0;
      for (int i = 0; i < n; i++) {
        float maxscore = s[i];
        int maxpos = i;
        for (int pos = i + 1; pos < n; pos++) {
          if (maxscore < s[pos]) {
            maxscore = s[pos];
            maxpos = pos;
          }
        }
        if (maxpos != i) {
          swapRows(b, s, idx, i, maxpos);
        }
        final float tx1 = b[4 * i];
        final float ty1 = b[4 * i + 1];
        final float tx2 = b[4 * i + 2];
        final float ty2 = b[4 * i + 3];
        float mx1 = 0;
        float my1 = 0;
        float mx2 = 0;
        float my2 = 0;
        float mts = 0;
        float mbs = 0;
        if (merge) {
          mx1 = tx1 * tw[i];
          my1 = ty1 * tw[i];
          mx2 = tx2 * bw[i];
          my2 = ty2 * bw[i];
          mts = tw[i];
          mbs = bw[i];
        }
        for (int pos = i + 1; pos < n; pos++) {
          int p4 = 4 * pos;
          float ov;
          if (o.pixelInclusive()) {
            // the Cython original, line by line: area = (x2 - x1 + 1) * (y2 - y1 + 1); iw = (min(tx2, x2) -
            // max(tx1, x1) + 1); if iw > 0: ih = ...; if ih > 0: ua = (tx2 - tx1 + 1) * (ty2 - ty1 + 1) + area
            // - iw * ih; ov = iw * ih / ua; all C floats
            float area = (b[p4 + 2] - b[p4] + 1) * (b[p4 + 3] - b[p4 + 1] + 1);
            float iw = Math.min(tx2, b[p4 + 2]) - Math.max(tx1, b[p4]) + 1;
            if (!(iw > 0)) {
              continue;
            }
            float ih = Math.min(ty2, b[p4 + 3]) - Math.max(ty1, b[p4 + 1]) + 1;
            if (!(ih > 0)) {
              continue;
            }
            float ua = (tx2 - tx1 + 1) * (ty2 - ty1 + 1) + area - iw * ih;
            ov = iw * ih / ua;
          } else {
            if (b[p4] >= tx2 || b[p4 + 2] <= tx1 || b[p4 + 1] >= ty2 || b[p4 + 3] <= ty1) {
              continue; // no intersection: cheap reject, same outcome as IoU 0 below
            }
            ov = (float) BoundingBox.iou(tx1, ty1, tx2, ty2, b[p4], b[p4 + 1], b[p4 + 2], b[p4 + 3]);
            if (!(ov > 0f)) {
              continue; // the original only touches boxes that intersect (iw > 0 and ih > 0)
            }
          }
          float weight;
          switch (method) {
            case LINEAR:
              weight = ov > nt ? 1f - ov : 1f;
              break;
            case GAUSSIAN:
              weight = (float) Math.exp(-(ov * ov) / sigma);
              break;
            default:
              weight = ov > nt ? 0f : 1f;
              break;
          }
          if (merge) {
            float mw = (float) Math.pow(1f - weight, weightExp);
            mx1 = mx1 + b[p4] * tw[pos] * mw;
            my1 = my1 + b[p4 + 1] * tw[pos] * mw;
            mx2 = mx2 + b[p4 + 2] * bw[pos] * mw;
            my2 = my2 + b[p4 + 3] * bw[pos] * mw;
            mts = mts + tw[pos] * mw;
            mbs = mbs + bw[pos] * mw;
          }
          s[pos] = weight * s[pos];
          if (s[pos] < threshold) {
            int last = n - 1;
            System.arraycopy(b, 4 * last, b, p4, 4);
            s[pos] = s[last];
            idx[pos] = idx[last];
            n--;
            pos--;
          }
        }
        if (merge) {
          b[4 * i] = mx1 / mts;
          b[4 * i + 1] = my1 / mts;
          b[4 * i + 2] = mx2 / mbs;
          b[4 * i + 3] = my2 / mbs;
        }
      }
      return new NmsResult(Arrays.copyOf(idx, n), Arrays.copyOf(s, n), Arrays.copyOf(b, 4 * n));
    }

    private static void swapRows(float[] b, float[] s, int[] idx, int i, int j) {
      for (int c = 0; c < 4; c++) {
        float t = b[4 * i + c];
        b[4 * i + c] = b[4 * j + c];
        b[4 * j + c] = t;
      }
      float ts = s[i];
      s[i] = s[j];
      s[j] = ts;
      int ti = idx[i];
      idx[i] = idx[j];
      idx[j] = ti;
    }
}
