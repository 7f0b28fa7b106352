package dev.logmerge.merge.s3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A blocking {@link InputStream} over the chunks of an S3 object that a {@link Source} fetches
 * ({@link StreamedGet}). Not thread-safe: one merge thread reads. A failure is final: every later
 * read throws it again.
 */
final class ChunkInputStream extends InputStream {
  /** Fetches an object's bytes chunk by chunk, ahead of the reader. */
  interface Source {
    /**
     * The next chunk, waiting for it if needed; null after the last one. Fails with an {@link
     * S3IoException}, or an {@link java.io.InterruptedIOException} when the thread is interrupted
     * (with the interrupt flag kept).
     */
    ByteBuffer next() throws IOException;

    /** Stops fetching and drops what is held; the source is not used again. */
    void close();
  }

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final String inputName;
  private final Source source;
  private ByteBuffer current = EMPTY;
  private IOException failure;
  private boolean closed;
  private boolean ended;

  ChunkInputStream(String inputName, Source source) {
    this.inputName = inputName;
    this.source = source;
  }

  @Override
  public int read() throws IOException {
    return hasUnreadBytes() ? current.get() & 0xff : -1;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    Objects.checkFromIndexSize(offset, length, buffer.length);
    if (length == 0) {
      return 0;
    }
    if (!hasUnreadBytes()) {
      return -1;
    }
    int n = Math.min(length, current.remaining());
    current.get(buffer, offset, n);
    return n;
  }

  @Override
  public int available() {
    return closed || failure != null ? 0 : current.remaining();
  }

  /** Stops the fetching and drops what is held. */
  @Override
  public void close() {
    closed = true;
    current = EMPTY;
    source.close();
  }

  /** Whether an unread byte is at {@link #current}'s position, after waiting for one if needed. */
  private boolean hasUnreadBytes() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (closed) {
      throw new IOException("the stream of input " + inputName + " is closed");
    }
    while (!current.hasRemaining()) {
      if (ended) {
        return false;
      }
      current = EMPTY; // consumed: let it go before waiting for the next one
      ByteBuffer next;
      try {
        next = source.next();
      } catch (IOException e) {
        failure = e;
        source.close();
        throw e;
      }
      if (next == null) {
        ended = true;
        source.close();
        return false;
      }
      current = next;
    }
    return true;
  }
}
