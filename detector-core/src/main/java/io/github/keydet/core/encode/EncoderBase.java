package io.github.keydet.core.encode;

/**
 * What every target encoder holds from its {@link EncoderBuilder}: the geometry, C, M object slots and the radius
 * rule with its minimum overlap. The family encoders extend it and add their own settings. Immutable.
 */
abstract class EncoderBase implements TargetEncoder {
  final TargetGeometry geometry;
  final int numClasses;
  final int maxObjects;
  final RadiusRule rule;
  final double minOverlap;

  EncoderBase(EncoderBuilder<?> b) {
    geometry = b.geometry;
    numClasses = b.numClasses;
    maxObjects = b.maxObjects;
    rule = b.rule;
    minOverlap = b.minOverlap;
  }

  @Override
  public final TargetGeometry geometry() {
    return geometry;
  }
}
