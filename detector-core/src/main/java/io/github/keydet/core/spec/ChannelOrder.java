package io.github.keydet.core.spec;

/** Colour channel order a network expects. */
public enum ChannelOrder {
  RGB,
  BGR
}
