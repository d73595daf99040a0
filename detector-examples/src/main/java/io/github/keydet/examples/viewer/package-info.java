/**
 * {@code keydet view}: a Swing desktop viewer, written as the example of embedding KeyDet in a desktop program.
 * Model classes without Swing ({@link io.github.keydet.examples.viewer.ScoredDetections},
 * {@link io.github.keydet.examples.viewer.MediaSource}, {@link io.github.keydet.examples.viewer.HeatmapOverlay},
 * {@link io.github.keydet.examples.viewer.ViewerModel}) hold what is shown; the window
 * ({@link io.github.keydet.examples.viewer.ViewerWindow}) runs every detection and model load off the event thread.
 * Detections are in image pixels throughout; the view scales them with the image.
 */
package io.github.keydet.examples.viewer;
