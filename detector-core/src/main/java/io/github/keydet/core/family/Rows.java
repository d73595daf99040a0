package io.github.keydet.core.family;

import io.github.keydet.core.decode.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The row fields several families write ({@link DetectorFamily#writeRow}). */
final class Rows {
  private Rows() {}

  /** {@code "points": [[x, y], ...]}: every point of the candidate. */
  static void putPoints(Candidate c, Map<String, Object> row) {
    float[] p = c.points();
    List<float[]> pts = new ArrayList<>(p.length / 2);
    for (int i = 0; i + 1 < p.length; i += 2) {
      pts.add(new float[] {p[i], p[i + 1]});
    }
    row.put("points", pts);
  }

  /** {@code "center": [x, y]}: the candidate's first point, when it has one. */
  static void putCenter(Candidate c, Map<String, Object> row) {
    float[] p = c.points();
    if (p.length >= 2) {
      row.put("center", new float[] {p[0], p[1]});
    }
  }

  /** The number of classes a spec implies: its label count, or 0 when unknown. */
  static int classes(io.github.keydet.core.spec.ModelSpec spec) {
    return spec.labels().size();
  }
}
