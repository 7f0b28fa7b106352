package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PartSizingTest {
  private static final int MIN = MultipartSinkSettings.DEFAULT_MIN_PART_BYTES;

  @Test
  void partsSpreadTheExpectedSizeOver9000Parts() {
    assertEquals(MIN, PartSizing.forExpectedSize(MIN, 0).firstPartBytes());
    assertEquals(MIN, PartSizing.forExpectedSize(MIN, 9000L * MIN - 1).firstPartBytes());
    long terabyte = 1L << 40;
    assertTrue(9000L * PartSizing.forExpectedSize(MIN, terabyte).firstPartBytes() >= terabyte);
  }

  @Test
  void partsDoubleEvery1000SoAnUnexpectedlyLargeResultStillFits() {
    PartSizing sizing = PartSizing.forExpectedSize(MIN, 0);
    assertEquals(MIN, sizing.bytesOfPart(1));
    assertEquals(MIN, sizing.bytesOfPart(1000));
    assertEquals(2 * MIN, sizing.bytesOfPart(1001));
    assertEquals(4 * MIN, sizing.bytesOfPart(2001));
    assertEquals(PartSizing.MAX_PART_BYTES, sizing.bytesOfPart(PartSizing.MAX_PARTS));
    long capacity = 0;
    for (int part = 1; part <= PartSizing.MAX_PARTS; part++) {
      capacity += sizing.bytesOfPart(part);
    }
    assertTrue(capacity > (3L << 40), "a result of unknown size may reach 3 TiB: " + capacity);
  }
}
