package io.github.keydet.spark;

import io.github.keydet.api.DetectionResult;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.KeyDetException;
import io.github.keydet.onnx.OnnxDetector;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Object detection as a Spark transformation: a {@code Dataset<Row>} of encoded images (Spark's {@code binaryFile}
 * source: columns {@code path} and {@code content}) in, one row per image out ({@link DetectionRows#SCHEMA}), in
 * a user's own job:
 *
 * <pre>{@code
 * Dataset<Row> images = SparkDetection.readImages(spark, "s3a://bucket/photos/");
 * Dataset<Row> found = SparkDetection.detect(images, DetectionOptions.builder().optModel("coco").build());
 * found.write().parquet("s3a://bucket/detections.parquet");
 * found.selectExpr("path", "explode(detections) AS d").where("d.label = 'dog'").show();
 * }</pre>
 *
 * <p>Each executor JVM loads the detector once ({@link ExecutorDetectors}) and runs every partition's images
 * through it; the tasks carry only the {@link DetectionOptions}. An image that cannot be decoded (not an image,
 * truncated, above the pixel limit) or detected gives a row with {@code error} set, never a failed task. Boxes are
 * in the original image's pixels, (x1, y1, x2, y2), as {@link io.github.keydet.api.Detector} returns them.
 */
public final class SparkDetection {
  /** The file names {@link #readImages} takes from a folder: the CLI's image types. */
  public static final String IMAGE_GLOB = "*.{png,jpg,jpeg,bmp,gif,PNG,JPG,JPEG,BMP,GIF}";

  private static final List<String> NEEDED = List.of("path", "content");

  private SparkDetection() {}

  /**
   * The images under {@code input} as Spark's {@code binaryFile} rows ({@code path, modificationTime, length,
   * content}): for a folder, every {@link #IMAGE_GLOB} file in it and its subfolders; otherwise {@code input} is
   * a file or a Hadoop glob ({@code /data/*.jpg}) and every file it matches is read. Any file system Spark reads
   * ({@code file:}, {@code hdfs:}, {@code s3a:}) works.
   */
  public static Dataset<Row> readImages(SparkSession spark, String input) {
    var reader = spark.read().format("binaryFile").option("recursiveFileLookup", "true");
    if (isDirectory(spark, input)) {
      reader = reader.option("pathGlobFilter", IMAGE_GLOB);
    }
    return reader.load(input);
  }

  /**
   * Detects objects in every image of {@code binaryFiles}; lazy, like every transformation.
   *
   * @param binaryFiles rows with a STRING {@code path} and a BINARY {@code content} (the encoded image), e.g. from
   *     {@link #readImages} or {@code spark.read().format("binaryFile")}; other columns are dropped
   * @return one row per input row, {@link DetectionRows#SCHEMA}
   * @throws InvalidInputException when a needed column is missing
   */
  public static Dataset<Row> detect(Dataset<Row> binaryFiles, DetectionOptions options) {
    List<String> columns = Arrays.asList(binaryFiles.columns());
    if (!columns.containsAll(NEEDED)) {
      throw new InvalidInputException("detect needs columns " + NEEDED + " (Spark's binaryFile source), got "
          + columns);
    }
    return binaryFiles.select("path", "content")
        .mapPartitions(new DetectPartition(options), Encoders.row(DetectionRows.SCHEMA));
  }

  private static boolean isDirectory(SparkSession spark, String input) {
    Path p = new Path(input);
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return fs.getFileStatus(p).isDirectory();
    } catch (FileNotFoundException e) {
      return false; // a glob, or missing: Spark's reader says which
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidInputException("cannot read input " + input + ": " + e.getMessage(), e);
    }
  }

  /** One partition: this JVM's detector, each row's image through it, lazily. Serialised with its options only. */
  private static final class DetectPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DetectPartition.class);
    private final DetectionOptions options;

    DetectPartition(DetectionOptions options) {
      this.options = options;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      OnnxDetector detector = ExecutorDetectors.get(options);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          return detectOne(detector, rows.next());
        }
      };
    }

    private static Row detectOne(OnnxDetector detector, Row row) {
      String path = row.getString(0);
      byte[] content = row.isNullAt(1) ? new byte[0] : (byte[]) row.get(1);
      try {
        DetectionResult r = detector.detect(content);
        return DetectionRows.success(path, r.imageWidth(), r.imageHeight(), r.detections());
      } catch (KeyDetException e) {
        LOG.warn("{}: {}", path, e.getMessage());
        return DetectionRows.failure(path, e.getMessage());
      } catch (RuntimeException e) { // a decoder bug on odd bytes must not fail the job either
        LOG.warn("{}: unexpected {}", path, e.toString(), e);
        return DetectionRows.failure(path, e.toString());
      }
    }
  }
}
