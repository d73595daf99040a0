package io.github.keydet.core.decode;

/**
 * The raw 3D outputs of a CenterNet {@code ddd} model gathered at one center, before calibration.
 *
 * @param depth decoded depth {@code 1 / sigmoid(dep) - 1} (metres)
 * @param height object height (m), {@code dim} channel 0
 * @param width object width (m), {@code dim} channel 1
 * @param length object length (m), {@code dim} channel 2
 * @param alpha observation angle decoded from the 8 rotation-bin channels (radians)
 * @param rot the 8 raw rotation channels (owned by this record; do not modify)
 */
public record Object3dValues(float depth, float height, float width, float length, float alpha, float[] rot) {}
