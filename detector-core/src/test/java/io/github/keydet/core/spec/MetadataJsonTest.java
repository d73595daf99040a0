package io.github.keydet.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keydet.api.ModelLoadException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The metadata's JSON reader and writer against Jackson on the same texts, both ways. */
class MetadataJsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  private static String randomString(Random rnd) {
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      int kind = rnd.nextInt(6);
      sb.append(switch (kind) {
        case 0 -> (char) rnd.nextInt(0x20); // control characters
        case 1 -> "\"\\/".charAt(rnd.nextInt(3));
        case 2 -> (char) (0x80 + rnd.nextInt(0x7f80)); // BMP beyond ASCII
        case 3 -> "\uD83D\uDE00"; // a surrogate pair
        default -> (char) (0x20 + rnd.nextInt(0x5f));
      });
    }
    return sb.toString();
  }

  @Test
  void readsWhatJacksonWritesAndJacksonReadsWhatItWrites() throws Exception {
    Random rnd = new Random(11);
    for (int trial = 0; trial < 500; trial++) {
      List<String> list = new ArrayList<>();
      Map<String, String> map = new LinkedHashMap<>();
      for (int i = rnd.nextInt(6); i > 0; i--) {
        list.add(randomString(rnd));
        map.put(randomString(rnd), randomString(rnd));
      }
      String jacksonList = trial % 2 == 0 ? JACKSON.writeValueAsString(list)
          : JACKSON.writerWithDefaultPrettyPrinter().writeValueAsString(list);
      assertThat(MetadataJson.stringArray(jacksonList)).isEqualTo(list);
      assertThat(MetadataJson.stringObject(JACKSON.writeValueAsString(map))).containsExactlyEntriesOf(map);
      assertThat(JACKSON.readValue(MetadataJson.write(list), new TypeReference<List<String>>() {})).isEqualTo(list);
      assertThat(JACKSON.readValue(MetadataJson.write(map), new TypeReference<LinkedHashMap<String, String>>() {}))
          .containsExactlyEntriesOf(map);
    }
    // the export's Python json.dumps style, with spaces and \\u escapes
    assertThat(MetadataJson.stringArray(" [ \"person\" , \"caf\\u00e9\", \"a\\/b\\tc\" ] "))
        .containsExactly("person", "caf\u00e9", "a/b\tc");
    assertThat(MetadataJson.stringArray("[]")).isEmpty();
    assertThat(MetadataJson.stringObject("{ }")).isEmpty();
  }

  @Test
  void refusesOtherJsonWithThePosition() {
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"a\", 1]")).hasMessage(
        "expected a string at character 6, found '1'");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"a\",]")).hasMessageContaining("expected a string");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"a\"] x")).hasMessageContaining("the end of the text");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"a")).hasMessageContaining("found the end");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"\\x\"]")).hasMessageContaining("an escape character");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"\\u00g0\"]")).hasMessageContaining("a hex digit");
    assertThatThrownBy(() -> MetadataJson.stringArray("[\"a\nb\"]")).hasMessageContaining("escaped control");
    assertThatThrownBy(() -> MetadataJson.stringArray("{}")).hasMessageContaining("expected '['");
    assertThatThrownBy(() -> MetadataJson.stringObject("{\"a\": \"b\", \"a\": \"c\"}"))
        .hasMessageContaining("duplicate key \"a\"");
    assertThatThrownBy(() -> MetadataJson.stringObject("{\"a\": null}")).hasMessageContaining("expected a string");
  }

  @Test
  void aBadLabelsEntryIsAModelLoadExceptionNamingTheKey() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("keydet.family", "CENTERNET");
    m.put("keydet.labels", "[\"cat\", null]");
    assertThatThrownBy(() -> ModelSpec.fromMetadata(m)).isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("'keydet.labels' is not a JSON array of strings").hasMessageContaining("character 8");
    m.put("keydet.labels", "[\"cat\", \"dog\"]");
    m.put("keydet.heads", "{\"hm\": \"heatmap\"}");
    ModelSpec spec = ModelSpec.fromMetadata(m);
    assertThat(spec.labels()).containsExactly("cat", "dog");
    assertThat(spec.outputName("hm")).isEqualTo("heatmap");
    assertThat(ModelSpec.fromMetadata(spec.toMetadata())).isEqualTo(spec);
  }
}
