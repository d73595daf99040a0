/**
 * Instance masks derived from decoded keypoints: the ExtremeNet octagon ({@link
 * io.github.keydet.core.mask.Octagon}) as a polygon and as a rasterised binary mask ({@link
 * io.github.keydet.core.mask.BinaryMask}, filled by {@link io.github.keydet.core.mask.PolygonRaster}).
 *
 * <p>Coordinates are whatever the points are in (output-map cells straight from a decoder, or image pixels after
 * the back-transform); a pixel (x, y) covers the square [x, x + 1) x [y, y + 1) of that coordinate system.
 */
package io.github.keydet.core.mask;
