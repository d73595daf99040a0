/**
 * What a model is: {@link io.github.keydet.core.spec.ModelSpec} (family id, input, preprocessing, stride, head
 * names, labels), read from ONNX {@code metadata_props} or given by the caller. Which heads a family has is the
 * family's own knowledge ({@code core.family}).
 */
package io.github.keydet.core.spec;
