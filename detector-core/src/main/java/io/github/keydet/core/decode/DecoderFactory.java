package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.core.spec.ModelSpec;

/** Builds the decoder of a model spec's family, with the spec's activation and layout. */
public final class DecoderFactory {
  private DecoderFactory() {}

  /**
   * The decoder for a spec.
   *
   * @throws InvalidConfigException when the family has no decoder in this build
   */
  public static HeadDecoder create(ModelSpec spec, DecodeOptions options) {
    CenterNetDecoder.Config centerConfig =
        new CenterNetDecoder.Config(options.k(), options.kernel(), spec.heatmaps(), spec.layout());
    switch (spec.family()) {
      case CENTERNET -> {
        CenterNetDecoder d = new CenterNetDecoder(centerConfig);
        return heads -> d.decode(heads.view("hm"), heads.view("wh"), heads.optView("reg").orElse(null));
      }
      case TTFNET_LTRB -> {
        LtrbDecoder d = new LtrbDecoder(centerConfig, spec.stride());
        return heads -> d.decode(heads.view("hm"), heads.view("ltrb"));
      }
      default -> throw new InvalidConfigException("no decoder for family " + spec.family() + " in this build");
    }
  }
}
