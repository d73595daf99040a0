package io.github.keydet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keydet.api.Keypoint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkeletonPainterTest {
  /** 17 keypoints on a grid, joint j at (20 + 40 (j % 5), 20 + 40 (j / 5)), all scoring 0.9 but {@code low}. */
  private static List<Keypoint> person(int low) {
    List<Keypoint> k = new ArrayList<>();
    for (int j = 0; j < 17; j++) {
      k.add(new Keypoint(20 + 40 * (j % 5), 20 + 40 * (j / 5), j == low ? 0.05f : 0.9f));
    }
    return k;
  }

  private static BufferedImage paint(List<Keypoint> k) {
    BufferedImage img = new BufferedImage(220, 180, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    SkeletonPainter.paint(g, k, 3f, SkeletonPainter.DEFAULT_THRESHOLD);
    g.dispose();
    return img;
  }

  @Test
  void keypointsUnderTheThresholdAndTheirLimbsAreNotDrawn() {
    // nose (0) at (20, 20), left eye (1) at (60, 20): limb 0-1 in the head colour; left ankle 15 at (20, 140)
    BufferedImage all = paint(person(-1));
    assertThat(all.getRGB(40, 20) & 0xffffff).isEqualTo(0xffdc28);
    assertThat(all.getRGB(20, 140) & 0xffffff).isNotZero();
    BufferedImage noNose = paint(person(0));
    assertThat(noNose.getRGB(40, 20) & 0xffffff).as("limb nose-left eye").isZero();
    assertThat(noNose.getRGB(20, 20) & 0xffffff).as("the nose").isZero();
    assertThat(noNose.getRGB(20, 140) & 0xffffff).isNotZero();
  }

  @Test
  void limbsAreColouredByBodyPartAndSide() {
    assertThat(SkeletonPainter.limbColor(5, 7)).isNotEqualTo(SkeletonPainter.limbColor(6, 8));
    assertThat(SkeletonPainter.limbColor(13, 15)).isNotEqualTo(SkeletonPainter.limbColor(14, 16));
    assertThat(SkeletonPainter.limbColor(0, 1)).isEqualTo(SkeletonPainter.limbColor(2, 4));
    assertThat(SkeletonPainter.LIMBS.length).isEqualTo(19);
  }

  @Test
  void onlySeventeenKeypointsAreASkeleton() {
    assertThat(SkeletonPainter.isCocoPerson(person(-1).subList(0, 5))).isFalse();
    assertThatThrownBy(() -> paint(person(-1).subList(0, 5))).hasMessageContaining("17 keypoints, got 5");
  }
}
