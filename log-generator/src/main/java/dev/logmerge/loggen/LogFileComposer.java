package dev.logmerge.loggen;

import java.io.IOException;
import java.io.OutputStream;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Writes the lines of one file. Timestamps are spread over the whole day, so the files of a day
 * interleave when merged, and lines come out sorted by unsigned bytes (what {@code LC_ALL=C sort}
 * gives) unless the file is planned unsorted.
 *
 * <p>Merges must be tested on ties, so some are made on purpose: a line may repeat the previous
 * line's timestamp, or the whole previous line (a request logged twice); and each day has a pool of
 * shared "moments" that several of its files draw from, giving equal timestamps and identical whole
 * lines across files.
 *
 * <p>Over 250 lines because the timestamp plan, the ties and the chunked writing of sorted runs all
 * work on the same per-file state (buffer, line starts, random stream); split, they would hand it
 * around.
 */
final class LogFileComposer {
  private static final int MILLIS_PER_DAY = 86_400_000;
  // chances per thousand lines
  private static final int SHARED_MOMENT = 20;
  private static final int OWN_EVENT_AT_SHARED_MOMENT = 250;
  private static final int REPEATED_TIMESTAMP = 10;
  private static final int REPEATED_LINE = 2;
  // sorted files are written in chunks of about this size; unsorted ones are held whole to shuffle
  private static final int CHUNK_BYTES = 256 * 1024;

  private final PlannedFile file;
  private final int lineCount;
  private final LogLineComposer tails;
  private final byte[] datePrefix;
  private final SeededRandom random;
  private final AsciiBuffer buffer;
  // starts of the lines held in the buffer (of the current run only, for a sorted file)
  private int[] lineStarts = new int[64];
  private int heldLines;
  private int runFirstLine;

  private LogFileComposer(PlannedFile file, GeneratorOptions options) {
    this.file = file;
    this.lineCount = options.linesPerFile();
    this.tails = new LogLineComposer(options.customers());
    this.datePrefix = datePrefix(file.day());
    this.random = new SeededRandom(file.seed());
    int wholeFile = (int) Math.min((long) lineCount * 128, 1 << 30);
    this.buffer = new AsciiBuffer(file.unsorted() ? wholeFile : CHUNK_BYTES + 4096);
  }

  /**
   * Writes the lines of {@code file}, as many as {@code options} give each file and with its
   * customers, to {@code out} and returns how many bytes that was. All files of a day must be
   * composed with the same options, as the line count sizes the day's shared pool and shared lines
   * must come out equal in every file.
   */
  static long compose(PlannedFile file, GeneratorOptions options, OutputStream out)
      throws IOException {
    return new LogFileComposer(file, options).writeTo(out);
  }

  private long writeTo(OutputStream out) throws IOException {
    long[] slots = plannedSlots();
    long written = 0;
    int previousTimestamp = -1;
    for (int i = 0; i < lineCount; i++) {
      int timestamp = (int) (slots[i] >>> 32);
      int moment = (int) slots[i] - 1;
      // the first two lines are never copies, so every file of two or more lines can be unsorted
      boolean mayRepeat = moment < 0 && i >= 2;
      boolean repeatLine = mayRepeat && random.chance(REPEATED_LINE);
      if (repeatLine || (mayRepeat && random.chance(REPEATED_TIMESTAMP))) {
        timestamp = previousTimestamp;
      }
      if (timestamp != previousTimestamp) {
        finishRun();
        if (!file.unsorted() && buffer.size() >= CHUNK_BYTES) {
          written += buffer.size();
          buffer.drainTo(out);
        }
      }
      holdLineStart(buffer.size());
      if (repeatLine) {
        int previousStart = lineStarts[heldLines - 2];
        buffer.put(buffer.array(), previousStart, buffer.size() - previousStart);
      } else {
        writeLine(timestamp, moment);
      }
      previousTimestamp = timestamp;
    }
    finishRun();
    if (file.unsorted()) {
      return written + writeShuffled(out);
    }
    written += buffer.size();
    buffer.drainTo(out);
    return written;
  }

  /**
   * One sorted slot per line: the timestamp in the high 32 bits; in the low bits, 0 for the file's
   * own line, or 1 + the index of the shared moment the line is taken from.
   */
  private long[] plannedSlots() {
    int momentPool = Math.max(8, lineCount / 20);
    BitSet momentsTaken = new BitSet(momentPool);
    long[] slots = new long[lineCount];
    for (int i = 0; i < lineCount; i++) {
      if (random.chance(SHARED_MOMENT)) {
        int moment = random.nextInt(momentPool);
        // a moment at most once per file, so a file never holds one shared line twice
        if (!momentsTaken.get(moment)) {
          momentsTaken.set(moment);
          slots[i] = (long) momentRandom(moment).nextInt(MILLIS_PER_DAY) << 32 | (moment + 1);
          continue;
        }
      }
      slots[i] = (long) random.nextInt(MILLIS_PER_DAY) << 32;
    }
    Arrays.sort(slots);
    return slots;
  }

  /** The same stream in every file of the day: first the moment's timestamp, then its line. */
  private SeededRandom momentRandom(int moment) {
    return new SeededRandom(SeededRandom.derive(file.daySeed(), moment));
  }

  private void writeLine(int millisOfDay, int moment) {
    writeTimestamp(millisOfDay);
    buffer.put((byte) ' ');
    if (moment >= 0 && !random.chance(OWN_EVENT_AT_SHARED_MOMENT)) {
      SeededRandom shared = momentRandom(moment);
      shared.nextInt(MILLIS_PER_DAY); // the timestamp, already used
      tails.composeTail(buffer, shared);
    } else {
      tails.composeTail(buffer, random);
    }
    buffer.put((byte) '\n');
  }

  /** {@code 2019-08-19T03:12:45.123Z}: fixed width, so byte order is time order. */
  private void writeTimestamp(int millisOfDay) {
    int seconds = millisOfDay / 1000;
    buffer
        .put(datePrefix)
        .putZeroPadded(seconds / 3600, 2)
        .put((byte) ':')
        .putZeroPadded(seconds / 60 % 60, 2)
        .put((byte) ':')
        .putZeroPadded(seconds % 60, 2)
        .put((byte) '.')
        .putZeroPadded(millisOfDay % 1000, 3)
        .put((byte) 'Z');
  }

  private static byte[] datePrefix(LocalDate day) {
    AsciiBuffer prefix = new AsciiBuffer(11);
    prefix
        .putZeroPadded(day.getYear(), 4)
        .put((byte) '-')
        .putZeroPadded(day.getMonthValue(), 2)
        .put((byte) '-')
        .putZeroPadded(day.getDayOfMonth(), 2)
        .put((byte) 'T');
    return Arrays.copyOf(prefix.array(), prefix.size());
  }

  private void holdLineStart(int start) {
    if (heldLines == lineStarts.length) {
      lineStarts = Arrays.copyOf(lineStarts, heldLines * 2);
    }
    lineStarts[heldLines++] = start;
  }

  /**
   * Lines of one timestamp are generated in any order; sorting them by bytes keeps the file sorted.
   * Runs are short (usually one line), so copying them out is cheap.
   */
  private void finishRun() {
    int runLength = heldLines - runFirstLine;
    if (runLength > 1) {
      byte[] bytes = buffer.array();
      byte[][] lines = new byte[runLength][];
      for (int k = 0; k < runLength; k++) {
        int line = runFirstLine + k;
        int end = line + 1 < heldLines ? lineStarts[line + 1] : buffer.size();
        lines[k] = Arrays.copyOfRange(bytes, lineStarts[line], end);
      }
      // a line's '\n' sorts below every printable byte: comparing with it equals comparing
      // without it
      Arrays.sort(lines, Arrays::compareUnsigned);
      int position = lineStarts[runFirstLine];
      for (int k = 0; k < runLength; k++) {
        lineStarts[runFirstLine + k] = position;
        System.arraycopy(lines[k], 0, bytes, position, lines[k].length);
        position += lines[k].length;
      }
    }
    if (file.unsorted()) {
      runFirstLine = heldLines;
    } else {
      // a sorted file never looks back past its current run, so it keeps only that run's starts
      heldLines = 0;
      runFirstLine = 0;
    }
  }

  /** Writes the held lines in a shuffled order that is guaranteed not to be sorted. */
  private long writeShuffled(OutputStream out) throws IOException {
    int[] order = new int[heldLines];
    for (int i = 0; i < heldLines; i++) {
      order[i] = i;
    }
    for (int i = heldLines - 1; i > 0; i--) {
      swap(order, i, random.nextInt(i + 1));
    }
    if (isSorted(order)) {
      // a shuffle of few lines often lands sorted; swapping one pair of different lines undoes that
      int i = firstPairOfDifferentLines(order);
      swap(order, i, i + 1);
    }
    AsciiBuffer shuffled = new AsciiBuffer(CHUNK_BYTES + 4096);
    long written = 0;
    for (int line : order) {
      shuffled.put(buffer.array(), lineStarts[line], lineEnd(line) - lineStarts[line]);
      if (shuffled.size() >= CHUNK_BYTES) {
        written += shuffled.size();
        shuffled.drainTo(out);
      }
    }
    written += shuffled.size();
    shuffled.drainTo(out);
    return written;
  }

  private boolean isSorted(int[] order) {
    for (int i = 1; i < order.length; i++) {
      if (compareLines(order[i - 1], order[i]) > 0) {
        return false;
      }
    }
    return true;
  }

  private int firstPairOfDifferentLines(int[] order) {
    for (int i = 1; i < order.length; i++) {
      if (compareLines(order[i - 1], order[i]) != 0) {
        return i - 1;
      }
    }
    throw new IllegalStateException(
        file.fileName() + " has only identical lines and cannot be unsorted");
  }

  private int compareLines(int a, int b) {
    byte[] bytes = buffer.array();
    return Arrays.compareUnsigned(
        bytes, lineStarts[a], lineEnd(a), bytes, lineStarts[b], lineEnd(b));
  }

  private int lineEnd(int line) {
    return line + 1 < heldLines ? lineStarts[line + 1] : buffer.size();
  }

  private static void swap(int[] array, int i, int j) {
    int held = array[i];
    array[i] = array[j];
    array[j] = held;
  }
}
