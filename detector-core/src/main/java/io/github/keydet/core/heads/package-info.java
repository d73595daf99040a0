/**
 * The vocabulary every stage shares about network outputs: {@link io.github.keydet.core.heads.HeadView} (a
 * zero-copy view of one rank-4 head, {@code [N, C, H, W]} or {@code [N, H, W, C]}), {@link
 * io.github.keydet.core.heads.Heads} (the heads of one run by canonical name), {@link
 * io.github.keydet.core.heads.Layout} and {@link io.github.keydet.core.heads.Activation} (whether a heat map
 * holds logits or probabilities). Depends on nothing else in core, so decoders, preprocessing, the model spec
 * and the test-time pipeline can all use it without depending on each other.
 */
package io.github.keydet.core.heads;
