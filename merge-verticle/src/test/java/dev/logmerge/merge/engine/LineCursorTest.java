package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LineCursorTest {
  private final AtomicInteger exhaustedCalls = new AtomicInteger();

  private LineCursor cursor(String content, int readAheadBytes) {
    return cursor(Bytes.of(content), readAheadBytes);
  }

  private LineCursor cursor(byte[] content, int readAheadBytes) {
    return new LineCursor(
        7,
        "2019-08-17_7",
        new ByteArrayInputStream(content),
        readAheadBytes,
        exhaustedCalls::incrementAndGet);
  }

  /** Reads all lines, checking that each is followed by '\n' in the buffer. */
  private static List<String> lines(LineCursor cursor) throws IOException {
    List<String> lines = new ArrayList<>();
    while (cursor.advance()) {
      assertEquals('\n', cursor.buffer()[cursor.lineEnd()]);
      lines.add(
          Bytes.text(Arrays.copyOfRange(cursor.buffer(), cursor.lineStart(), cursor.lineEnd())));
    }
    return lines;
  }

  @Test
  void splitsLinesThatStraddleRefillsOfATinyBuffer() throws IOException {
    String content =
        "\n"
            + "2019-08-17T10:00:00Z first line\n"
            + "2019-08-17T10:00:01Z second\n"
            + "2019-08-17T10:00:02Z third\n";

    assertEquals(
        List.of(
            "",
            "2019-08-17T10:00:00Z first line",
            "2019-08-17T10:00:01Z second",
            "2019-08-17T10:00:02Z third"),
        lines(cursor(content, 1)));
  }

  @Test
  void terminatesALastLineWithoutNewline() throws IOException {
    LineCursor cursor = cursor("a\nb", 16);

    assertEquals(List.of("a", "b"), lines(cursor));
    assertTrue(cursor.isExhausted());
    assertFalse(cursor.advance());
    assertEquals(1, exhaustedCalls.get(), "exhaustion is reported once");
  }

  @Test
  void yieldsNoLineForAnEmptyInputAndOneEmptyLineForANewline() throws IOException {
    assertEquals(List.of(), lines(cursor("", 16)));
    assertEquals(List.of(""), lines(cursor("\n", 16)));
  }

  @Test
  void growsPastTheReadAheadOnlyForLongLines() throws IOException {
    String longLine = "y".repeat(200_000);
    LineCursor cursor = cursor("a\n" + longLine + "\nz\n", 16);

    assertEquals(List.of("a", longLine, "z"), lines(cursor));
    assertTrue(cursor.buffer().length >= longLine.length());
  }

  @Test
  void startsSmallForASmallInput() throws IOException {
    LineCursor cursor = cursor("2019-08-17T10:00:00Z only line\n", 8 << 20);

    assertEquals(1, lines(cursor).size());
    assertTrue(cursor.buffer().length <= 8 * 1024, "buffer: " + cursor.buffer().length);
  }

  @Test
  void detectsAnUnsortedLineEvenAcrossARefill() throws IOException {
    // With a 4-byte read-ahead the smaller line arrives in a later read than the line it follows.
    LineCursor cursor = cursor("2019-08-17 b\n2019-08-17 a\n", 4);

    assertTrue(cursor.advance());
    UnsortedInputException unsorted = assertThrows(UnsortedInputException.class, cursor::advance);
    assertEquals(7, unsorted.inputIndex());
    assertEquals("2019-08-17_7", unsorted.inputName());
    assertTrue(unsorted.getMessage().contains("line 2"), unsorted.getMessage());
  }

  @Test
  void comparesBytesUnsignedAndPrefixesFirstInTheOrderCheck() throws IOException {
    assertEquals(List.of("a", "a\r", "z", "é"), lines(cursor("a\na\r\nz\né\n", 16)));
    assertThrows(UnsortedInputException.class, () -> lines(cursor("é\nz\n", 16)));
    assertThrows(UnsortedInputException.class, () -> lines(cursor("ab\na\n", 16)));
  }

  @Test
  void acceptsEqualAdjacentLines() throws IOException {
    assertEquals(List.of("x", "x", "x"), lines(cursor("x\nx\nx", 2)));
  }
}
