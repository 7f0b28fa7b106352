package dev.logmerge.loggen;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte array that lines are composed into directly: no Strings, no formatting, so a line
 * costs a handful of array copies and a few divisions.
 */
final class AsciiBuffer {
  // the largest array size every JVM allows
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  private byte[] bytes;
  private int size;

  AsciiBuffer(int initialCapacity) {
    this.bytes = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  /** The backing array; valid up to {@link #size()} until the next write. */
  byte[] array() {
    return bytes;
  }

  AsciiBuffer put(byte b) {
    ensureRoom(1);
    bytes[size++] = b;
    return this;
  }

  AsciiBuffer put(byte[] src) {
    return put(src, 0, src.length);
  }

  AsciiBuffer put(byte[] src, int from, int length) {
    ensureRoom(length);
    System.arraycopy(src, from, bytes, size, length);
    size += length;
    return this;
  }

  /**
   * Writes a non-negative {@code value} in exactly {@code width} digits, zero-padded on the left.
   */
  AsciiBuffer putZeroPadded(int value, int width) {
    ensureRoom(width);
    for (int i = size + width - 1; i >= size; i--) {
      bytes[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    size += width;
    return this;
  }

  /** Writes a non-negative {@code value} in as many digits as it needs. */
  AsciiBuffer putDecimal(int value) {
    return putZeroPadded(value, digits(value));
  }

  /** Drops everything from {@code newSize} on. */
  void truncate(int newSize) {
    size = newSize;
  }

  /** Writes everything to {@code out}; the buffer is empty afterwards. */
  void drainTo(OutputStream out) throws IOException {
    out.write(bytes, 0, size);
    size = 0;
  }

  private static int digits(int value) {
    int digits = 1;
    while (value >= 10) {
      value /= 10;
      digits++;
    }
    return digits;
  }

  private void ensureRoom(int extra) {
    long needed = (long) size + extra;
    if (needed > bytes.length) {
      if (needed > MAX_CAPACITY) {
        throw new IllegalStateException(
            "a file's lines do not fit in one buffer (more than 2 GiB)");
      }
      bytes =
          Arrays.copyOf(
              bytes, (int) Math.max(needed, Math.min((long) bytes.length * 2, MAX_CAPACITY)));
    }
  }
}
