package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalSorterTest {
  @TempDir Path spillDirectory;

  @Test
  void writesSortedRunsWithinTheMemoryBudgetThatMergeToTheSortedInput() throws IOException {
    byte[] input = shuffledLines(new Random(1), 5_000);
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 16 * 1024, 1024);

    try (SortedRuns runs = sorter.sort(0, "shuffled", new ByteArrayInputStream(input))) {
      assertTrue(runs.runs().size() > 1, "runs: " + runs.runs().size());
      for (MergeInput run : runs.runs()) {
        byte[] content = read(run);
        assertArrayEquals(
            Bytes.expectedMerge(List.of(content)), content, run.name() + " is sorted");
        assertTrue(content.length <= 16 * 1024, run.name() + " fits the budget: " + content.length);
        assertEquals(content.length, run.size());
      }
      assertArrayEquals(Bytes.expectedMerge(List.of(input)), mergeRuns(runs));
    }
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void mergesRunsFirstWhenThereAreMoreThanTheBudgetCanReadAtOnce() throws IOException {
    byte[] input = shuffledLines(new Random(2), 20_000);
    // 16 KiB per run and 4 KiB read buffers: at most 4 runs may be merged at once.
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 16 * 1024, 4 * 1024);

    try (SortedRuns runs = sorter.sort(0, "shuffled", new ByteArrayInputStream(input))) {
      assertTrue(runs.runs().size() <= 4, "runs: " + runs.runs().size());
      assertArrayEquals(Bytes.expectedMerge(List.of(input)), mergeRuns(runs));
      assertEquals(
          runs.runs().size(),
          Directories.filesIn(spillDirectory).size(),
          "merged runs are deleted");
    }
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void sortsLinesLongerThanTheBudgetAndALastLineWithoutNewline() throws IOException {
    String longLine = "m".repeat(100_000);
    byte[] input = Bytes.of("z\n" + longLine + "\n\na\nb");
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 1024, 64);

    try (SortedRuns runs = sorter.sort(0, "long", new ByteArrayInputStream(input))) {
      assertEquals("\na\nb\n" + longLine + "\nz\n", Bytes.text(mergeRuns(runs)));
    }
  }

  @Test
  void returnsNoRunsForAnEmptyInput() throws IOException {
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 1024, 64);

    try (SortedRuns runs = sorter.sort(0, "empty", InputStream.nullInputStream())) {
      assertEquals(List.of(), runs.runs());
    }
  }

  @Test
  void deletesItsRunsWhenReadingFails() throws IOException {
    byte[] input = shuffledLines(new Random(3), 5_000);
    InputStream failing =
        new InputStream() {
          private final InputStream content = new ByteArrayInputStream(input, 0, input.length / 2);

          @Override
          public int read() throws IOException {
            int b = content.read();
            if (b < 0) {
              throw new IOException("connection reset");
            }
            return b;
          }
        };
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 4 * 1024, 64);

    assertThrows(IOException.class, () -> sorter.sort(0, "failing", failing));
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void stopsWhenInterruptedAndDeletesItsRuns() throws IOException {
    byte[] input = shuffledLines(new Random(4), 5_000);
    ExternalSorter sorter = new ExternalSorter(spillDirectory, 4 * 1024, 64);

    Thread.currentThread().interrupt();
    try {
      assertThrows(
          InterruptedIOException.class,
          () -> sorter.sort(0, "interrupted", new ByteArrayInputStream(input)));
    } finally {
      Thread.interrupted();
    }
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  private byte[] mergeRuns(SortedRuns runs) throws IOException {
    List<LineCursor> cursors = new ArrayList<>();
    for (MergeInput run : runs.runs()) {
      cursors.add(new LineCursor(0, run.name(), run.open(), 64, () -> {}));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new KWayMerger(cursors, new MergeProgress()).mergeInto(out);
    Closeables.closeAll(cursors);
    return out.toByteArray();
  }

  private static byte[] read(MergeInput run) throws IOException {
    try (InputStream in = run.open()) {
      return in.readAllBytes();
    }
  }

  private static byte[] shuffledLines(Random random, int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < count; i++) {
      out.writeBytes(
          Bytes.of(
              String.format(
                  "2019-08-17T10:%02d:%02d.%03d host-%d%n",
                  random.nextInt(60),
                  random.nextInt(60),
                  random.nextInt(1000),
                  random.nextInt(5))));
    }
    return out.toByteArray();
  }
}
