package io.github.keydet.spark;

import io.github.keydet.api.BoundingBox;
import io.github.keydet.api.Detection;
import io.github.keydet.api.Keypoint;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The rows {@link SparkDetection#detect} writes, one per image, and their conversion to and from {@link
 * Detection}. Columns ({@link #SCHEMA}):
 *
 * <ul>
 *   <li>{@code path} STRING: the image's path as Spark's {@code binaryFile} source gives it (a URI, e.g.
 *       {@code file:/data/a.jpg});
 *   <li>{@code width}, {@code height} INT: the decoded image's size in pixels, null for an error row;
 *   <li>{@code detections} ARRAY of STRUCT {@code class_id} INT (the model's 0-based class channel), {@code label}
 *       STRING, {@code score} FLOAT, {@code x1, y1, x2, y2} FLOAT (the box in image pixels), {@code keypoints} and
 *       {@code polygon} ARRAY of STRUCT {@code x, y, score} FLOAT (image pixels; empty when the model has none),
 *       best score first; null for an error row;
 *   <li>{@code error} STRING: why the image gave no result (unreadable, truncated, not an image, too large), else
 *       null.
 * </ul>
 */
public final class DetectionRows {
  private static final StructType POINT = new StructType()
      .add("x", DataTypes.FloatType, false)
      .add("y", DataTypes.FloatType, false)
      .add("score", DataTypes.FloatType, false);

  /** One detection. */
  public static final StructType DETECTION = new StructType()
      .add("class_id", DataTypes.IntegerType, false)
      .add("label", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false)
      .add("x1", DataTypes.FloatType, false)
      .add("y1", DataTypes.FloatType, false)
      .add("x2", DataTypes.FloatType, false)
      .add("y2", DataTypes.FloatType, false)
      .add("keypoints", new ArrayType(POINT, false), false)
      .add("polygon", new ArrayType(POINT, false), false);

  /** One image's row. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField("path", DataTypes.StringType, false),
      DataTypes.createStructField("width", DataTypes.IntegerType, true),
      DataTypes.createStructField("height", DataTypes.IntegerType, true),
      DataTypes.createStructField("detections", new ArrayType(DETECTION, false), true),
      DataTypes.createStructField("error", DataTypes.StringType, true)});

  private DetectionRows() {}

  /** The row of an image that was detected. */
  public static Row success(String path, int width, int height, List<Detection> detections) {
    List<Row> rows = new ArrayList<>(detections.size());
    for (Detection d : detections) {
      BoundingBox b = d.box();
      rows.add(RowFactory.create(d.classId(), d.label(), d.score(), b.x1(), b.y1(), b.x2(), b.y2(),
          seq(points(d.keypoints())), seq(points(d.polygon()))));
    }
    return RowFactory.create(path, width, height, seq(rows), null);
  }

  /** The row of an image that gave no result, with the reason. */
  public static Row failure(String path, String error) {
    return RowFactory.create(path, null, null, null, error);
  }

  /** The detections of a row read back (from the job's output or a collected Dataset); empty for an error row. */
  public static List<Detection> detections(Row row) {
    int field = row.fieldIndex("detections");
    if (row.isNullAt(field)) {
      return List.of();
    }
    List<Row> rows = row.getList(field);
    List<Detection> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Detection(new BoundingBox(r.getFloat(3), r.getFloat(4), r.getFloat(5), r.getFloat(6)),
          r.getFloat(2), r.getInt(0), r.getString(1), keypoints(r.getList(7)), keypoints(r.getList(8)), null));
    }
    return out;
  }

  /** The error column of a row, or null. */
  public static String error(Row row) {
    return row.getAs("error");
  }

  private static List<Row> points(List<Keypoint> points) {
    List<Row> out = new ArrayList<>(points.size());
    for (Keypoint k : points) {
      out.add(RowFactory.create(k.x(), k.y(), k.score()));
    }
    return out;
  }

  /** Spark's row encoder takes a Scala {@code Seq} (not a {@code java.util.List}) for an ARRAY column. */
  private static scala.collection.Seq<Row> seq(List<Row> rows) {
    return CollectionConverters.asScala(rows);
  }

  private static List<Keypoint> keypoints(List<Row> rows) {
    List<Keypoint> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(new Keypoint(r.getFloat(0), r.getFloat(1), r.getFloat(2)));
    }
    return out;
  }
}
