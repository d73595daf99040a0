package io.github.keydet.core.decode;

/**
 * The top-K peaks of one image's heatmap after peak NMS, best first: parallel arrays of length {@link
 * #count()}. Suppressed (non-peak) pixels can appear with score 0 when fewer than K peaks exist, exactly as in
 * the original decoders, which keep them in the top-K pool.
 *
 * <p>The arrays are owned by this record and must not be modified.
 *
 * @param count number of entries, {@code min(K, C*H*W)}
 * @param scores activated peak scores, descending
 * @param classes channel of each peak
 * @param ys row of each peak in the heatmap
 * @param xs column of each peak in the heatmap
 */
public record Peaks(int count, float[] scores, int[] classes, int[] ys, int[] xs) {}
