package io.github.keydet.core.loss;

import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.encode.TargetArrays;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Shape handling and gathering shared by the losses. */
final class LossArrays {
  private LossArrays() {}

  /** Shape with a leading batch dimension of 1 added when {@code a} has {@code rank - 1} dimensions. */
  static long[] batched(String name, INDArray a, int rank) {
    long[] s = a.shape();
    if (s.length == rank) {
      return s;
    }
    if (s.length == rank - 1) {
      long[] b = new long[rank];
      b[0] = 1;
      System.arraycopy(s, 0, b, 1, s.length);
      return b;
    }
    throw new InvalidInputException(
        "'" + name + "' must have rank " + rank + " (or " + (rank - 1) + " without batch), got shape "
            + Arrays.toString(s));
  }

  static void requireDims(String name, long[] shape, long[] expected) {
    if (!Arrays.equals(shape, expected)) {
      throw new InvalidInputException(
          "'" + name + "' has shape " + Arrays.toString(shape) + ", expected " + Arrays.toString(expected));
    }
  }

  /**
   * {@code _transpose_and_gather_feat}: output {@code [B, D, H, W]} at flat indices {@code ind [B, M]} gives
   * {@code [B, M, D]} (row-major float array).
   */
  static float[] gather(String name, INDArray output, INDArray ind) {
    long[] os = batched(name, output, 4);
    long[] is = batched("ind", ind, 2);
    if (os[0] != is[0]) {
      throw new InvalidInputException(
          "batch sizes differ: '" + name + "' " + Arrays.toString(output.shape()) + ", 'ind' "
              + Arrays.toString(ind.shape()));
    }
    int b = (int) os[0];
    int d = (int) os[1];
    int hw = (int) (os[2] * os[3]);
    int m = (int) is[1];
    long[] idx = TargetArrays.readLongs(ind);
    FloatBuffer o = TargetArrays.readFloats(output);
    float[] res = new float[b * m * d];
    for (int bi = 0; bi < b; bi++) {
      for (int mi = 0; mi < m; mi++) {
        long p = idx[bi * m + mi];
        if (p < 0 || p >= hw) {
          throw new InvalidInputException(
              "index " + p + " at [" + bi + ", " + mi + "] is outside the " + os[2] + "x" + os[3] + " map of '"
                  + name + "'");
        }
        for (int di = 0; di < d; di++) {
          res[(bi * m + mi) * d + di] = o.get((int) ((long) (bi * d + di) * hw + p));
        }
      }
    }
    return res;
  }

  static float[] floats(INDArray a) {
    FloatBuffer f = TargetArrays.readFloats(a);
    float[] r = new float[(int) a.length()];
    f.get(0, r);
    return r;
  }
}
