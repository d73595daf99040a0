/**
 * KeyDet on Apache Spark: {@link io.github.keydet.spark.SparkDetection#detect} turns a {@code Dataset<Row>} of
 * encoded images (Spark's {@code binaryFile} source) into one row of detections per image ({@link
 * io.github.keydet.spark.DetectionRows}), with one detector per executor JVM ({@link
 * io.github.keydet.spark.ExecutorDetectors}); {@link io.github.keydet.spark.SparkCommand} is {@code keydet spark},
 * the batch job that writes them as Parquet and COCO results JSON. Boxes are in original image pixels, (x1, y1,
 * x2, y2). Spark is a {@code provided} dependency: the other KeyDet modules do not depend on this one.
 */
package io.github.keydet.spark;
