package dev.logmerge.merge.stats;

import java.io.ByteArrayInputStream;

/** Bytes handed out at most {@code chunk} at a time, as a network stream may. */
final class ChunkedInputStream extends ByteArrayInputStream {
  private final int chunk;

  ChunkedInputStream(byte[] bytes, int chunk) {
    super(bytes);
    this.chunk = chunk;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) {
    return super.read(b, off, Math.min(len, chunk));
  }
}
