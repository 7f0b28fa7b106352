package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NewlinesTest {
  @Test
  void findsTheFirstNewlineAtEveryAlignmentAndNeverOneOutsideTheRange() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(80)]; // one to four steps of 16 bytes, and tails
      for (int j = 0; j < bytes.length; j++) {
        // Bytes next to '\n' (0x09, 0x0B) and 0x8A are where a word-at-a-time search could go
        // wrong.
        byte[] likely = {'\n', 0x09, 0x0B, (byte) 0x8A, 0, (byte) 0xFF, 'a'};
        bytes[j] = likely[random.nextInt(likely.length)];
      }
      int from = random.nextInt(bytes.length + 1);
      int to = from + random.nextInt(bytes.length - from + 1);
      assertEquals(naiveIndexOf(bytes, from, to), Newlines.indexOf(bytes, from, to), "case " + i);
    }
  }

  private static int naiveIndexOf(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
