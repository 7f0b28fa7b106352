package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.JobResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeEngineTest {
  @TempDir Path spillDirectory;

  private final InMemorySinks sinks = new InMemorySinks();
  private final MergeProgress progress = new MergeProgress();

  private MergeEngine engine(int readBufferBytes) {
    return new MergeEngine(
        new MergeEngine.Settings(
            readBufferBytes, spillDirectory, MergeEngine.Settings.MIN_SORT_MEMORY_PER_RUN_BYTES));
  }

  private byte[] merge(InMemoryInput... inputs) throws IOException {
    engine(64).merge(List.of(inputs), sinks, progress);
    return sinks.committed().content();
  }

  @Test
  void mergesInputsThatShareTimestampsStably() throws IOException {
    InMemoryInput first =
        InMemoryInput.plain(
            "2019-08-17_1",
            "2019-08-17T10:00:00Z a start\n2019-08-17T10:00:00Z b same\n2019-08-17T10:00:01Z c\n");
    InMemoryInput second =
        InMemoryInput.plain(
            "2019-08-17_2",
            "2019-08-17T10:00:00Z b same\n2019-08-17T10:00:00Z b samf\n2019-08-17T10:00:01Z\n");

    byte[] merged = merge(first, second);

    assertEquals(
        "2019-08-17T10:00:00Z a start\n"
            + "2019-08-17T10:00:00Z b same\n"
            + "2019-08-17T10:00:00Z b same\n"
            + "2019-08-17T10:00:00Z b samf\n"
            + "2019-08-17T10:00:01Z\n"
            + "2019-08-17T10:00:01Z c\n",
        Bytes.text(merged));
    // The same inputs in the same order always give the same bytes, and swapping them changes
    // nothing.
    InMemorySinks again = new InMemorySinks();
    engine(16).merge(List.of(second, first), again, new MergeProgress());
    assertArrayEquals(merged, again.committed().content());
  }

  @Test
  void commitsAnEmptyResultForNoInputs() throws IOException {
    MergeOutcome outcome = engine(64).merge(List.of(), sinks, progress);

    assertArrayEquals(new byte[0], sinks.committed().content());
    assertEquals(
        new MergeOutcome(new JobResult("merged", "result-0", 0, "etag-result-0"), 0, 0, List.of()),
        outcome);
    assertEquals(new MergeProgress.Snapshot(0, 0, 0), progress.snapshot());
  }

  @Test
  void terminatesEveryLineAndSkipsEmptyInputs() throws IOException {
    byte[] merged =
        merge(
            InMemoryInput.plain("a", "b\nd"),
            InMemoryInput.plain("empty", ""),
            InMemoryInput.plain("newline", "\n"),
            InMemoryInput.plain("c", "a\nc"));

    assertEquals("\na\nb\nc\nd\n", Bytes.text(merged));
  }

  @Test
  void keepsCarriageReturnsAsPartOfLines() throws IOException {
    byte[] merged =
        merge(InMemoryInput.plain("crlf", "a\r\nb\r\n"), InMemoryInput.plain("lf", "a\nb\n"));

    // '\r' is a byte of the line, so "a\r" sorts after its prefix "a".
    assertEquals("a\na\r\nb\nb\r\n", Bytes.text(merged));
  }

  @Test
  void sortsBytesAsUnsignedSoNonAsciiComesAfterAscii() throws IOException {
    byte[] merged =
        merge(
            InMemoryInput.plain("utf8", "2019 é\n2019 日本\n"),
            InMemoryInput.plain("ascii", "2019 z\n"));

    assertEquals("2019 z\n2019 é\n2019 日本\n", Bytes.text(merged));
  }

  @Test
  void keepsLinesLongerThanTheReadBufferWhole() throws IOException {
    String longLine = "2019-08-17T10:00:01Z " + "x".repeat(3 * 1024 * 1024);
    byte[] merged =
        merge(
            InMemoryInput.plain("long", "2019-08-17T10:00:00Z short\n" + longLine + "\n"),
            InMemoryInput.plain("other", "2019-08-17T10:00:02Z after"));

    assertEquals(
        "2019-08-17T10:00:00Z short\n" + longLine + "\n2019-08-17T10:00:02Z after\n",
        Bytes.text(merged));
  }

  @Test
  void inflatesGzipInputsWithSeveralMembersAndCountsRawBytes() throws IOException {
    byte[] content =
        Bytes.of("2019-08-17T10:00:00Z a\n2019-08-17T10:00:02Z c\n2019-08-17T10:00:04Z e\n");
    InMemoryInput gzip = InMemoryInput.gzip("2019-08-17_1.log.gz", content, 3);
    InMemoryInput emptyGzip = InMemoryInput.gzip("2019-08-17_2.gz", new byte[0], 1);
    InMemoryInput plain = InMemoryInput.plain("2019-08-17_3", "2019-08-17T10:00:01Z b\n");

    MergeOutcome outcome = engine(16).merge(List.of(gzip, emptyGzip, plain), sinks, progress);

    assertEquals(
        Bytes.text(Bytes.expectedMerge(List.of(content, Bytes.of("2019-08-17T10:00:01Z b\n")))),
        Bytes.text(sinks.committed().content()));
    assertEquals(4, outcome.linesWritten());
    assertEquals(
        new MergeProgress.Snapshot(gzip.size() + emptyGzip.size() + plain.size(), 3, 4),
        progress.snapshot());
  }

  @Test
  void failsOnAnInputThatIsNotTheGzipItsNameSaysNamingTheInputAndStoresNothing() {
    MergeInput notGzip =
        InMemoryInput.encoded("2019-08-17_1.gz", Bytes.of("plain text\n"), Compression.GZIP);

    CorruptInputException error =
        assertThrows(
            CorruptInputException.class, () -> engine(64).merge(List.of(notGzip), sinks, progress));

    assertEquals("input 2019-08-17_1.gz is corrupt: Not in GZIP format", error.getMessage());
    assertTrue(sinks.opened().stream().noneMatch(InMemorySinks.Sink::isCommitted));
  }

  @Test
  void failsOnATruncatedGzipInputNamingTheInput() {
    byte[] whole =
        InMemoryInput.gzip("x", Bytes.of("2019-08-17T10:00:00Z a\n".repeat(500)), 1).raw();
    MergeInput truncated =
        InMemoryInput.encoded(
            "2019-08-17_2.log.gz", Arrays.copyOf(whole, whole.length / 2), Compression.GZIP);
    MergeInput plain = InMemoryInput.plain("2019-08-17_3", "2019-08-17T10:00:01Z b\n");

    CorruptInputException error =
        assertThrows(
            CorruptInputException.class,
            () -> engine(64).merge(List.of(truncated, plain), sinks, progress));

    assertTrue(
        error.getMessage().startsWith("input 2019-08-17_2.log.gz is corrupt: "),
        error.getMessage());
    assertEquals(1, sinks.opened().size());
    assertTrue(sinks.opened().get(0).isAborted(), "the partial result is discarded");
  }

  @Test
  void treatsAnEmptyObjectNamedGzipAsEmpty() throws IOException {
    MergeInput empty =
        new MergeInput() {
          @Override
          public String name() {
            return "2019-08-17_1.gz";
          }

          @Override
          public long size() {
            return 0;
          }

          @Override
          public Compression compression() {
            return Compression.GZIP;
          }

          @Override
          public InputStream open() {
            return InputStream.nullInputStream();
          }
        };

    engine(64).merge(List.of(empty, InMemoryInput.plain("b", "x\n")), sinks, progress);

    assertEquals("x\n", Bytes.text(sinks.committed().content()));
  }

  @Test
  void sortsAnUnsortedInputOnDiskAndStillMergesCorrectly() throws IOException {
    ByteArrayOutputStream unsorted = new ByteArrayOutputStream();
    for (int i = 20_000; i > 0; i--) {
      // Over 200 kB of descending lines: several sorted runs at the minimum run memory.
      unsorted.writeBytes(Bytes.of(String.format("2019-08-17T10:%05d unsorted\n", i)));
    }
    InMemoryInput sorted =
        InMemoryInput.plain("2019-08-17_1", "2019-08-17T10:00002 a\n2019-08-17T10:30000 z\n");
    InMemoryInput bad = InMemoryInput.plain("2019-08-17_2", unsorted.toByteArray());
    InMemoryInput alsoSorted = InMemoryInput.plain("2019-08-17_3", "2019-08-17T10:00001 b\n");

    MergeOutcome outcome = engine(64).merge(List.of(sorted, bad, alsoSorted), sinks, progress);

    assertArrayEquals(
        Bytes.expectedMerge(
            List.of(
                Bytes.of("2019-08-17T10:00002 a\n2019-08-17T10:30000 z\n"),
                unsorted.toByteArray(),
                Bytes.of("2019-08-17T10:00001 b\n"))),
        sinks.committed().content());
    assertEquals(List.of("2019-08-17_2"), outcome.unsortedInputs());
    assertEquals(2, sinks.opened().size(), "the first attempt's sink is replaced");
    assertTrue(sinks.opened().get(0).isAborted());
    assertEquals(
        new MergeProgress.Snapshot(sorted.size() + bad.size() + alsoSorted.size(), 3, 20_003),
        progress.snapshot());
    assertTrue(Stream.of(sorted, bad, alsoSorted).allMatch(InMemoryInput::allStreamsClosed));
    assertEquals(2, bad.timesOpened(), "read once by the failed attempt and once to sort it");
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void sortsEachOfSeveralUnsortedInputsOnce() throws IOException {
    InMemoryInput first = InMemoryInput.plain("first", "b\na\n");
    InMemoryInput second = InMemoryInput.plain("second", "d\nc\n");

    MergeOutcome outcome = engine(16).merge(List.of(first, second), sinks, progress);

    assertEquals("a\nb\nc\nd\n", Bytes.text(sinks.committed().content()));
    assertEquals(List.of("first", "second"), outcome.unsortedInputs());
    assertEquals(3, sinks.opened().size());
    assertEquals(2, first.timesOpened());
    assertEquals(new MergeProgress.Snapshot(8, 2, 4), progress.snapshot());
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void abortsTheSinkAndClosesAllInputsWhenAnInputFails() {
    List<InMemoryInput> inputs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      inputs.add(InMemoryInput.plain("ok-" + i, sortedLines(i, 2_000)));
    }
    inputs.add(2, InMemoryInput.failingAfter("broken", sortedLines(9, 2_000), 10_000));

    IOException failure =
        assertThrows(IOException.class, () -> engine(256).merge(inputs, sinks, progress));

    assertEquals("simulated read failure in broken", failure.getMessage());
    assertEquals(1, sinks.opened().size());
    assertTrue(sinks.opened().get(0).isAborted());
    assertFalse(sinks.opened().get(0).isCommitted());
    assertTrue(inputs.stream().allMatch(InMemoryInput::allStreamsClosed));
  }

  @Test
  void deletesSpillFilesWhenAMergeFailsAfterSorting() throws IOException {
    InMemoryInput unsorted = InMemoryInput.plain("unsorted", "1\n0\n");
    InMemoryInput broken = InMemoryInput.failingAfter("broken", sortedLines(1, 5_000), 50_000);

    assertThrows(
        IOException.class, () -> engine(64).merge(List.of(unsorted, broken), sinks, progress));

    assertEquals(2, sinks.opened().size());
    assertTrue(sinks.opened().stream().allMatch(InMemorySinks.Sink::isAborted));
    assertTrue(unsorted.allStreamsClosed() && broken.allStreamsClosed());
    assertEquals(List.of(), Directories.filesIn(spillDirectory));
  }

  @Test
  void stopsWithInterruptedIoExceptionAndAbortsWhenInterrupted() throws Exception {
    AtomicBoolean endlessClosed = new AtomicBoolean();
    MergeInput endless = new StreamInput("endless", () -> new EndlessSortedStream(endlessClosed));
    InMemoryInput other = InMemoryInput.plain("other", sortedLines(1, 10));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Future<?> merge =
          executor.submit(
              () -> {
                try {
                  engine(4096).merge(List.of(endless, other), sinks, progress);
                } catch (Throwable e) {
                  thrown.set(e);
                }
              });
      awaitLinesWritten(100_000, Duration.ofSeconds(30));

      merge.cancel(true);
      executor.shutdown();
      assertTrue(
          executor.awaitTermination(30, TimeUnit.SECONDS),
          "the merge stops soon after the interrupt");
    } finally {
      executor.shutdownNow();
    }
    assertTrue(thrown.get() instanceof InterruptedIOException, "thrown: " + thrown.get());
    assertEquals(1, sinks.opened().size());
    assertTrue(sinks.opened().get(0).isAborted());
    assertTrue(endlessClosed.get());
    assertTrue(other.allStreamsClosed());
  }

  @Test
  void reportsAFailureOnAnInterruptedThreadAsInterruption() {
    MergeInput closedByInterrupt =
        new StreamInput(
            "nio",
            () ->
                new InputStream() {
                  @Override
                  public int read() throws IOException {
                    Thread.currentThread().interrupt();
                    throw new java.nio.channels.ClosedByInterruptException();
                  }
                });

    try {
      InterruptedIOException interrupted =
          assertThrows(
              InterruptedIOException.class,
              () -> engine(64).merge(List.of(closedByInterrupt), sinks, progress));
      assertTrue(interrupted.getCause() instanceof java.nio.channels.ClosedByInterruptException);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag stays set");
    } finally {
      Thread.interrupted();
    }
  }

  private void awaitLinesWritten(long lines, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (progress.snapshot().linesWritten() < lines) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("merge made no progress: " + progress.snapshot());
      }
      Thread.sleep(10);
    }
  }

  private static byte[] sortedLines(int seed, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(String.format("2019-08-17T10:%08d input %d%n", i * 7 + seed, seed));
    }
    return Bytes.of(text.toString());
  }

  /**
   * Sorted lines without end, like a huge object that never finishes; records whether it was
   * closed.
   */
  private static final class EndlessSortedStream extends InputStream {
    private final AtomicBoolean closed;
    private long lineNumber;
    private byte[] line = new byte[0];
    private int position;

    EndlessSortedStream(AtomicBoolean closed) {
      this.closed = closed;
    }

    @Override
    public int read() {
      if (position == line.length) {
        line = Bytes.of(String.format("2019-08-17T10:%012d endless%n", lineNumber++));
        position = 0;
      }
      return line[position++] & 0xFF;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) {
      for (int i = 0; i < length; i++) {
        bytes[offset + i] = (byte) read();
      }
      return length;
    }

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
