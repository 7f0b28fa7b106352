package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ReadAheadBudgetTest {
  private static final long MIB = 1 << 20;

  @Test
  void theMostStreamedInputsFitIn16MiB() {
    int buffer = ReadAheadBudget.streamBufferBytes(16 * MIB, 512);
    assertEquals(32 * 1024, buffer);
    assertEquals(16 * 1024, ReadAheadBudget.streamBufferBytes(4 * MIB, 512), "the floor");
  }

  @Test
  void fewInputsGetTheLargestBuffer() {
    assertEquals(8 * MIB, ReadAheadBudget.streamBufferBytes(64 * MIB, 1));
    assertEquals(8 * MIB, ReadAheadBudget.streamBufferBytes(64 * MIB, 8));
    assertEquals(4 * MIB, ReadAheadBudget.streamBufferBytes(64 * MIB, 16));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> ReadAheadBudget.streamBufferBytes(0, 1));
    assertThrows(
        IllegalArgumentException.class, () -> ReadAheadBudget.streamBufferBytes(64 * MIB, 0));
  }
}
