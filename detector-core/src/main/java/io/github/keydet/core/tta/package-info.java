/**
 * Test-time augmentation: flip test (CenterNet's way: the image and its mirror in one batch, heads averaged
 * after flipping the mirror back, left/right roles swapped where a head has them) and the pieces multi-scale
 * testing needs.
 */
package io.github.keydet.core.tta;
