package dev.logmerge.merge.engine;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Adds the bytes read from a raw input to {@link MergeProgress}, once per read call rather than per
 * byte.
 */
final class ReadCountingInputStream extends FilterInputStream {
  private final MergeProgress progress;

  ReadCountingInputStream(InputStream in, MergeProgress progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      progress.addRawBytesRead(1);
    }
    return b;
  }

  @Override
  public int read(byte[] bytes, int offset, int length) throws IOException {
    int read = in.read(bytes, offset, length);
    if (read > 0) {
      progress.addRawBytesRead(read);
    }
    return read;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = in.skip(n);
    progress.addRawBytesRead(skipped);
    return skipped;
  }

  /** Re-reading after a reset would count bytes twice. */
  @Override
  public boolean markSupported() {
    return false;
  }
}
