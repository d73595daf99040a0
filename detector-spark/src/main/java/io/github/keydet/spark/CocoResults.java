package io.github.keydet.spark;

import io.github.keydet.api.Detection;
import io.github.keydet.core.coco.CocoCategories;
import io.github.keydet.core.coco.CocoJson;
import io.github.keydet.core.coco.CocoResult;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;

/**
 * The job's detections as COCO results ({@link CocoResult}, written by {@link CocoJson#writeResults}): boxes as
 * (x, y, width, height) in image pixels. Image ids follow {@code keydet detect --json}: the digits that end the
 * file name's stem ({@code 000000397133.jpg} is 397133), else the image's index among all rows sorted by path.
 * Category ids are COCO's (1..90) for an 80-class model, else the model's class channel.
 */
public final class CocoResults {
  private static final Pattern DIGITS = Pattern.compile("(\\d+)$");

  private CocoResults() {}

  /** The results of {@link DetectionRows} rows (any order; error rows give none but keep their index). */
  public static List<CocoResult> of(List<Row> rows, boolean cocoCategoryIds) {
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(Comparator.comparing((Row r) -> r.<String>getAs("path")));
    List<CocoResult> out = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Row row = sorted.get(i);
      long imageId = imageId(row.getAs("path"), i);
      for (Detection d : DetectionRows.detections(row)) {
        out.add(CocoResult.of(imageId, cocoCategoryIds ? CocoCategories.idOf(d.classId()) : d.classId(), d));
      }
    }
    return out;
  }

  /** Writes {@link #of} as COCO results JSON. */
  public static void write(List<Row> rows, boolean cocoCategoryIds, OutputStream out) {
    CocoJson.writeResults(of(rows, cocoCategoryIds), out);
  }

  /** The image id of {@code path}: the digits ending its file name's stem, else {@code index}. */
  static long imageId(String path, int index) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    Matcher m = DIGITS.matcher(dot > 0 ? name.substring(0, dot) : name);
    return m.find() ? Long.parseLong(m.group(1)) : index;
  }
}
