package io.github.keydet.core.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/**
 * Test helper, shared with detector-examples' tests through the test jar: decoder output as rows (x1, y1, x2, y2,
 * score, class), compared as sets where scores tie.
 */
public final class Rows {
  private Rows() {}

  public static float[][] of(List<Candidate> candidates, float scale) {
    float[][] rows = new float[candidates.size()][];
    for (int i = 0; i < rows.length; i++) {
      Candidate c = candidates.get(i);
      rows[i] = new float[] {c.x1() * scale, c.y1() * scale, c.x2() * scale, c.y2() * scale, c.score(), c.classId()};
    }
    return rows;
  }

  /**
   * Same number of rows, the same score sequence (exactly), and each expected row matched by a distinct actual
   * row with the same score and class and coordinates within {@code tol}. Returns the max coordinate difference.
   */
  public static double assertSameRows(float[][] expected, float[][] actual, double tol) {
    assertThat(actual.length).as("row count").isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (expected[i][4] != actual[i][4]) {
        fail("score of row %d: expected %s, got %s", i, expected[i][4], actual[i][4]);
      }
    }
    boolean[] used = new boolean[actual.length];
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) {
      int best = -1;
      double bestDiff = Double.MAX_VALUE;
      for (int j = 0; j < actual.length; j++) {
        if (used[j] || actual[j][4] != expected[i][4] || actual[j][5] != expected[i][5]) {
          continue;
        }
        double d = 0;
        for (int q = 0; q < 4; q++) {
          d = Math.max(d, Math.abs(actual[j][q] - expected[i][q]));
        }
        if (d < bestDiff) {
          bestDiff = d;
          best = j;
        }
      }
      if (best < 0 || bestDiff > tol) {
        fail("expected row %d %s has no match within %s (closest differs by %s)", i,
            java.util.Arrays.toString(expected[i]), tol, bestDiff);
      }
      used[best] = true;
      maxDiff = Math.max(maxDiff, bestDiff);
    }
    return maxDiff;
  }
}
