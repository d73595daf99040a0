/**
 * Training losses of keypoint detectors on ND4J arrays, with the values the original PyTorch code computes:
 * CenterNet/CornerNet's penalty-reduced focal loss, masked L1 and smooth-L1 regression losses at gathered indices,
 * CornerNet's associative-embedding pull/push loss, CenterNet's ddd rotation-bin loss and the weighted ctdet total.
 *
 * <p>Shapes: head outputs are {@code [B, D, H, W]} (or {@code [D, H, W]} for one sample), indices {@code [B, M]}
 * (flat {@code y * W + x}), masks {@code [B, M]}, regression targets {@code [B, M, D]}. Each method says whether it
 * takes logits or probabilities. Results are plain doubles; inputs are read through their buffers once, never element
 * by element through ND4J.
 */
package io.github.keydet.core.loss;
