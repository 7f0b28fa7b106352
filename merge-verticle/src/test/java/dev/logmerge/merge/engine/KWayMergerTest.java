package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KWayMergerTest {
  @Test
  void mergesTwoThousandInterleavedInputs() throws IOException {
    Random random = new Random(2000);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      long millis = random.nextInt(1000);
      for (int line = random.nextInt(30); line > 0; line--) {
        millis += 1 + random.nextInt(300);
        text.append(String.format("2019-08-17T10:%08d host-%d%n", millis, random.nextInt(3)));
      }
      inputs.add(Bytes.of(text.toString()));
    }

    assertMerges(inputs, 64);
  }

  @Test
  void mergesInputsThatCoverDifferentHoursAsRuns() throws IOException {
    List<byte[]> inputs = new ArrayList<>();
    for (int hour = 23; hour >= 0; hour--) {
      StringBuilder text = new StringBuilder();
      for (int second = 0; second < 3600; second += 7) {
        text.append(
            String.format("2019-08-17T%02d:%02d:%02d run%n", hour, second / 60, second % 60));
      }
      inputs.add(Bytes.of(text.toString()));
    }
    // One input sharing lines with two runs, to interrupt them.
    inputs.add(
        Bytes.of("2019-08-17T05:00:00 run\n2019-08-17T05:00:07 run\n2019-08-17T17:30:00 x\n"));

    assertMerges(inputs, 256);
  }

  @Test
  void mergesLinesThatShareLongPrefixes() throws IOException {
    // Past the coded columns (98 bytes) lines are told apart by byte comparison only.
    Random random = new Random(98);
    String prefix = "2019-08-17T10:00:00.000Z host-1 app[1]: " + "same ".repeat(20);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      List<String> lines = new ArrayList<>();
      for (int line = 0; line < 40; line++) {
        lines.add(
            prefix.substring(0, 90 + random.nextInt(prefix.length() - 90)) + random.nextInt(1000));
      }
      lines.sort(null);
      inputs.add(Bytes.of(String.join("\n", lines) + "\n"));
    }

    assertMerges(inputs, 64);
  }

  @Test
  void mergesASingleInputAndManyDuplicates() throws IOException {
    assertMerges(List.of(Bytes.of("a\nb\nb\nc\n")), 16);
    assertMerges(
        List.of(Bytes.of("x\nx\n"), Bytes.of("x\n"), Bytes.of(""), Bytes.of("x\nx\nx")), 16);
  }

  @Test
  void reportsLinesAndBytesWrittenAndPublishesLines() throws IOException {
    MergeProgress progress = new MergeProgress();
    List<LineCursor> cursors = cursors(List.of(Bytes.of("a\nc"), Bytes.of("b\n")), 16);

    KWayMerger.Result result =
        new KWayMerger(cursors, progress).mergeInto(new ByteArrayOutputStream());

    assertEquals(new KWayMerger.Result(3, 6), result);
    assertEquals(3, progress.snapshot().linesWritten());
  }

  private static void assertMerges(List<byte[]> inputs, int readAheadBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new KWayMerger(cursors(inputs, readAheadBytes), new MergeProgress()).mergeInto(out);
    assertArrayEquals(
        Bytes.expectedMerge(inputs),
        out.toByteArray(),
        () -> Bytes.firstDifference(Bytes.expectedMerge(inputs), out.toByteArray()));
  }

  private static List<LineCursor> cursors(List<byte[]> inputs, int readAheadBytes) {
    List<LineCursor> cursors = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      cursors.add(
          new LineCursor(
              i, "input-" + i, new ByteArrayInputStream(inputs.get(i)), readAheadBytes, () -> {}));
    }
    return cursors;
  }
}
