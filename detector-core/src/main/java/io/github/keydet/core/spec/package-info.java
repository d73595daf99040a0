/**
 * What a model is: {@link io.github.keydet.core.spec.ModelSpec} (family, input, preprocessing, stride, heads,
 * labels), read from ONNX {@code metadata_props} or given by the caller, and
 * {@link io.github.keydet.core.spec.HeadTable}, the one declarative table from family to heads.
 */
package io.github.keydet.core.spec;
