package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.JobResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MultiPassMergeTest {
  @TempDir Path spillDirectory;

  private final InMemorySinks sinks = new InMemorySinks();
  private final MergeProgress progress = new MergeProgress();

  private MultiPassMerge passes(int fanIn) {
    return passes(fanIn, fanIn);
  }

  private MultiPassMerge passes(int fanIn, int groupSize) {
    return new MultiPassMerge(
        new MergeEngine.Settings(
            64, spillDirectory, MergeEngine.Settings.MIN_SORT_MEMORY_PER_RUN_BYTES),
        fanIn,
        groupSize,
        4096);
  }

  /**
   * Seven inputs of one hour, so every group's lines interleave with every other's, with lines
   * equal across groups, a gzip input and an unsorted one. Fan-in 2 takes three passes (7 inputs, 4
   * runs, 2 runs), 3 two (3 runs), 3 with groups of 2 three (4 runs, 2 runs), 4 with groups of 2
   * two, 7 and more one.
   */
  @ParameterizedTest
  @CsvSource({"2, 2", "3, 3", "3, 2", "4, 2", "6, 3", "7, 2", "8, 8"})
  void mergesInAnyNumberOfPassesLikeSortOfTheConcatenation(int fanIn, int groupSize)
      throws IOException {
    List<byte[]> contents = new ArrayList<>();
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      byte[] content = sortedLines(i, 200);
      contents.add(content);
      if (i == 2) {
        inputs.add(InMemoryInput.gzip("input-2.gz", content, 2));
      } else if (i == 5) {
        byte[] shuffled = shuffled(content, new Random(5));
        contents.set(i, shuffled);
        inputs.add(InMemoryInput.plain("input-5", shuffled));
      } else {
        inputs.add(InMemoryInput.plain("input-" + i, content));
      }
    }

    MergeOutcome outcome = passes(fanIn, groupSize).merge(inputs, group -> group, sinks, progress);

    byte[] expected = Bytes.expectedMerge(contents);
    byte[] actual = sinks.committed().content();
    assertArrayEquals(expected, actual, () -> Bytes.firstDifference(expected, actual));
    assertEquals(7 * 200, outcome.linesWritten());
    assertEquals(expected.length, outcome.bytesWritten());
    assertEquals(List.of("input-5"), outcome.unsortedInputs());
    long rawBytes = inputs.stream().mapToLong(InMemoryInput::size).sum();
    assertEquals(
        new MergeProgress.Snapshot(rawBytes, 7, 7 * 200),
        progress.snapshot(),
        "the inputs are counted once, as the first pass reads them; the runs' re-reads are not");
    assertTrue(inputs.stream().allMatch(InMemoryInput::allStreamsClosed));
    assertEquals(List.of(), Directories.filesIn(spillDirectory), "runs are deleted");
  }

  @Test
  void readsEachGroupOfConsecutiveInputsOfTheFirstPassAsOneJob() throws IOException {
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      inputs.add(InMemoryInput.plain("input-" + i, sortedLines(i, 10)));
    }
    List<List<String>> groups = new ArrayList<>();

    passes(4, 3)
        .merge(
            inputs,
            group -> {
              groups.add(group.stream().map(InMemoryInput::name).toList());
              return group;
            },
            sinks,
            progress);

    assertEquals(
        List.of(
            List.of("input-0", "input-1", "input-2"),
            List.of("input-3", "input-4", "input-5"),
            List.of("input-6")),
        groups);
  }

  /**
   * Every input holds the same lines: ties everywhere, within and across groups. Equal lines are
   * equal bytes, so the result shows no order among them; what must hold is the oracle's bytes,
   * whatever the grouping.
   */
  @Test
  void mergesLinesEqualAcrossGroups() throws IOException {
    List<byte[]> contents = new ArrayList<>();
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      byte[] content = Bytes.of("2019-08-17T10:00:00Z a\n2019-08-17T10:00:00Z b\n");
      contents.add(content);
      inputs.add(InMemoryInput.plain("input-" + i, content));
    }

    passes(2).merge(inputs, group -> group, sinks, progress);

    assertArrayEquals(Bytes.expectedMerge(contents), sinks.committed().content());
  }

  @Test
  void mergesRandomInputsWithRandomFanInsLikeTheOracle() throws IOException {
    Random random = new Random(20_261_204L);
    for (int run = 0; run < 150; run++) {
      int count = 1 + random.nextInt(30);
      int fanIn = 2 + random.nextInt(5);
      int groupSize = 2 + random.nextInt(fanIn - 1);
      List<byte[]> contents = new ArrayList<>();
      List<InMemoryInput> inputs = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        List<String> lines = new ArrayList<>();
        for (int n = random.nextInt(20); n > 0; n--) {
          // a small alphabet: equal lines within and across inputs are common
          lines.add("10:0" + random.nextInt(4) + " " + (char) ('a' + random.nextInt(3)));
        }
        boolean unsorted = random.nextInt(8) == 0;
        if (!unsorted) {
          Collections.sort(lines);
        }
        byte[] content = Bytes.of(String.join("\n", lines) + (random.nextBoolean() ? "\n" : ""));
        contents.add(content);
        inputs.add(
            random.nextInt(6) == 0
                ? InMemoryInput.gzip("input-" + i + ".gz", content, 1 + random.nextInt(2))
                : InMemoryInput.plain("input-" + i, content));
      }
      InMemorySinks runSinks = new InMemorySinks();
      MergeProgress runProgress = new MergeProgress();

      passes(fanIn, groupSize).merge(inputs, group -> group, runSinks, runProgress);

      String context =
          "run " + run + ": " + count + " inputs, fan-in " + fanIn + ", groups of " + groupSize;
      byte[] expected = Bytes.expectedMerge(contents);
      byte[] actual = runSinks.committed().content();
      assertArrayEquals(
          expected, actual, () -> context + ": " + Bytes.firstDifference(expected, actual));
      assertEquals(
          inputs.stream().mapToLong(InMemoryInput::size).sum(),
          runProgress.snapshot().rawBytesRead(),
          context);
      assertEquals(count, runProgress.snapshot().inputsFinished(), context);
      assertEquals(List.of(), Directories.filesIn(spillDirectory), context);
    }
  }

  @Test
  void deletesItsRunsWhenAnInputOfALaterGroupFails() throws IOException {
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      inputs.add(InMemoryInput.plain("input-" + i, sortedLines(i, 100)));
    }
    inputs.add(InMemoryInput.failingAfter("input-6", sortedLines(6, 100), 500));

    IOException failure =
        assertThrows(
            IOException.class, () -> passes(2).merge(inputs, group -> group, sinks, progress));

    assertTrue(failure.getMessage().contains("input-6"), failure.getMessage());
    assertEquals(List.of(), sinks.opened(), "the result's sink is opened by the last pass only");
    assertTrue(inputs.stream().allMatch(InMemoryInput::allStreamsClosed));
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void deletesItsRunsAndAbortsTheResultWhenTheLastPassFails() throws IOException {
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      inputs.add(InMemoryInput.plain("input-" + i, sortedLines(i, 100)));
    }
    AtomicBoolean aborted = new AtomicBoolean();
    ResultSinkFactory failingSink =
        () ->
            new ResultSink() {
              @Override
              public void write(int b) throws IOException {
                throw new IOException("upload failed");
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException("upload failed");
              }

              @Override
              public JobResult commit() {
                throw new AssertionError("a failed sink is not committed");
              }

              @Override
              public void abort() {
                aborted.set(true);
              }

              @Override
              protected boolean committed() {
                return false;
              }
            };

    assertThrows(
        IOException.class, () -> passes(2).merge(inputs, group -> group, failingSink, progress));

    assertTrue(aborted.get());
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void deletesItsRunsWhenInterruptedWhileReadingALaterGroup() throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    List<MergeInput> inputs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inputs.add(InMemoryInput.plain("input-" + i, sortedLines(i, 100)));
    }
    inputs.add(new StreamInput("input-4", () -> new StalledStream(blocked)));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<?> merge =
          executor.submit(
              () -> {
                try {
                  passes(2).merge(inputs, group -> group, sinks, progress);
                } catch (Throwable e) {
                  thrown.set(e);
                }
              });
      assertTrue(blocked.await(30, TimeUnit.SECONDS), "the last group is being read");
      assertEquals(
          3,
          Directories.filesIn(spillDirectory).size(),
          "two groups' runs on disk, and the third's being written");

      merge.cancel(true);
      executor.shutdown();
      assertTrue(executor.awaitTermination(30, TimeUnit.SECONDS), "the merge stops");
    } finally {
      executor.shutdownNow();
    }
    assertTrue(thrown.get() instanceof InterruptedIOException, "thrown: " + thrown.get());
    assertEquals(List.of(), sinks.opened());
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void failsBeforeReadingWhenTheSpillDiskCannotHoldTheInputs() {
    InMemoryInput small = InMemoryInput.plain("small", sortedLines(0, 10));
    MergeInput huge = new SizedInput("huge", Long.MAX_VALUE / 4);

    IOException failure =
        assertThrows(
            IOException.class,
            () -> passes(2).merge(List.of(small, small, huge), group -> group, sinks, progress));

    assertTrue(failure.getMessage().contains("SPILL_DIR"), failure.getMessage());
    assertEquals(0, small.timesOpened());
  }

  @Test
  void mergesAJobOfUpToTheFanInInOnePass() {
    MultiPassMerge passes = passes(3, 2);

    assertFalse(passes.needsPasses(3));
    assertTrue(passes.needsPasses(4));
  }

  @Test
  void rejectsGroupsLargerThanTheFanIn() {
    assertThrows(IllegalArgumentException.class, () -> passes(3, 4));
    assertThrows(IllegalArgumentException.class, () -> passes(3, 1));
  }

  private static byte[] sortedLines(int seed, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      // inputs 0 and 1, 2 and 3, … share their lines
      text.append(String.format("2019-08-17T10:%08d input %d%n", i * 7 + seed / 2, seed / 2));
    }
    return Bytes.of(text.toString());
  }

  private static byte[] shuffled(byte[] content, Random random) {
    List<byte[]> lines = new ArrayList<>(Bytes.linesOf(content));
    Collections.shuffle(lines, random);
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(Bytes.text(line)).append('\n'));
    return Bytes.of(text.toString());
  }

  /** Delivers a line, then blocks until interrupted, as a stalled S3 stream does. */
  private static final class StalledStream extends InputStream {
    private final CountDownLatch blocked;
    private boolean first = true;

    StalledStream(CountDownLatch blocked) {
      this.blocked = blocked;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      if (first) {
        first = false;
        bytes[offset] = 'a';
        return 1;
      }
      blocked.countDown();
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new InterruptedIOException("read interrupted");
    }
  }

  /** An input said to be of {@code size} bytes, never opened by a merge that fails first. */
  private record SizedInput(String name, long size) implements MergeInput {
    @Override
    public Compression compression() {
      return Compression.NONE;
    }

    @Override
    public InputStream open() throws IOException {
      throw new IOException("opened " + name);
    }
  }
}
