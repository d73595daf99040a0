package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Activation;
import io.github.keydet.core.heads.Heads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test helpers for the CornerNet-family decoders (CornerNet, Triplets, ExtremeNet): reading the numpy reference
 * files written by {@code tools/testdata/gen_cornernet_family_refs.py}, and building small heads by hand.
 */
final class CornerNetFamilyTestData {
  private CornerNetFamilyTestData() {}

  /** Reads "name N C H W" + values lines into NCHW heads. */
  static Heads readHeads(String resource) {
    List<String> lines = lines(resource);
    Map<String, INDArray> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String[] head = lines.get(i).trim().split("\\s+");
      long[] shape = new long[4];
      for (int d = 0; d < 4; d++) {
        shape[d] = Long.parseLong(head[d + 1]);
      }
      map.put(head[0], Nd4j.create(floats(lines.get(i + 1)), shape, 'c'));
    }
    return Heads.nchw(map);
  }

  /** Reads expected rows: "n score class x1 y1 x2 y2 [points] [point scores]". */
  static List<float[]> readRows(String resource) {
    List<float[]> rows = new ArrayList<>();
    for (String line : lines(resource)) {
      if (!line.isBlank()) {
        rows.add(floats(line));
      }
    }
    return rows;
  }

  /** Reads "key value" lines. */
  static Map<String, Double> readConfig(String resource) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : lines(resource)) {
      String[] kv = line.trim().split("\\s+");
      if (kv.length == 2) {
        out.put(kv[0], Double.parseDouble(kv[1]));
      }
    }
    return out;
  }

  static float[] floats(String line) {
    String[] parts = line.trim().split("\\s+");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      v[i] = Float.parseFloat(parts[i]);
    }
    return v;
  }

  private static List<String> lines(String resource) {
    try (InputStream in = CornerNetFamilyTestData.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return Arrays.asList(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A [n, c, h, w] float array filled with {@code value}. */
  static float[][][][] filled(int n, int c, int h, int w, float value) {
    float[][][][] a = new float[n][c][h][w];
    for (float[][][] x : a) {
      for (float[][] y : x) {
        for (float[] z : y) {
          Arrays.fill(z, value);
        }
      }
    }
    return a;
  }

  /** An NCHW INDArray of a nested array. */
  static INDArray array(float[][][][] a) {
    int n = a.length;
    int c = a[0].length;
    int h = a[0][0].length;
    int w = a[0][0][0].length;
    float[] flat = new float[n * c * h * w];
    int i = 0;
    for (float[][][] x : a) {
      for (float[][] y : x) {
        for (float[] z : y) {
          System.arraycopy(z, 0, flat, i, w);
          i += w;
        }
      }
    }
    return Nd4j.create(flat, new long[] {n, c, h, w}, 'c');
  }

  /** The float sigmoid the decoders use. */
  static float sig(double x) {
    return Activation.sigmoid((float) x);
  }
}
