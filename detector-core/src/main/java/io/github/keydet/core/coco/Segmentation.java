package io.github.keydet.core.coco;

import java.util.List;

/** A COCO {@code segmentation} value: a list of polygons, or a run-length encoding. */
public sealed interface Segmentation permits Segmentation.Polygons, Segmentation.RunLength {

  /** The mask on an image of {@code height x width} pixels, rasterised as the COCO toolkit does. */
  Rle toRle(int height, int width);

  /**
   * Polygons {@code [[x1, y1, x2, y2, ...], ...]} in image pixels, merged into one mask. As in the toolkit's
   * {@code frPyObjects}, a list whose first entry has exactly 4 numbers is read as boxes (x, y, w, h).
   *
   * @param polygons the outlines, each {@code [2k]} values
   */
  record Polygons(List<double[]> polygons) implements Segmentation {
    /** Defensive copy. */
    public Polygons {
      polygons = List.copyOf(polygons);
    }

    @Override
    public Rle toRle(int height, int width) {
      if (polygons.isEmpty()) {
        return Rle.empty(height, width);
      }
      boolean boxes = polygons.get(0).length == 4;
      Rle[] parts = new Rle[polygons.size()];
      for (int i = 0; i < parts.length; i++) {
        double[] p = polygons.get(i);
        parts[i] = boxes ? Rle.fromBox(p[0], p[1], p[2], p[3], height, width) : Rle.fromPolygon(p, height, width);
      }
      return Rle.merge(List.of(parts));
    }
  }

  /**
   * A run-length encoding as stored in COCO files.
   *
   * @param rle the decoded counts with their size
   */
  record RunLength(Rle rle) implements Segmentation {
    @Override
    public Rle toRle(int height, int width) {
      return rle;
    }
  }
}
