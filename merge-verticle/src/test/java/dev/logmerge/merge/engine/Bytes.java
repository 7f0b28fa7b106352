package dev.logmerge.merge.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test oracle and byte helpers, independent of the engine's code. */
final class Bytes {
  private Bytes() {}

  static byte[] of(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /**
   * What {@code LC_ALL=C sort} prints for the concatenation of {@code inputs}, each line terminated
   * by a newline: split every input at '\n' (a last line without one still counts), sort unsigned,
   * join.
   */
  static byte[] expectedMerge(List<byte[]> inputs) {
    List<byte[]> lines = new ArrayList<>();
    for (byte[] input : inputs) {
      lines.addAll(linesOf(input));
    }
    lines.sort(Arrays::compareUnsigned);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] line : lines) {
      out.writeBytes(line);
      out.write('\n');
    }
    return out.toByteArray();
  }

  static List<byte[]> linesOf(byte[] input) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < input.length; i++) {
      if (input[i] == '\n') {
        lines.add(Arrays.copyOfRange(input, start, i));
        start = i + 1;
      }
    }
    if (start < input.length) {
      lines.add(Arrays.copyOfRange(input, start, input.length));
    }
    return lines;
  }

  /** Describes where two byte arrays first differ, for failure messages that stay short. */
  static String firstDifference(byte[] expected, byte[] actual) {
    int mismatch = Arrays.mismatch(expected, actual);
    if (mismatch < 0) {
      return "identical";
    }
    int from = Math.max(0, mismatch - 40);
    return "lengths "
        + expected.length
        + " vs "
        + actual.length
        + ", first difference at byte "
        + mismatch
        + ": expected …"
        + excerpt(expected, from)
        + "… but was …"
        + excerpt(actual, from)
        + "…";
  }

  private static String excerpt(byte[] bytes, int from) {
    int to = Math.min(bytes.length, from + 80);
    return from >= to ? "" : text(Arrays.copyOfRange(bytes, from, to)).replace("\n", "\\n");
  }
}
