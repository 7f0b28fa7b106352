package dev.logmerge.merge.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds line terminators in byte buffers, eight bytes per step. */
public final class Newlines {
  private static final VarHandle LONGS_LITTLE_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Newlines() {}

  /**
   * Index of the first {@code '\n'} in {@code bytes[from, to)}, or -1. Scanning is the one per-byte
   * cost of the merge, so it tests whole words for a zero byte (after XOR with newlines), two words
   * per branch while at least 16 bytes are left; the lowest flagged byte of a word is always exact,
   * so no false positive can be returned.
   */
  public static int indexOf(byte[] bytes, int from, int to) {
    int i = from;
    for (int pairEnd = to - 2 * Long.BYTES; i <= pairEnd; i += 2 * Long.BYTES) {
      long first = newlineBytes(bytes, i);
      long second = newlineBytes(bytes, i + Long.BYTES);
      if ((first | second) != 0) {
        return first != 0 ? i + firstFlagged(first) : i + Long.BYTES + firstFlagged(second);
      }
    }
    for (int wordEnd = to - Long.BYTES; i <= wordEnd; i += Long.BYTES) {
      long flagged = newlineBytes(bytes, i);
      if (flagged != 0) {
        return i + firstFlagged(flagged);
      }
    }
    for (; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * The high bit of each byte of the word at {@code i} that may be a newline, exact for the lowest.
   */
  private static long newlineBytes(byte[] bytes, int i) {
    long word = (long) LONGS_LITTLE_ENDIAN.get(bytes, i) ^ NEWLINES;
    return (word - LOW_BITS) & ~word & HIGH_BITS;
  }

  private static int firstFlagged(long flagged) {
    return Long.numberOfTrailingZeros(flagged) >>> 3;
  }
}
