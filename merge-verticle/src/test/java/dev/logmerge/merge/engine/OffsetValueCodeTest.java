package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OffsetValueCodeTest {
  @Test
  void ordersLinesCodedAgainstTheSameBaseLikeUnsignedComparison() {
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      // Every other base is long, so lines also differ past the coded columns.
      byte[] base = i % 2 == 0 ? randomLine(random) : longLine(random);
      byte[] x = atLeast(base, random);
      byte[] y = atLeast(base, random);
      long xCode = code(x, base);
      long yCode = code(y, base);
      int order = Arrays.compareUnsigned(x, y);
      String context = "seed 42 case " + i;
      if (xCode != yCode) {
        assertEquals(Long.signum(xCode - yCode), Integer.signum(order), context);
      } else if (xCode != OffsetValueCode.EQUAL) {
        int shared = OffsetValueCode.sharedPrefixLength(xCode);
        assertTrue(shared <= x.length && shared <= y.length, context);
        assertEquals(-1, Arrays.mismatch(x, 0, shared, y, 0, shared), context);
      } else {
        assertEquals(0, order, context);
      }
    }
  }

  @Test
  void codesALineTheSameWhetherOrNotBytesFollowItInTheArray() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      byte[] line = i % 2 == 0 ? randomLine(random) : longLine(random);
      if (line.length == 0) {
        continue; // no byte to differ at
      }
      byte[] followed = Arrays.copyOf(line, line.length + 1 + random.nextInt(8));
      followed[line.length] = '\n';
      int offset = random.nextInt(4);
      byte[] shifted = new byte[offset + followed.length];
      System.arraycopy(followed, 0, shifted, offset, followed.length);
      int firstDifference = random.nextInt(line.length);
      String context = "seed 7 case " + i;
      long alone = OffsetValueCode.of(line, 0, line.length, firstDifference);
      assertEquals(alone, OffsetValueCode.of(followed, 0, line.length, firstDifference), context);
      assertEquals(
          alone, OffsetValueCode.of(shifted, offset, line.length, firstDifference), context);
    }
  }

  private static long code(byte[] line, byte[] base) {
    int mismatch = Arrays.mismatch(line, base);
    return mismatch < 0
        ? OffsetValueCode.EQUAL
        : OffsetValueCode.of(line, 0, line.length, mismatch);
  }

  /** A line that shares a random prefix with {@code base} and is not smaller than it. */
  private static byte[] atLeast(byte[] base, Random random) {
    while (true) {
      byte[] prefix = Arrays.copyOf(base, random.nextInt(base.length + 1));
      byte[] tail = randomLine(random);
      byte[] line = Arrays.copyOf(prefix, prefix.length + tail.length);
      System.arraycopy(tail, 0, line, prefix.length, tail.length);
      if (Arrays.compareUnsigned(line, base) >= 0) {
        return line;
      }
    }
  }

  private static byte[] longLine(Random random) {
    byte[] line = new byte[90 + random.nextInt(30)];
    Arrays.fill(line, (byte) 'x');
    byte[] tail = randomLine(random);
    System.arraycopy(tail, 0, line, line.length - tail.length, tail.length);
    return line;
  }

  /**
   * Short lines over a small alphabet with 0x00 and 0xFF, so prefixes, ties and padding all occur.
   */
  private static byte[] randomLine(Random random) {
    byte[] alphabet = {0, 1, '0', '1', 'a', (byte) 0x7F, (byte) 0x80, (byte) 0xFF};
    byte[] line = new byte[random.nextInt(14)];
    for (int i = 0; i < line.length; i++) {
      line[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return line;
  }
}
