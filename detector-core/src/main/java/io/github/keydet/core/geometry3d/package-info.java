/**
 * Camera geometry for monocular 3D detection (CenterNet {@code ddd}, KITTI conventions): a 3x4 projection
 * matrix, and the lifting of a decoded center, depth, dimensions and observation angle to rotation_y, the 3D
 * location and the 8 box corners projected into the image. Camera coordinates: x right, y down, z forward,
 * metres; image coordinates: pixels of the image the calibration belongs to.
 */
package io.github.keydet.core.geometry3d;
