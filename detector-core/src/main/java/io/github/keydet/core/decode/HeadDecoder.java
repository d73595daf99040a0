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
   * @return one list per batch item, best first, in output-map cells. Top-K decoders return K candidates per
   *     item even when fewer cells are peaks: on small maps the rest are peak-suppressed cells with score exactly
   *     0, which are not detections ({@code Postprocessor} and {@code keydet decode} drop every score {@code <= 0})
   * @throws io.github.keydet.api.InvalidInputException on a missing head, mismatched shapes or NaN
   */
  List<List<Candidate>> decode(Heads heads);
}
