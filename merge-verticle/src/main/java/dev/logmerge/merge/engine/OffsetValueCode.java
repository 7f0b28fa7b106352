package dev.logmerge.merge.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Offset-value codes (Conner 1977; Do and Graefe 2023) for lines of bytes. A line {@code x} is
 * coded relative to a line {@code base <= x} by the first column where they differ and {@code x}'s
 * value in that column, packed so that for two lines coded against the same base the smaller code
 * belongs to the smaller line. Equal codes still need a real comparison, but only of the bytes
 * after that column.
 *
 * <p>A column is seven bytes, a long's worth with room for the offset: ties between equal codes
 * cost a byte comparison, and with narrower columns lines that share a timestamp prefix tie far
 * more often (one-byte columns, one digit each, tied on a quarter of all matches; in the throughput
 * check's data five-byte columns tied 0.7 to 1.3 times per line, seven-byte ones 0.3 to 0.4). A
 * column's value holds its bytes (zero-padded when the line ends inside it) and how many there are,
 * so that a line that ends sorts before any longer line. Differences past {@link #CODED_COLUMNS}
 * columns (98 bytes into a line) share one coarse code, which only costs such lines a comparison
 * from there.
 */
final class OffsetValueCode {
  /** The code of a line equal to its base: it beats every other code. */
  static final long EQUAL = 0;

  /** The code of an exhausted cursor: it loses to every line. */
  static final long EXHAUSTED = Long.MAX_VALUE;

  private static final VarHandle LONGS_BIG_ENDIAN =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private static final int COLUMN_BYTES = 7;
  private static final int COUNT_BITS = 3;
  private static final int VALUE_BITS = 8 * COLUMN_BYTES + COUNT_BITS;

  /**
   * As many columns as fit below {@link #EXHAUSTED} with {@link #BEYOND_CODED_COLUMNS} and 0
   * reserved.
   */
  private static final int CODED_COLUMNS = (int) ((Long.MAX_VALUE - 2) >>> VALUE_BITS) - 1;

  /** The code of a line that equals its base for the first {@link #CODED_COLUMNS} columns. */
  private static final long BEYOND_CODED_COLUMNS = 1;

  private OffsetValueCode() {}

  /**
   * The code of {@code line[start, start + length)} relative to a smaller base that it equals
   * before byte {@code firstDifference}.
   */
  static long of(byte[] line, int start, int length, int firstDifference) {
    int column = firstDifference / COLUMN_BYTES;
    if (column >= CODED_COLUMNS) {
      return BEYOND_CODED_COLUMNS;
    }
    int from = column * COLUMN_BYTES;
    int count = Math.min(COLUMN_BYTES, length - from);
    long value;
    if (count == COLUMN_BYTES && start + from + Long.BYTES <= line.length) {
      // a whole column with a byte after it in the array (a merged line's '\n'): one load
      value = (long) LONGS_BIG_ENDIAN.get(line, start + from) >>> 8;
    } else {
      value = 0;
      for (int i = 0; i < COLUMN_BYTES; i++) {
        value = value << 8 | (i < count ? line[start + from + i] & 0xFF : 0);
      }
    }
    return ((long) (CODED_COLUMNS - column) << VALUE_BITS | value << COUNT_BITS | count)
        + BEYOND_CODED_COLUMNS
        + 1;
  }

  /**
   * How many leading bytes two lines with this (same) code are known to share: both equal the base
   * before the column and hold the same bytes in it. When a line ends inside the column, that is
   * the whole of both lines.
   */
  static int sharedPrefixLength(long code) {
    if (code == BEYOND_CODED_COLUMNS) {
      return CODED_COLUMNS * COLUMN_BYTES;
    }
    long packed = code - BEYOND_CODED_COLUMNS - 1;
    int column = CODED_COLUMNS - (int) (packed >>> VALUE_BITS);
    return column * COLUMN_BYTES + (int) (packed & ((1 << COUNT_BITS) - 1));
  }
}
