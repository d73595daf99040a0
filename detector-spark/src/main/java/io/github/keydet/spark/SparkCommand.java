package io.github.keydet.spark;

import io.github.keydet.api.ImageLoader;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.KeyDetException;
import io.github.keydet.onnx.OnnxDetector;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code keydet spark}: the Spark batch job. Reads the images under {@code --input} with Spark's {@code binaryFile}
 * source, detects objects in each ({@link SparkDetection#detect}) and writes {@code OUTPUT/detections.parquet}
 * (one row per image, {@link DetectionRows#SCHEMA}) and {@code OUTPUT/results.json} (COCO results, {@link
 * CocoResults}, made from the Parquet rows, not a second detection pass). Runs under {@code spark-submit} too
 * (the master then comes from Spark's configuration).
 */
@Command(name = "keydet spark", mixinStandardHelpOptions = true,
    description = "Detect objects in a folder (or glob) of images as a Spark job; write OUTPUT/detections.parquet"
        + " (one row per image, with an error column for images that could not be read) and OUTPUT/results.json"
        + " (COCO results).",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every image processed",
        "1:error before any result: input not found, no images, bad model or settings, Spark failed",
        "2:invalid command line",
        "3:some images could not be processed (error rows in the Parquet output); the others' results were written"})
public final class SparkCommand implements Callable<Integer> {
  /** Exit code when some images gave error rows, as {@code keydet detect}. */
  public static final int EXIT_SOME_FAILED = 3;

  @Option(names = "--input", required = true, paramLabel = "DIR|GLOB",
      description = "A folder (its images, subfolders included), an image file or a glob such as 'photos/*.jpg';"
          + " any path Spark reads (file:, hdfs:, s3a:)")
  String input;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "Output folder: detections.parquet and results.json are (over)written in it")
  String output;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: spark-submit's, else local[*])")
  String master;

  @Option(names = "--model", paramLabel = "NAME|FILE",
      description = "A bundled model (coco, pose), an ONNX file, or classpath:RESOURCE (default: coco)")
  String model;

  @Option(names = "--threshold", defaultValue = "0.3", paramLabel = "T", description = "Score threshold (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(names = "--nms-iou", defaultValue = "0.5", paramLabel = "IOU",
      description = "Per-class NMS IoU threshold; 1 disables NMS (default: ${DEFAULT-VALUE})")
  float nmsIou;

  @Option(names = "--max-detections", defaultValue = "100", paramLabel = "N", description = "Detections per image at most")
  int maxDetections;

  @Option(names = "--max-pixels", defaultValue = "" + ImageLoader.DEFAULT_MAX_PIXELS, paramLabel = "N",
      description = "Images above N pixels become error rows, checked before decoding (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "ONNX Runtime intra-op threads per run (0 = automatic: elastic runs)")
  int threads;

  @Option(names = "--flip", description = "Flip test: also run the mirrored image and merge (about 2x slower)")
  boolean flip;

  @Spec CommandSpec spec;

  /** Entry point of {@code keydet-spark.jar} and of {@code spark-submit}; a leading {@code spark} is skipped. */
  public static void main(String[] args) {
    System.exit(run(args.length > 0 && args[0].equals("spark") ? Arrays.copyOfRange(args, 1, args.length) : args));
  }

  /** Runs the job in this JVM and returns the exit code (tests and embedding: no {@code System.exit}). */
  public static int run(String... args) {
    if (System.getProperty("spark.master") == null && System.getProperty("log4j2.configurationFile") == null) {
      // not under spark-submit: Spark's warnings only, not its INFO start-up log
      System.setProperty("log4j2.configurationFile", "keydet-spark-log4j2.properties");
    }
    System.setProperty("io.netty.tryReflectionSetAccessible", "true"); // as Spark's own launcher sets it
    return commandLine().execute(args);
  }

  /** The picocli command line, with KeyDet's errors turned into one-line messages and exit code 1. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new SparkCommand());
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      line.getErr().println("keydet spark: " + (e instanceof KeyDetException || e instanceof AnalysisException
          ? e.getMessage() : e.toString()));
      if (!(e instanceof KeyDetException || e instanceof AnalysisException)) {
        e.printStackTrace(line.getErr());
      }
      line.getErr().flush();
      return 1;
    });
    return cl;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DetectionOptions options = DetectionOptions.builder().optModel(model).optScoreThreshold(threshold)
        .optNmsIou(nmsIou).optMaxDetections(maxDetections).optMaxPixels(maxPixels).optIntraOpThreads(threads)
        .optFlipTest(flip).build();
    String chosenMaster = master != null ? master : System.getProperty("spark.master", "local[*]");
    boolean local = chosenMaster.startsWith("local");
    SparkSession.Builder builder = SparkSession.builder().appName("keydet spark").master(chosenMaster);
    if (local) { // one machine: no UI port, and the driver on loopback only
      builder.config("spark.ui.enabled", "false")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1");
    }
    SparkSession spark = builder.getOrCreate();
    try {
      // after the session starts (a model shipped with --files is found through it); fails fast on a bad model,
      // and with a local master it is the detector every task uses
      OnnxDetector driverDetector = ExecutorDetectors.get(options);
      boolean cocoIds = driverDetector.spec().labels().size() == 80;
      out.printf(Locale.ROOT, "model %s (%s) on %s; Spark master %s%n", driverDetector.modelInfo().name(),
          driverDetector.modelInfo().family(), driverDetector.modelInfo().executionProvider(), chosenMaster);
      out.flush();
      if (!local) {
        ExecutorDetectors.closeAll(); // the executors load their own
      }
      return runJob(spark, options, cocoIds, out, err);
    } finally {
      spark.stop();
      ExecutorDetectors.closeAll();
    }
  }

  private int runJob(SparkSession spark, DetectionOptions options, boolean cocoIds, PrintWriter out, PrintWriter err)
      throws IOException {
    long start = System.nanoTime();
    Path outDir = new Path(output);
    String parquet = new Path(outDir, "detections.parquet").toString();
    SparkDetection.detect(SparkDetection.readImages(spark, input), options)
        .write().mode(SaveMode.Overwrite).parquet(parquet);
    Dataset<Row> written = spark.read().parquet(parquet);
    List<Row> rows = written.collectAsList();
    if (rows.isEmpty()) {
      throw new InvalidInputException("no images found in " + input + " (a folder's " + SparkDetection.IMAGE_GLOB
          + " files, or the files a glob matches)");
    }
    FileSystem fs = outDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
    try (OutputStream json = fs.create(new Path(outDir, "results.json"), true)) {
      CocoResults.write(rows, cocoIds, json);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    List<Row> failed = rows.stream().filter(r -> DetectionRows.error(r) != null).toList();
    long detections = rows.stream().mapToLong(r -> DetectionRows.detections(r).size()).sum();
    for (Row r : failed) {
      err.println("keydet spark: failed " + r.getAs("path") + ": " + DetectionRows.error(r));
    }
    out.printf(Locale.ROOT, "%d images, %d detections, %d failed in %.1f s (%.2f images/s); wrote %s and %s%n",
        rows.size(), detections, failed.size(), seconds, rows.size() / seconds, parquet,
        new Path(outDir, "results.json"));
    out.flush();
    err.flush();
    return failed.isEmpty() ? 0 : EXIT_SOME_FAILED;
  }
}
