package io.github.keydet.core.decode;

import io.github.keydet.core.heads.Heads;

import java.util.List;

/**
 * The decoder of one model family: named heads in, candidates per image out (output-map coordinates, best
 * first). Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface HeadDecoder {
  /**
   * Decodes a batch.
   *
   * @param heads the network's heads by canonical name
   * @return one list per batch item
   * @throws io.github.keydet.api.InvalidInputException on a missing head, mismatched shapes or NaN
   */
  List<List<Candidate>> decode(Heads heads);
}
