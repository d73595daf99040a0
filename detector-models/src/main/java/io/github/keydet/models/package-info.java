/**
 * Trained models shipped with KeyDet ({@link io.github.keydet.models.BundledModels}): ONNX files with their
 * model spec in the metadata and their licence notices, loadable by name.
 */
package io.github.keydet.models;
