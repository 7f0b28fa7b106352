package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReadAheadBudgetTest {
  private static final long MIB = 1 << 20;

  @Test
  void twoThousandInputsFitIn64MiB() {
    int window = ReadAheadBudget.windowBytes(64 * MIB, 2000);
    assertEquals(16_777, window);
    assertTrue(2L * 2000 * window <= 64 * MIB);
  }

  @Test
  void theMostStreamedInputsFitIn16MiB() {
    int buffer = ReadAheadBudget.streamBufferBytes(16 * MIB, 512);
    assertEquals(32 * 1024, buffer);
    assertEquals(16 * 1024, ReadAheadBudget.streamBufferBytes(4 * MIB, 512), "the floor");
  }

  @Test
  void fewInputsGetTheLargestWindow() {
    assertEquals(8 * MIB, ReadAheadBudget.windowBytes(64 * MIB, 1));
    assertEquals(8 * MIB, ReadAheadBudget.windowBytes(64 * MIB, 2));
    assertEquals(64 * MIB / 10, ReadAheadBudget.windowBytes(64 * MIB, 5));
  }

  @Test
  void manyInputsNeverGetLessThanTheSmallestWindow() {
    assertEquals(8 * 1024, ReadAheadBudget.windowBytes(64 * MIB, 100_000));
    assertEquals(8 * 1024, ReadAheadBudget.windowBytes(1, 1));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> ReadAheadBudget.windowBytes(0, 1));
    assertThrows(IllegalArgumentException.class, () -> ReadAheadBudget.windowBytes(64 * MIB, 0));
  }
}
