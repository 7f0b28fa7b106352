package dev.logmerge.merge.engine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Gathers many short lines into large writes to an {@link OutputStream} and counts the bytes.
 * Unlike {@link java.io.BufferedOutputStream} it takes no lock per write, which matters at millions
 * of lines a second.
 */
final class OutputBuffer {
  private final OutputStream out;
  private final byte[] buffer;
  private int position;
  private long bytesWritten;

  OutputBuffer(OutputStream out, int capacity) {
    this.out = out;
    this.buffer = new byte[capacity];
  }

  void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > buffer.length - position) {
      drain();
      if (length >= buffer.length) {
        out.write(bytes, offset, length);
        bytesWritten += length;
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, position, length);
    position += length;
    bytesWritten += length;
  }

  /**
   * Hands the buffered bytes to the stream. Deliberately not {@link OutputStream#flush()}: a sink
   * may treat a flush as a reason to upload a short part.
   */
  void drain() throws IOException {
    if (position > 0) {
      out.write(buffer, 0, position);
      position = 0;
    }
  }

  long bytesWritten() {
    return bytesWritten;
  }
}
