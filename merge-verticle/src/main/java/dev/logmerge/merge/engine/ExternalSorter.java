package dev.logmerge.merge.engine;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts the lines of one input with bounded memory: it fills a buffer with lines, sorts references
 * to them, writes them to a temp file as a sorted run, and repeats. When an input yields more runs
 * than can be merged within the same budget, runs are merged into longer ones first, so merging an
 * input's runs never needs more than about {@code memoryPerRunBytes} of read buffers either.
 *
 * <p>A run holds line bytes plus {@value #BYTES_PER_LINE_REFERENCE} bytes of sort references per
 * line, at most {@code memoryPerRunBytes} in all; a single line longer than that still works, as a
 * run of its own.
 */
public final class ExternalSorter {
  /** A packed (start, length) reference per line, and the merge sort's scratch copy of it. */
  private static final int BYTES_PER_LINE_REFERENCE = 2 * Long.BYTES;

  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
  private static final int INITIAL_CAPACITY = 64 * 1024;
  private static final int INSERTION_SORT_MAX = 16;
  private static final int WRITE_BUFFER_BYTES = 64 * 1024;
  private static final int MAX_RUNS_MERGED_AT_ONCE = 1024;

  private final Path spillDirectory;
  private final long memoryPerRunBytes;
  private final int readBufferBytes;
  private final int maxRunsPerInput;

  /**
   * @param spillDirectory where run files are created
   * @param memoryPerRunBytes memory for one run's lines and references
   * @param readBufferBytes read buffer of each run when runs are merged; fixes how many runs fit
   *     the budget
   */
  public ExternalSorter(Path spillDirectory, long memoryPerRunBytes, int readBufferBytes) {
    if (memoryPerRunBytes < BYTES_PER_LINE_REFERENCE + 1 || memoryPerRunBytes > MAX_CAPACITY) {
      throw new IllegalArgumentException("memoryPerRunBytes out of range: " + memoryPerRunBytes);
    }
    if (readBufferBytes < 1) {
      throw new IllegalArgumentException("readBufferBytes must be positive: " + readBufferBytes);
    }
    this.spillDirectory = spillDirectory;
    this.memoryPerRunBytes = memoryPerRunBytes;
    this.readBufferBytes = readBufferBytes;
    // Also bounded by a file count, since every run merged is an open file.
    this.maxRunsPerInput =
        (int) Math.max(2, Math.min(MAX_RUNS_MERGED_AT_ONCE, memoryPerRunBytes / readBufferBytes));
  }

  /**
   * Reads all of {@code lines} (closing it is the caller's job) and returns its sorted runs. On
   * failure the runs written so far are deleted.
   *
   * @param inputIndex position of the input in the merge, for errors
   * @throws InterruptedIOException if the thread is interrupted
   */
  public SortedRuns sort(int inputIndex, String inputName, InputStream lines) throws IOException {
    SortedRuns runs = new SortedRuns(inputName);
    try {
      writeRuns(lines, runs);
      while (runs.files().size() > maxRunsPerInput) {
        mergeFirstRuns(inputIndex, runs);
      }
      return runs;
    } catch (IOException | RuntimeException | Error e) {
      runs.close();
      throw e;
    }
  }

  private void writeRuns(InputStream lines, SortedRuns runs) throws IOException {
    byte[] data = new byte[(int) Math.min(INITIAL_CAPACITY, memoryPerRunBytes)];
    long[] references = new long[1024];
    int count = 0;
    int filled = 0;
    int nextLineStart = 0;
    int scanFrom = 0;
    boolean endOfStream = false;
    while (true) {
      int newline;
      while ((newline = Newlines.indexOf(data, scanFrom, filled)) >= 0) {
        if (count == references.length) {
          references = Arrays.copyOf(references, 2 * count);
        }
        references[count++] = reference(nextLineStart, newline - nextLineStart);
        nextLineStart = newline + 1;
        scanFrom = nextLineStart;
      }
      scanFrom = filled;
      if (endOfStream) {
        if (nextLineStart == filled) {
          break;
        }
        // A last line without newline: terminate it like the others.
        data = withCapacity(data, filled + 1L, filled);
        data[filled++] = '\n';
        continue;
      }
      if (count > 0 && filled + (long) BYTES_PER_LINE_REFERENCE * count >= memoryPerRunBytes) {
        writeRun(data, references, count, runs);
        count = 0;
        filled -= nextLineStart;
        scanFrom -= nextLineStart;
        System.arraycopy(data, nextLineStart, data, 0, filled);
        nextLineStart = 0;
      }
      if (filled == data.length) {
        // Up to the budget the buffer doubles; past it only while a single line does not fit.
        long wanted = count == 0 ? 2L * data.length : Math.min(2L * data.length, memoryPerRunBytes);
        data = withCapacity(data, wanted, filled);
      }
      checkInterrupted();
      int read = lines.read(data, filled, data.length - filled);
      if (read < 0) {
        endOfStream = true;
      } else {
        filled += read;
      }
    }
    if (count > 0) {
      writeRun(data, references, count, runs);
    }
  }

  /** Sorts the referenced lines and writes them, each with its newline, to a new run file. */
  private void writeRun(byte[] data, long[] references, int count, SortedRuns runs)
      throws IOException {
    sortLines(data, references, count);
    Path file = SortedRuns.createRunFile(spillDirectory);
    try (OutputStream stream = new FileOutputStream(file.toFile())) {
      OutputBuffer out = new OutputBuffer(stream, WRITE_BUFFER_BYTES);
      for (int i = 0; i < count; i++) {
        // Every referenced line is followed by its '\n' in data.
        out.write(data, start(references[i]), length(references[i]) + 1);
      }
      out.drain();
      runs.add(file, out.bytesWritten());
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** Replaces the oldest runs by one run that merges them, to bound the runs merged at once. */
  private void mergeFirstRuns(int inputIndex, SortedRuns runs) throws IOException {
    List<SortedRuns.Run> merged = runs.files().subList(0, maxRunsPerInput);
    List<LineCursor> cursors = new ArrayList<>(merged.size());
    Path file = SortedRuns.createRunFile(spillDirectory);
    try {
      for (SortedRuns.Run run : merged) {
        cursors.add(new LineCursor(inputIndex, run.name(), run.open(), readBufferBytes, () -> {}));
      }
      KWayMerger.Result result;
      try (OutputStream out = new FileOutputStream(file.toFile())) {
        // Lines of intermediate runs are not lines of the result: keep them out of the job's
        // progress.
        result = new KWayMerger(cursors, new MergeProgress()).mergeInto(out);
      }
      Closeables.closeAll(cursors);
      runs.add(file, result.bytesWritten());
    } catch (IOException | RuntimeException | Error e) {
      Closeables.closeAllAfter(e, cursors);
      Files.deleteIfExists(file);
      throw e;
    }
    for (SortedRuns.Run run : merged) {
      runs.remove(run);
    }
  }

  /**
   * Merge sort, because log lines are often almost sorted: a merge of halves already in order is
   * skipped.
   */
  private static void sortLines(byte[] data, long[] references, int count) {
    mergeSort(data, references, new long[(count + 1) / 2], 0, count);
  }

  private static void mergeSort(byte[] data, long[] refs, long[] scratch, int from, int to) {
    if (to - from <= INSERTION_SORT_MAX) {
      insertionSort(data, refs, from, to);
      return;
    }
    int middle = (from + to) >>> 1;
    mergeSort(data, refs, scratch, from, middle);
    mergeSort(data, refs, scratch, middle, to);
    if (compare(data, refs[middle - 1], refs[middle]) <= 0) {
      return;
    }
    int leftLength = middle - from;
    System.arraycopy(refs, from, scratch, 0, leftLength);
    int left = 0;
    int right = middle;
    int target = from;
    while (left < leftLength && right < to) {
      refs[target++] =
          compare(data, refs[right], scratch[left]) < 0 ? refs[right++] : scratch[left++];
    }
    System.arraycopy(scratch, left, refs, target, leftLength - left);
  }

  private static void insertionSort(byte[] data, long[] refs, int from, int to) {
    for (int i = from + 1; i < to; i++) {
      long current = refs[i];
      int j = i - 1;
      while (j >= from && compare(data, refs[j], current) > 0) {
        refs[j + 1] = refs[j];
        j--;
      }
      refs[j + 1] = current;
    }
  }

  private static int compare(byte[] data, long a, long b) {
    int aStart = start(a);
    int bStart = start(b);
    return Arrays.compareUnsigned(
        data, aStart, aStart + length(a), data, bStart, bStart + length(b));
  }

  private static long reference(int start, int length) {
    return ((long) start << 32) | length;
  }

  private static int start(long reference) {
    return (int) (reference >>> 32);
  }

  private static int length(long reference) {
    return (int) reference;
  }

  private static byte[] withCapacity(byte[] data, long wanted, int used) throws IOException {
    if (wanted <= data.length) {
      return data;
    }
    if (data.length == MAX_CAPACITY) {
      throw new IOException("a line is longer than " + MAX_CAPACITY + " bytes");
    }
    byte[] grown = new byte[(int) Math.min(wanted, MAX_CAPACITY)];
    System.arraycopy(data, 0, grown, 0, used);
    return grown;
  }

  private static void checkInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("sort interrupted");
    }
  }
}
