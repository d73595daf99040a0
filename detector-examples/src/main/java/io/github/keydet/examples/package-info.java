/**
 * Examples of KeyDet use and the CLI; the bundled models are in {@code detector-models} ({@code io.github.keydet.models.BundledModels}).
 */
package io.github.keydet.examples;
