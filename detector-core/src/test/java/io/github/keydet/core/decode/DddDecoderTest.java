package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.Box3D;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.geometry3d.Box3dGeometry;
import io.github.keydet.core.geometry3d.CameraCalibration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DddDecoderTest {

  private static Map<String, INDArray> heads(int n, int c, int h, int w) {
    Map<String, INDArray> m = new HashMap<>();
    m.put("hm", Nd4j.zeros(DataType.FLOAT, n, c, h, w));
    m.put("dep", Nd4j.zeros(DataType.FLOAT, n, 1, h, w));
    m.put("rot", Nd4j.zeros(DataType.FLOAT, n, 8, h, w));
    m.put("dim", Nd4j.zeros(DataType.FLOAT, n, 3, h, w));
    m.put("wh", Nd4j.zeros(DataType.FLOAT, n, 2, h, w));
    m.put("reg", Nd4j.zeros(DataType.FLOAT, n, 2, h, w));
    return m;
  }

  private static void put(Map<String, INDArray> m, String head, int n, int c, int y, int x, float v) {
    m.get(head).putScalar(new int[] {n, c, y, x}, v);
  }

  private static DddDecoder decoder(int k) {
    return new DddDecoder(DddDecoder.Config.defaults().withK(k));
  }

  @Test
  void gathersDepthDimensionsAndAngleAtTheCenter() {
    Map<String, INDArray> m = heads(1, 2, 6, 6);
    put(m, "hm", 0, 1, 2, 3, 0.7f);
    put(m, "dep", 0, 0, 2, 3, 0f); // sigmoid 0.5 -> 1 / (0.5 + 1e-6) - 1
    float[] rot = {0f, 2f, 1f, 0f, 0f, 1f, 0f, 1f}; // bin 1 wins (2 > 1): atan2(1, 0) - pi/2 = 0
    for (int c = 0; c < 8; c++) {
      put(m, "rot", 0, c, 2, 3, rot[c]);
    }
    put(m, "dim", 0, 0, 2, 3, 1.5f);
    put(m, "dim", 0, 1, 2, 3, 1.6f);
    put(m, "dim", 0, 2, 2, 3, 3.9f);
    put(m, "wh", 0, 0, 2, 3, 4f);
    put(m, "wh", 0, 1, 2, 3, 2f);
    put(m, "reg", 0, 0, 2, 3, 0.5f);
    put(m, "reg", 0, 1, 2, 3, 0.25f);
    Candidate c = decoder(2).decode(Heads.nchw(m)).get(0).get(0);
    assertThat(c.classId()).isEqualTo(1);
    assertThat(c.score()).isEqualTo(0.7f);
    assertThat(c.points()).containsExactly(3.5f, 2.25f);
    assertThat(new float[] {c.x1(), c.y1(), c.x2(), c.y2()}).containsExactly(1.5f, 1.25f, 5.5f, 3.25f);
    Object3dValues v = c.object3d();
    assertThat(v.depth()).isCloseTo((float) (1 / (0.5 + 1e-6) - 1), within(1e-6f));
    assertThat(v.height()).isEqualTo(1.5f);
    assertThat(v.width()).isEqualTo(1.6f);
    assertThat(v.length()).isEqualTo(3.9f);
    assertThat(v.alpha()).isCloseTo(0f, within(1e-6f));
    assertThat(v.rot()).containsExactly(rot);
  }

  @Test
  void alphaBinsAndTies() {
    // rot[1] == rot[5]: not strictly greater -> bin 2: atan2(0, 1) + pi/2
    assertThat(DddDecoder.alpha(new float[] {0, 1, 0, 1, 0, 1, 0, 1})).isCloseTo((float) (Math.PI / 2), within(1e-6f));
    assertThat(DddDecoder.alpha(new float[] {0, 1, 0, -1, 0, 0, 0, 1}))
        .isCloseTo((float) (Math.PI - Math.PI / 2), within(1e-6f));
    assertThat(DddDecoder.decodeDepth(-2f)).isCloseTo((float) (1 / (1 / (1 + Math.exp(2)) + 1e-6) - 1), within(1e-4f));
  }

  @Test
  void metresDepthNoWhNoRegBorderPlateauBatchAndBackground() {
    Map<String, INDArray> m = heads(2, 1, 4, 4);
    m.remove("wh");
    m.remove("reg");
    put(m, "hm", 0, 0, 0, 3, 0.6f); // top-right corner
    put(m, "hm", 0, 0, 3, 0, 0.6f); // bottom-left corner, equal score
    put(m, "dep", 0, 0, 0, 3, 12.5f);
    DddDecoder d = new DddDecoder(DddDecoder.Config.defaults().withK(3).withDepthInput(DddDecoder.DepthInput.METRES));
    List<List<Candidate>> out = d.decode(Heads.nchw(m));
    List<Candidate> a = out.get(0);
    assertThat(a).hasSize(3);
    assertThat(a.get(0).score()).isEqualTo(0.6f);
    assertThat(a.get(1).score()).isEqualTo(0.6f);
    assertThat(a.get(2).score()).isZero();
    Candidate first = a.get(0).points()[0] == 3.5f ? a.get(0) : a.get(1);
    assertThat(first.points()).containsExactly(3.5f, 0.5f);
    assertThat(first.object3d().depth()).isEqualTo(12.5f);
    assertThat(new float[] {first.x1(), first.y1(), first.x2(), first.y2()}).containsExactly(3.5f, 0.5f, 3.5f, 0.5f);
    // batch item 1: all background
    assertThat(out.get(1)).hasSize(3).allSatisfy(c -> assertThat(c.score()).isZero());
  }

  @Test
  void matchesNumpyPortOfUpstream() throws Exception {
    Map<String, INDArray> heads = MultiPoseDecoderTest.npz("decode/ddd/heads.npz");
    Map<String, INDArray> e = MultiPoseDecoderTest.npz("decode/ddd/expected.npz");
    List<List<Candidate>> out = decoder(12).decode(Heads.nchw(heads));
    CameraCalibration kitti = CameraCalibration.kittiDefault();
    for (int n = 0; n < 2; n++) {
      assertThat(out.get(n)).hasSize(12);
      for (int i = 0; i < 12; i++) {
        Candidate c = out.get(n).get(i);
        assertThat(c.score()).isCloseTo(e.get("scores").getFloat(n, i), within(1e-6f));
        assertThat((float) c.classId()).isEqualTo(e.get("clses").getFloat(n, i));
        assertThat(c.points()[0]).isCloseTo(e.get("xs").getFloat(n, i), within(1e-5f));
        assertThat(c.points()[1]).isCloseTo(e.get("ys").getFloat(n, i), within(1e-5f));
        Object3dValues v = c.object3d();
        float depth = e.get("depth").getFloat(n, i);
        assertThat(v.depth()).isCloseTo(depth, within(1e-5f * Math.max(1, depth)));
        assertThat(v.alpha()).isCloseTo(e.get("alpha").getFloat(n, i), within(1e-5f));
        assertThat(new float[] {v.height(), v.width(), v.length()})
            .containsExactly(e.get("dim").getFloat(n, i, 0), e.get("dim").getFloat(n, i, 1), e.get("dim").getFloat(n, i, 2));
        float w = e.get("wh").getFloat(n, i, 0);
        assertThat(c.x2() - c.x1()).isCloseTo(w, within(1e-4f));
        Box3D b = Box3dGeometry.lift(v, c.points()[0] * 4.0, c.points()[1] * 4.0, kitti);
        assertThat(b.rotationY()).isCloseTo(e.get("rotation_y").getFloat(n, i), within(1e-4f));
        for (int q = 0; q < 3; q++) {
          float loc = e.get("location").getFloat(n, i, q);
          assertThat(b.location().get(q)).isCloseTo(loc, within(1e-4f * Math.max(1, Math.abs(loc))));
        }
        for (int q = 0; q < 8; q++) {
          float u = e.get("corners").getFloat(n, i, q, 0);
          float vv = e.get("corners").getFloat(n, i, q, 1);
          assertThat(b.projectedCorners().get(q).x()).isCloseTo(u, within(1e-3f * Math.max(1, Math.abs(u))));
          assertThat(b.projectedCorners().get(q).y()).isCloseTo(vv, within(1e-3f * Math.max(1, Math.abs(vv))));
        }
      }
    }
  }

  @Test
  void nhwcGivesTheSameResult() throws Exception {
    Map<String, INDArray> heads = MultiPoseDecoderTest.npz("decode/ddd/heads.npz");
    Map<String, INDArray> nhwc = new HashMap<>();
    heads.forEach((k, v) -> nhwc.put(k, v.permute(0, 2, 3, 1).dup('c')));
    List<List<Candidate>> a = decoder(12).decode(Heads.nchw(heads));
    List<List<Candidate>> b =
        new DddDecoder(DddDecoder.Config.defaults().withK(12).withLayout(Layout.NHWC))
            .decode(new Heads(nhwc, Layout.NHWC));
    for (int n = 0; n < 2; n++) {
      for (int i = 0; i < 12; i++) {
        assertThat(b.get(n).get(i).points()).isEqualTo(a.get(n).get(i).points());
        assertThat(b.get(n).get(i).object3d().rot()).isEqualTo(a.get(n).get(i).object3d().rot());
        assertThat(b.get(n).get(i).object3d().depth()).isEqualTo(a.get(n).get(i).object3d().depth());
      }
    }
    // heads in one layout, decoder configured for the other
    assertThatThrownBy(() -> decoder(12).decode(new Heads(nhwc, Layout.NHWC)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void badInputAndConfig() {
    Map<String, INDArray> m = heads(1, 1, 4, 4);
    m.put("rot", Nd4j.zeros(DataType.FLOAT, 1, 4, 4, 4));
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("rot")
        .hasMessageContaining("expected 8 channels");
    Map<String, INDArray> m2 = heads(1, 1, 4, 4);
    m2.remove("dim");
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m2))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dim");
    Map<String, INDArray> m3 = heads(1, 1, 4, 4);
    put(m3, "hm", 0, 0, 0, 0, 1f);
    put(m3, "dep", 0, 0, 0, 0, Float.NaN);
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m3))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("dep");
    Map<String, INDArray> m4 = heads(2, 1, 4, 4);
    m4.put("dim", Nd4j.zeros(DataType.FLOAT, 1, 3, 4, 4));
    assertThatThrownBy(() -> decoder(3).decode(Heads.nchw(m4))).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> decoder(17).decode(Heads.nchw(heads(1, 1, 4, 4))))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> DddDecoder.Config.defaults().withK(-1)).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> DddDecoder.Config.defaults().withDepthInput(null))
        .isInstanceOf(InvalidConfigException.class);
  }
}
