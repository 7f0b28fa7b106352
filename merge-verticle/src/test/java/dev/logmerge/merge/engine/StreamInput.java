package dev.logmerge.merge.engine;

import java.io.InputStream;
import java.util.function.Supplier;

/** A plain input of unknown size; each {@link #open()} is a fresh stream from the opener. */
record StreamInput(String name, Supplier<InputStream> opener) implements MergeInput {
  @Override
  public long size() {
    return -1;
  }

  @Override
  public Compression compression() {
    return Compression.NONE;
  }

  @Override
  public InputStream open() {
    return opener.get();
  }
}
