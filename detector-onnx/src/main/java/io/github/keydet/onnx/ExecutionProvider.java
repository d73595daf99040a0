package io.github.keydet.onnx;

import io.github.keydet.api.InvalidConfigException;
import java.util.Locale;

/**
 * Which device runs the network.
 *
 * @param kind AUTO (CUDA when an NVIDIA driver is present, else CPU), CPU, or CUDA
 * @param deviceId CUDA device index
 * @param strict for CUDA: fail instead of falling back to the CPU when CUDA cannot be used
 */
public record ExecutionProvider(Kind kind, int deviceId, boolean strict) {

  /** Device kinds. */
  public enum Kind {
    AUTO,
    CPU,
    CUDA
  }

  /** Validation. */
  public ExecutionProvider {
    if (kind == null) {
      throw new InvalidConfigException("execution provider kind must be set");
    }
    if (deviceId < 0) {
      throw new InvalidConfigException("CUDA device id must be >= 0, got " + deviceId);
    }
  }

  /** CUDA device 0 when a driver is present, else the CPU. */
  public static ExecutionProvider auto() {
    return new ExecutionProvider(Kind.AUTO, 0, false);
  }

  /** The CPU. */
  public static ExecutionProvider cpu() {
    return new ExecutionProvider(Kind.CPU, 0, false);
  }

  /** CUDA on a device, falling back to the CPU (with a log line) when CUDA cannot be used. */
  public static ExecutionProvider cuda(int deviceId) {
    return new ExecutionProvider(Kind.CUDA, deviceId, false);
  }

  /** CUDA on a device, failing with a ModelLoadException when CUDA cannot be used. */
  public static ExecutionProvider cudaStrict(int deviceId) {
    return new ExecutionProvider(Kind.CUDA, deviceId, true);
  }

  /** Parses {@code auto}, {@code cpu}, {@code cuda}, {@code cuda:1} (case-insensitive). */
  public static ExecutionProvider parse(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("auto")) {
      return auto();
    }
    if (t.equals("cpu")) {
      return cpu();
    }
    if (t.equals("cuda")) {
      return cuda(0);
    }
    if (t.startsWith("cuda:")) {
      try {
        return cuda(Integer.parseInt(t.substring(5)));
      } catch (NumberFormatException e) {
        throw new InvalidConfigException("bad CUDA device in '" + text + "'");
      }
    }
    throw new InvalidConfigException("unknown execution provider '" + text + "': use auto, cpu, cuda or cuda:N");
  }
}
