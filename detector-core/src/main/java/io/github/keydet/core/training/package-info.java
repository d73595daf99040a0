/**
 * Training-side tools that put a family's pieces together: {@link io.github.keydet.core.training.TargetWriter}
 * encodes a COCO image's annotations with the family's encoder and geometry and writes the targets for
 * inspection ({@code keydet targets}).
 */
package io.github.keydet.core.training;
