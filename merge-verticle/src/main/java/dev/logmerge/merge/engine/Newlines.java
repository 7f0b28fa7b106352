package dev.logmerge.merge.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds line terminators in byte buffers, eight bytes per step. */
final class Newlines {
  private static final VarHandle LONGS_LITTLE_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Newlines() {}

  /**
   * Index of the first {@code '\n'} in {@code bytes[from, to)}, or -1. Scanning is the one per-byte
   * cost of the merge, so it tests a whole word for a zero byte (after XOR with newlines) at once;
   * the lowest flagged byte of a word is always exact, so no false positive can be returned.
   */
  static int indexOf(byte[] bytes, int from, int to) {
    int i = from;
    for (int wordEnd = to - Long.BYTES; i <= wordEnd; i += Long.BYTES) {
      long word = (long) LONGS_LITTLE_ENDIAN.get(bytes, i) ^ NEWLINES;
      long zeroBytes = (word - LOW_BITS) & ~word & HIGH_BITS;
      if (zeroBytes != 0) {
        return i + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
