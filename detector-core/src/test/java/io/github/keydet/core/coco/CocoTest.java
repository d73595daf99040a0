package io.github.keydet.core.coco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.api.ModelFamily;
import io.github.keydet.core.family.Families;
import io.github.keydet.core.training.TargetWriter;
import io.github.keydet.core.encode.ObjectAnnotation;
import io.github.keydet.core.encode.TestData;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CocoTest {
  static CocoDataset mini() throws Exception {
    return CocoJson.readAnnotations(Path.of(CocoTest.class.getResource("/encode/coco_mini.json").toURI()));
  }

  static JsonNode expected() {
    return TestData.cases().get("coco_mini");
  }

  static Rle rle(CocoAnnotation a) {
    return ((Segmentation.RunLength) a.segmentation()).rle();
  }

  static byte[] bytes(JsonNode a) {
    byte[] r = new byte[a.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = (byte) a.get(i).asInt();
    }
    return r;
  }

  @Test
  void categoriesGetIndicesInIdOrder() throws Exception {
    CocoDataset d = mini();
    assertThat(d.classNames()).containsExactly("person", "car", "toothbrush");
    assertThat(d.classIndex(90L)).isEqualTo(2);
    assertThat(d.image(7).fileName()).isEqualTo("a.png");
    assertThat(d.annotations(9)).isEmpty();
  }

  @Test
  void compressedAndPlainRleDecodeToTheMask() throws Exception {
    CocoDataset d = mini();
    CocoAnnotation crowd = d.annotations(7).get(0);
    assertThat(crowd.crowd()).isTrue();
    assertThat(rle(crowd).toMask()).isEqualTo(bytes(expected().get("mask1")));
    assertThat(rle(d.annotations(7).get(2)).counts()).isNotEmpty();
    assertThatThrownBy(() -> Rle.of(2, 2, new long[] {1, 2})).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("sum to 3");
  }

  @Test
  void objectsForFamilies() throws Exception {
    CocoDataset d = mini();
    List<ObjectAnnotation> ct = CocoObjects.objects(d, 7, Families.of(ModelFamily.CENTERNET)::annotation);
    assertThat(ct).hasSize(3);
    assertThat(ct.get(0).classId()).isEqualTo(1);
    assertThat(ct.get(0).x2()).isEqualTo(45f);
    assertThat(ct.get(1).x2()).isEqualTo((float) (12.5 + 57.8));
    List<ObjectAnnotation> ex = CocoObjects.objects(d, 7, Families.of(ModelFamily.EXTREMENET)::annotation);
    assertThat(ex.get(0).extremePoints()).isEqualTo(TestData.floats(expected().get("extreme1")));
    assertThat(ex.get(1).extremePoints()).isEqualTo(TestData.floats(expected().get("extreme2")));
    assertThat(ex.get(2).extremePoints()).isEqualTo(TestData.floats(expected().get("extreme3")));
    assertThatThrownBy(() -> CocoObjects.objects(d, 7, Families.of(ModelFamily.MULTI_POSE)::annotation)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("annotation 1 has no keypoints");
    assertThatThrownBy(() -> CocoObjects.objects(d, 8, Families.of(ModelFamily.CENTERNET)::annotation)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("no image with id 8");
  }

  @Test
  void badFilesAreRejected() {
    assertThatThrownBy(() -> CocoJson.readAnnotations(new ByteArrayInputStream("{".getBytes(StandardCharsets.UTF_8)), "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> CocoJson.readAnnotations(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("'images'");
    String negative = "{\"images\":[{\"id\":1}],\"categories\":[{\"id\":1}],\"annotations\":[{\"id\":5,"
        + "\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,-2,3]}]}";
    assertThatThrownBy(() -> CocoJson.readAnnotations(
        new ByteArrayInputStream(negative.getBytes(StandardCharsets.UTF_8)), "x"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("negative bbox size [0,0,-2,3]");
  }

  @Test
  void targetWriterWritesNpyAndOverlays(@TempDir Path dir) throws Exception {
    CocoDataset d = mini();
    TargetWriter.Written w = TargetWriter.write(d, 7, ModelFamily.CENTERNET, 0, null, dir);
    assertThat(w.numObjects()).isEqualTo(3);
    assertThat(w.npyFiles()).extracting(p -> p.getFileName().toString())
        .containsExactly("hm.npy", "wh.npy", "reg.npy", "ind.npy", "reg_mask.npy");
    assertThat(w.pngFiles()).extracting(p -> p.getFileName().toString()).containsExactly("hm.png");
    INDArray hm = Nd4j.createFromNpyFile(dir.resolve("hm.npy").toFile());
    assertThat(hm.shape()).containsExactly(3, 128, 128);
    assertThat(hm.maxNumber().floatValue()).isEqualTo(1f);
    assertThat(Files.size(dir.resolve("hm.png"))).isGreaterThan(0);
    TargetWriter.Written ex = TargetWriter.write(d, 7, ModelFamily.EXTREMENET, 0, null, dir.resolve("ex"));
    assertThat(ex.pngFiles()).hasSize(5);
  }
}
