package io.github.keydet.core.saccade;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * {@link NumpyArgsort} equals numpy's default argsort on tie-heavy arrays of 0 to 500 values (written with numpy
 * by {@code tools/testdata/saccade_reference.py}): the order of equal scores that CornerNet-Saccade's location NMS
 * depends on.
 */
class NumpyArgsortTest {
  @Test
  void equalsNumpyOnTies() throws Exception {
    JsonNode cases;
    try (InputStream in = NumpyArgsortTest.class.getResourceAsStream("/saccade/argsort.json")) {
      cases = new ObjectMapper().readTree(in).get("cases");
    }
    assertThat(cases.size()).isGreaterThan(40);
    int withTies = 0;
    for (JsonNode c : cases) {
      double[] v = new double[c.get("values").size()];
      int[] expected = new int[v.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = c.get("values").get(i).asDouble();
        expected[i] = c.get("argsort").get(i).asInt();
      }
      if (java.util.Arrays.stream(v).distinct().count() < v.length) {
        withTies++;
      }
      assertThat(NumpyArgsort.argsort(v)).as("argsort of %d values", v.length).containsExactly(expected);
    }
    assertThat(withTies).isGreaterThan(30);
  }

  @Test
  void nanSortsLast() {
    assertThat(NumpyArgsort.argsort(new double[] {Double.NaN, 1, 0})).containsExactly(2, 1, 0);
  }
}
