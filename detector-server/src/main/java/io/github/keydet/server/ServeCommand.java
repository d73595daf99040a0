package io.github.keydet.server;

import io.github.keydet.api.KeyDetException;
import io.github.keydet.onnx.ExecutionProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code keydet serve}: starts a {@link DetectionServer} and runs until the process is stopped (SIGINT / SIGTERM
 * shut it down gracefully). The launcher passes the word {@code serve} first; it is accepted and skipped.
 */
@Command(name = "keydet serve", mixinStandardHelpOptions = true,
    description = "HTTP detection service: POST /v1/detect (an image body or multipart 'image'),"
        + " POST /v1/detect/batch, GET /v1/models, /health, /ready, /metrics. See the README, section 'HTTP service'.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:stopped normally", "1:the model or a setting is wrong, or the port is taken",
        "2:invalid command line"})
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "8080", description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--model", paramLabel = "NAME|FILE",
      description = "A bundled model by name (coco) or an ONNX file (default: coco)")
  String model;

  @Option(names = "--provider", defaultValue = "auto", paramLabel = "auto|cpu|cuda[:N]",
      description = "Execution provider (default: ${DEFAULT-VALUE})")
  String provider;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
      description = "ONNX Runtime intra-op threads per run (default: ${DEFAULT-VALUE}: one core per run and as many"
          + " runs as cores, the most images/s under concurrent requests; 0 = elastic runs: all cores for a lone"
          + " request, one core per run while requests overlap)")
  int threads;

  @Option(names = "--max-concurrency", defaultValue = "0", paramLabel = "N",
      description = "Detections in progress at once (0 = twice the model's concurrent runs)")
  int maxConcurrency;

  @Option(names = "--max-queue", defaultValue = "32", paramLabel = "N",
      description = "Requests waiting for a detection slot at most; beyond them 503 + Retry-After (default: ${DEFAULT-VALUE})")
  int maxQueue;

  @Option(names = "--max-body-bytes", defaultValue = "10485760", paramLabel = "BYTES",
      description = "Largest request body, 413 above it (default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Option(names = "--max-pixels", defaultValue = "25000000", paramLabel = "N",
      description = "Largest image (width x height), read from its header; 413 above it (default: ${DEFAULT-VALUE})")
  long maxPixels;

  @Option(names = "--max-batch-images", defaultValue = "16", paramLabel = "N",
      description = "Images per /v1/detect/batch request at most (default: ${DEFAULT-VALUE})")
  int maxBatchImages;

  @Option(names = "--timeout-ms", defaultValue = "30000", paramLabel = "MS",
      description = "Request timeout: waiting plus detection, 503 + Retry-After after it (default: ${DEFAULT-VALUE})")
  long timeoutMs;

  @Option(names = "--shutdown-timeout-ms", defaultValue = "30000", paramLabel = "MS",
      description = "How long a shutdown waits for requests in progress (default: ${DEFAULT-VALUE})")
  long shutdownTimeoutMs;

  @Option(names = "--threshold", defaultValue = "0.3", paramLabel = "T",
      description = "Default score threshold of a request (default: ${DEFAULT-VALUE})")
  float threshold;

  @Option(names = "--max-detections", defaultValue = "100", paramLabel = "N",
      description = "Default and largest maxDetections of a request (default: ${DEFAULT-VALUE})")
  int maxDetections;

  @Option(names = "--max-variants", defaultValue = "4", paramLabel = "N",
      description = "Flip/scales combinations kept loaded, each its own ONNX session (default: ${DEFAULT-VALUE})")
  int maxVariants;

  @Option(names = "--dextr", paramLabel = "FILE",
      description = "DEXTR model (tools/export --arch dextr): ExtremeNet detections get instance masks (COCO RLE)")
  Path dextr;

  /** The settings these options describe. */
  ServerConfig config() {
    return ServerConfig.builder().setModel(ModelChoice.parse(model)).optHost(host).optPort(port)
        .optProvider(ExecutionProvider.parse(provider)).optIntraOpThreads(threads)
        .optMaxConcurrency(maxConcurrency).optMaxQueue(maxQueue).optMaxBodyBytes(maxBodyBytes)
        .optMaxPixels(maxPixels).optMaxBatchImages(maxBatchImages)
        .optRequestTimeout(Duration.ofMillis(timeoutMs)).optShutdownTimeout(Duration.ofMillis(shutdownTimeoutMs))
        .optThreshold(threshold).optMaxDetections(maxDetections).optMaxVariants(maxVariants).optDextrModel(dextr).build();
  }

  @Override
  public Integer call() throws InterruptedException {
    DetectionServer server = DetectionServer.start(config());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "keydet-shutdown"));
    stopped.await();
    return 0;
  }

  /** Entry point of {@code keydet-server.jar}; a leading {@code serve} is skipped. */
  public static void main(String[] args) {
    String[] rest = args.length > 0 && args[0].equals("serve") ? Arrays.copyOfRange(args, 1, args.length) : args;
    CommandLine cli = new CommandLine(new ServeCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof KeyDetException || e instanceof io.javalin.util.JavalinException) {
        cmd.getErr().println("keydet serve: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    System.exit(cli.execute(rest));
  }
}
