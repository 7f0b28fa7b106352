package dev.logmerge.merge.engine;

import dev.logmerge.core.job.JobResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Merges sorted inputs into one sorted result: the result equals {@code LC_ALL=C sort} of the
 * inputs' concatenation, each input line terminated by {@code '\n'}. Blocking and CPU-bound: run it
 * on a worker thread, and cancel it by interrupting that thread.
 *
 * <p>An input found unsorted is sorted into runs on local disk and the merge restarts with a new
 * sink, so the result is never silently wrong.
 *
 * <p>Memory does not grow with the size of the inputs. Per input: a line buffer of at most {@code
 * readBufferBytes} (more only while a line and the one before it do not fit), and for a gzip input
 * a 64 KiB compressed buffer plus the inflater's native state; per merge: a loser tree of 12 bytes
 * per input and a 64 KiB output buffer, plus the sink's own buffers. Sorting an unsorted input
 * takes up to {@code sortMemoryPerRunBytes} while nothing else is open; merging its runs afterwards
 * takes at most that much again in their line buffers.
 */
public final class MergeEngine {

  private final Settings settings;
  private final ExternalSorter sorter;

  /**
   * @param readBufferBytes line buffer per input, which starts at 8 KiB (or less) and doubles up to
   *     this while reads fill it; the caller divides its memory budget by the number of inputs.
   *     Beyond 64 KiB it does not speed up the merge (the buffers of many inputs then fall out of
   *     the CPU caches): network read-ahead belongs in the input streams
   * @param spillDirectory an existing directory for the sorted runs of unsorted inputs
   * @param sortMemoryPerRunBytes memory used to sort one run of an unsorted input
   */
  public record Settings(int readBufferBytes, Path spillDirectory, long sortMemoryPerRunBytes) {
    /** Below this a read costs more than the bytes it brings. */
    public static final int MIN_READ_BUFFER_BYTES = 16;

    public static final long MIN_SORT_MEMORY_PER_RUN_BYTES = 64 * 1024;

    public Settings {
      Objects.requireNonNull(spillDirectory, "spillDirectory");
      if (readBufferBytes < MIN_READ_BUFFER_BYTES) {
        throw new IllegalArgumentException(
            "readBufferBytes must be at least " + MIN_READ_BUFFER_BYTES + ": " + readBufferBytes);
      }
      if (sortMemoryPerRunBytes < MIN_SORT_MEMORY_PER_RUN_BYTES
          || sortMemoryPerRunBytes > Integer.MAX_VALUE / 2) {
        throw new IllegalArgumentException(
            "sortMemoryPerRunBytes must be between "
                + MIN_SORT_MEMORY_PER_RUN_BYTES
                + " and "
                + Integer.MAX_VALUE / 2
                + ": "
                + sortMemoryPerRunBytes);
      }
    }
  }

  public MergeEngine(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sorter =
        new ExternalSorter(
            settings.spillDirectory(),
            settings.sortMemoryPerRunBytes(),
            settings.readBufferBytes());
  }

  /**
   * Merges {@code inputs} (ties between equal lines broken by their order here) into a sink from
   * {@code sinks}, commits it and says what was stored. On any failure the sink is aborted, every
   * input is closed and the failure is rethrown; spill files are deleted in every case.
   *
   * @param progress reset when the merge starts and whenever it restarts
   * @throws InterruptedIOException if the thread is interrupted (the interrupt flag stays set)
   */
  public MergeOutcome merge(
      List<? extends MergeInput> inputs, ResultSinkFactory sinks, MergeProgress progress)
      throws IOException {
    // Sorted runs by input index, in the order the inputs were found unsorted.
    Map<Integer, PresortedInput> presorted = new LinkedHashMap<>();
    try {
      while (true) {
        restartProgress(progress, presorted);
        try {
          return mergeOnce(inputs, sinks, progress, presorted);
        } catch (UnsortedInputException e) {
          if (presorted.containsKey(e.inputIndex())) {
            throw new IllegalStateException("sorted runs are not sorted", e);
          }
          presorted.put(
              e.inputIndex(), presort(e.inputIndex(), inputs.get(e.inputIndex()), progress));
        }
      }
    } catch (IOException e) {
      throw asInterruptionIfInterrupted(e);
    } finally {
      presorted.values().forEach(input -> input.runs().close());
    }
  }

  /**
   * An unsorted input replaced by its sorted runs; its raw bytes were read (and counted) while
   * sorting.
   */
  private record PresortedInput(String name, SortedRuns runs, long rawBytes) {}

  private MergeOutcome mergeOnce(
      List<? extends MergeInput> inputs,
      ResultSinkFactory sinks,
      MergeProgress progress,
      Map<Integer, PresortedInput> presorted)
      throws IOException {
    List<LineCursor> cursors = new ArrayList<>();
    ResultSink sink = null;
    try {
      for (int i = 0; i < inputs.size(); i++) {
        checkInterrupted();
        PresortedInput sorted = presorted.get(i);
        if (sorted == null) {
          MergeInput input = inputs.get(i);
          InputStream lines = openLines(input, progress);
          cursors.add(
              new LineCursor(
                  i, input.name(), lines, settings.readBufferBytes(), progress::inputFinished));
        } else {
          for (MergeInput run : sorted.runs().runs()) {
            cursors.add(
                new LineCursor(i, sorted.name(), run.open(), settings.readBufferBytes(), () -> {}));
          }
        }
      }
      sink = sinks.open();
      KWayMerger.Result merged = new KWayMerger(cursors, progress).mergeInto(sink);
      // Close inputs before committing, so a failing close aborts rather than follows a visible
      // result.
      Closeables.closeAll(cursors);
      JobResult stored = sink.commit();
      List<String> unsorted = presorted.values().stream().map(PresortedInput::name).toList();
      return new MergeOutcome(stored, merged.linesWritten(), merged.bytesWritten(), unsorted);
    } catch (IOException | RuntimeException | Error e) {
      if (sink != null) {
        abortQuietly(sink, e);
      }
      Closeables.closeAllAfter(e, cursors);
      throw e;
    }
  }

  private PresortedInput presort(int index, MergeInput input, MergeProgress progress)
      throws IOException {
    long rawBytesBefore = progress.snapshot().rawBytesRead();
    InputStream lines = openLines(input, progress);
    SortedRuns runs;
    try {
      runs = sorter.sort(index, input.name(), lines);
    } catch (IOException | RuntimeException | Error e) {
      Closeables.closeAllAfter(e, List.of(lines));
      throw e;
    }
    try {
      lines.close();
    } catch (IOException | RuntimeException e) {
      runs.close(); // not yet handed to the caller, who deletes the runs of every sorted input
      throw e;
    }
    progress.inputFinished();
    return new PresortedInput(
        input.name(), runs, progress.snapshot().rawBytesRead() - rawBytesBefore);
  }

  /** Progress restarts from zero, except for inputs already read while sorting them. */
  private static void restartProgress(
      MergeProgress progress, Map<Integer, PresortedInput> presorted) {
    progress.reset();
    for (PresortedInput input : presorted.values()) {
      progress.addRawBytesRead(input.rawBytes());
      progress.inputFinished();
    }
  }

  /** Opens an input's lines: raw bytes counted for progress, then decoded. */
  public static InputStream openLines(MergeInput input, MergeProgress progress) throws IOException {
    InputStream raw = new ReadCountingInputStream(input.open(), progress);
    try {
      return input.compression().decode(input.name(), raw);
    } catch (IOException | RuntimeException e) {
      Closeables.closeAllAfter(e, List.of(raw));
      throw e;
    }
  }

  /**
   * An input stream may fail its own way when interrupted (an NIO channel closes with
   * ClosedByInterruptException, an HTTP client reports a cancelled request), so a failure on an
   * interrupted thread is reported as the cancellation it is.
   */
  private static IOException asInterruptionIfInterrupted(IOException failure) {
    if (failure instanceof InterruptedIOException || !Thread.currentThread().isInterrupted()) {
      return failure;
    }
    InterruptedIOException interrupted = new InterruptedIOException("merge interrupted");
    interrupted.initCause(failure);
    return interrupted;
  }

  private static void abortQuietly(ResultSink sink, Throwable failure) {
    try {
      sink.abort();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("merge interrupted");
    }
  }
}
