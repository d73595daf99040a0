package io.github.keydet.core.encode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reference data written by tools/testdata/gen_target_testdata.py (an independent numpy port of the originals). */
public final class TestData {
  private static JsonNode cases;

  private TestData() {}

  /** The parsed cases.json. */
  public static synchronized JsonNode cases() {
    if (cases == null) {
      try {
        cases = new ObjectMapper().readTree(file("cases.json"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return cases;
  }

  static File file(String rel) {
    try {
      return new File(TestData.class.getResource("/encode/" + rel).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test resource target/" + rel, e);
    }
  }

  /** A reference array. */
  public static INDArray npy(String dir, String name) {
    return Nd4j.createFromNpyFile(file(dir + "/" + name + ".npy"));
  }

  /** Flat double contents. */
  public static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  /** Asserts same shape and values within {@code tol} (absolute), naming the first differing index. */
  public static void assertClose(String what, INDArray actual, INDArray expected, double tol) {
    assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
    double[] a = values(actual);
    double[] e = values(expected);
    for (int i = 0; i < a.length; i++) {
      if (!(Math.abs(a[i] - e[i]) <= tol)) {
        fail(what + ": flat index " + i + " is " + a[i] + ", expected " + e[i] + " (shape "
            + Arrays.toString(expected.shape()) + ")");
      }
    }
  }

  /** Every target of {@code actual} equals the reference array of the same name in {@code dir}. */
  public static void assertMatches(String dir, TargetSet actual, List<String> names, double tol) {
    for (String n : names) {
      assertClose(dir + "/" + n, actual.get(n), npy(dir, n), tol);
    }
  }

  static float f(JsonNode n) {
    return (float) n.asDouble();
  }

  /** Floats of a JSON array. */
  public static float[] floats(JsonNode arr) {
    float[] r = new float[arr.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) arr.get(i).asDouble();
    }
    return r;
  }

  /** Objects from a case list ({@code box}, {@code cls}, optional {@code kps}, {@code extreme}, 3D fields). */
  public static List<ObjectAnnotation> objects(String key) {
    List<ObjectAnnotation> r = new ArrayList<>();
    for (JsonNode o : cases().get(key)) {
      JsonNode b = o.get("box");
      ObjectAnnotation a = new ObjectAnnotation(
          f(b.get(0)), f(b.get(1)), f(b.get(2)), f(b.get(3)), o.get("cls").asInt(), null, null, null);
      if (o.has("kps")) {
        a = a.withKeypoints(floats(o.get("kps")));
      }
      if (o.has("extreme")) {
        a = a.withExtremePoints(floats(o.get("extreme")));
      }
      if (o.has("alpha")) {
        JsonNode d = o.get("dim");
        a = a.with3d(new Object3D(f(o.get("depth")), f(d.get(0)), f(d.get(1)), f(d.get(2)), f(o.get("alpha"))));
      }
      r.add(a);
    }
    return r;
  }
}
