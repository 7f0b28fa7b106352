package dev.logmerge.merge.s3;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The part buffers of one sink: a buffer whose part is stored is kept for a later part of the same
 * size, so a sink allocates about as many buffers as it has parts in flight, however many parts it
 * writes. Buffers are returned from S3's threads and taken by the writer.
 */
final class PartBuffers {
  private final Queue<byte[]> free = new ConcurrentLinkedQueue<>();
  private final int capacity;
  private volatile boolean closed;

  /**
   * @param capacity the most free buffers kept
   */
  PartBuffers(int capacity) {
    this.capacity = capacity;
  }

  /** A buffer of exactly {@code bytes}: a kept one, or a new one. */
  byte[] take(int bytes) {
    byte[] kept;
    while ((kept = free.poll()) != null) {
      if (kept.length == bytes) {
        return kept;
      }
      // parts have grown since: this one will not fit any later part
    }
    return new byte[bytes];
  }

  /** Keeps a buffer whose part is stored, unless enough are kept or the sink has ended. */
  void recycle(byte[] buffer) {
    if (!closed && free.size() < capacity) {
      free.add(buffer);
    }
  }

  /** Drops the kept buffers and keeps none from now on. */
  void close() {
    closed = true;
    free.clear();
  }
}
