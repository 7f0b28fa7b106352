package dev.logmerge.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RangeRequestTest {
  private static final long SIZE = 1000;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "bytes=0-9,       0,   9",
    "bytes=100-,      100, 999",
    "bytes=-5,        995, 999",
    "bytes=-5000,     0,   999",
    "bytes=990-5000,  990, 999",
    "bytes=999-999,   999, 999",
    "BYTES=1-2,       1,   2"
  })
  void selectsASingleRangeClippedToTheFile(String header, long first, long last) {
    RangeRequest.Slice slice = (RangeRequest.Slice) RangeRequest.of(header, SIZE);
    assertEquals(new RangeRequest.Slice(first, last), slice);
    assertEquals(last - first + 1, slice.length());
    assertEquals("bytes " + first + "-" + last + "/" + SIZE, slice.contentRange(SIZE));
  }

  @ParameterizedTest
  @ValueSource(strings = {"bytes=1000-", "bytes=1000-2000", "bytes=-0"})
  void findsARangeOutsideTheFileUnsatisfiable(String header) {
    assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of(header, SIZE));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=0-1,5-6",
        "bytes=9-3",
        "items=0-9",
        "bytes=",
        "bytes=-",
        "bytes=a-b",
        "bytes 0-9",
        "bytes=0-99999999999999999999"
      })
  void ignoresMultipleAndMalformedRanges(String header) {
    assertEquals(new RangeRequest.Whole(), RangeRequest.of(header, SIZE));
  }

  @Test
  void sendsTheWholeFileWithoutARangeHeader() {
    assertEquals(new RangeRequest.Whole(), RangeRequest.of(null, SIZE));
  }

  @Test
  void findsNoRangeOfAnEmptyFileSatisfiable() {
    assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=0-", 0));
    assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.of("bytes=-5", 0));
  }
}
