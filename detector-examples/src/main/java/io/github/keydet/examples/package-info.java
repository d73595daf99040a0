/**
 * Examples of KeyDet use and the bundled default model ({@link io.github.keydet.examples.DefaultModel}).
 */
package io.github.keydet.examples;
