package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;
import io.github.keydet.api.InvalidInputException;
import io.github.keydet.core.heads.Heads;
import io.github.keydet.core.heads.Layout;

/**
 * What the family decoders share: their immutable settings, required at construction and exposed as
 * {@code config()}. Stateless beyond that, thread-safe.
 *
 * @param <C> the decoder's settings record
 */
abstract class ConfiguredDecoder<C> implements HeadDecoder {
  final C config;

  ConfiguredDecoder(C config) {
    if (config == null) {
      throw new InvalidConfigException("config must be set");
    }
    this.config = config;
  }

  /** The settings. */
  public final C config() {
    return config;
  }

  /** Refuses heads in another layout than the settings' with an {@link InvalidInputException} naming both. */
  static void requireLayout(Heads heads, Layout configured) {
    if (heads.layout() != configured) {
      throw new InvalidInputException(
          "heads are " + heads.layout() + " but the decoder is configured for " + configured);
    }
  }
}
