package io.github.keydet.core.decode;

import io.github.keydet.api.InvalidConfigException;

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
}
