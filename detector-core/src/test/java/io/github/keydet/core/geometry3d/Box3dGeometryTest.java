package io.github.keydet.core.geometry3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.keydet.api.Box3D;
import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.decode.Object3dValues;
import org.junit.jupiter.api.Test;

class Box3dGeometryTest {
  /** A simple pinhole camera: f = 100, principal point (50, 40), no translation. */
  private static final CameraCalibration CAM =
      new CameraCalibration(new double[] {100, 0, 50, 0, 0, 100, 40, 0, 0, 0, 1, 0});

  @Test
  void unprojectInvertsProjection() {
    double[] p = Box3dGeometry.unproject(70, 20, 10, CAM);
    assertThat(p).containsExactly(new double[] {2, -2, 10}, within(1e-12));
    double[] uv = Box3dGeometry.project(p, CAM);
    assertThat(uv).containsExactly(new double[] {70, 20}, within(1e-12));
    // KITTI's P2 has a translation column: the round trip still holds
    CameraCalibration k = CameraCalibration.kittiDefault();
    double[] q = Box3dGeometry.unproject(700, 200, 20, k);
    assertThat(Box3dGeometry.project(q, k)).containsExactly(new double[] {700, 200}, within(1e-9));
  }

  @Test
  void rotationYAddsTheViewingRayAndWraps() {
    // on the optical axis rotation_y = alpha
    assertThat(Box3dGeometry.rotationY(0.3, 50, CAM)).isCloseTo(0.3, within(1e-12));
    // 100 px right of the principal point with f = 100: ray angle pi/4
    assertThat(Box3dGeometry.rotationY(0.3, 150, CAM)).isCloseTo(0.3 + Math.PI / 4, within(1e-12));
    assertThat(Box3dGeometry.rotationY(3.0, 150, CAM)).isCloseTo(3.0 + Math.PI / 4 - 2 * Math.PI, within(1e-12));
    assertThat(Box3dGeometry.alpha(Box3dGeometry.rotationY(0.3, 150, CAM), 150, CAM)).isCloseTo(0.3, within(1e-12));
  }

  @Test
  void cornersOfAnUnrotatedBox() {
    double[] c = Box3dGeometry.corners(2, 1, 4, new double[] {1, 3, 10}, 0);
    // corner 0 = (l/2, 0, w/2) + loc, corner 6 = (-l/2, -h, -w/2) + loc
    assertThat(new double[] {c[0], c[1], c[2]}).containsExactly(new double[] {3, 3, 10.5}, within(1e-12));
    assertThat(new double[] {c[18], c[19], c[20]}).containsExactly(new double[] {-1, 1, 9.5}, within(1e-12));
    // rotated by pi/2: x' = z, z' = -x
    double[] r = Box3dGeometry.corners(2, 1, 4, new double[] {0, 0, 0}, Math.PI / 2);
    assertThat(new double[] {r[0], r[1], r[2]}).containsExactly(new double[] {0.5, 0, -2}, within(1e-12));
  }

  @Test
  void liftPlacesTheBottomCenterHalfAHeightBelowTheCenterRay() {
    Object3dValues v = new Object3dValues(10f, 2f, 1f, 4f, 0.3f, new float[8]);
    Box3D b = Box3dGeometry.lift(v, 70, 20, CAM);
    assertThat(b.location()).containsExactly(2f, -1f, 10f);
    assertThat(b.rotationY()).isCloseTo((float) (0.3 + Math.atan2(20, 100)), within(1e-6f));
    assertThat(b.projectedCorners()).hasSize(8);
    // the bottom-face corners' mean projects below the top-face corners' mean
    double bottom = 0;
    double top = 0;
    for (int i = 0; i < 4; i++) {
      bottom += b.projectedCorners().get(i).y();
      top += b.projectedCorners().get(i + 4).y();
    }
    assertThat(bottom).isGreaterThan(top);
    // alpha outside [-pi, pi] (the decoder's range) is wrapped in the Box3D
    Box3D w = Box3dGeometry.lift(new Object3dValues(10f, 2f, 1f, 4f, 4f, new float[8]), 50, 40, CAM);
    assertThat(w.alpha()).isCloseTo((float) (4 - 2 * Math.PI), within(1e-6f));
  }

  @Test
  void calibrationValidation() {
    assertThatThrownBy(() -> new CameraCalibration(new double[11])).isInstanceOf(InvalidConfigException.class);
    assertThatThrownBy(() -> new CameraCalibration(new double[12])).isInstanceOf(InvalidConfigException.class);
    double[] p = CameraCalibration.kittiDefault().p();
    p[3] = Double.NaN;
    assertThatThrownBy(() -> new CameraCalibration(p)).isInstanceOf(InvalidConfigException.class);
    assertThat(CameraCalibration.kittiDefault()).isEqualTo(CameraCalibration.kittiDefault());
  }
}
