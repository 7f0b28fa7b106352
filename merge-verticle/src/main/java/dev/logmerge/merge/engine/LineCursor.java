package dev.logmerge.merge.engine;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits one input into lines and checks that they are sorted. The current line is exposed in
 * place, as {@code buffer()[lineStart(), lineEnd())}, so the merge allocates nothing per line; it
 * stays valid until the next {@link #advance()}. Every exposed line is followed by {@code '\n'} in
 * the buffer (a missing final newline is appended), so a line and its terminator can be copied with
 * one call.
 *
 * <p>Memory: the buffer starts small and doubles up to {@code readAheadBytes} while reads fill it,
 * so small inputs stay small; it grows further only while a line (with the previous line, kept for
 * the order check) does not fit.
 */
final class LineCursor implements Closeable {
  private static final int INITIAL_CAPACITY = 8 * 1024;
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  private final int inputIndex;
  private final String inputName;
  private final InputStream lines;
  private final int readAheadBytes;
  private final Runnable onExhausted;

  private byte[] buffer;
  private int lineStart;

  /** Index of the current line's {@code '\n'}; -1 before the first line. */
  private int lineEnd = -1;

  /** End of the bytes read into the buffer. */
  private int limit;

  /**
   * Where the search for the next newline resumes: bytes before it hold none after the current
   * line.
   */
  private int scanFrom;

  private long lineNumber;
  private long code = OffsetValueCode.EQUAL;
  private boolean endOfStream;
  private boolean exhausted;

  /**
   * @param inputIndex position of the input in the merge, for errors
   * @param lines the (already inflated) bytes of the input; closed by {@link #close()}
   * @param readAheadBytes buffer size to grow to while reads fill the buffer
   * @param onExhausted called once, when the last line has been passed
   */
  LineCursor(
      int inputIndex,
      String inputName,
      InputStream lines,
      int readAheadBytes,
      Runnable onExhausted) {
    if (readAheadBytes < 1) {
      throw new IllegalArgumentException("readAheadBytes must be positive: " + readAheadBytes);
    }
    this.inputIndex = inputIndex;
    this.inputName = inputName;
    this.lines = lines;
    this.readAheadBytes = readAheadBytes;
    this.onExhausted = onExhausted;
    this.buffer = new byte[Math.min(readAheadBytes, INITIAL_CAPACITY)];
  }

  /**
   * Moves to the next line.
   *
   * @return false when there is none; the cursor is then exhausted
   * @throws UnsortedInputException if the next line sorts below the current one
   */
  boolean advance() throws IOException {
    if (exhausted) {
      return false;
    }
    int next = lineEnd + 1;
    int newline = Newlines.indexOf(buffer, scanFrom, limit);
    if (newline < 0) {
      scanFrom = limit;
      newline = refillUntilNewline();
      if (newline < 0) {
        exhausted = true;
        code = OffsetValueCode.EXHAUSTED;
        onExhausted.run();
        return false;
      }
      next = lineEnd + 1; // refilling may have moved the bytes
    }
    if (lineNumber > 0) {
      code = codeAgainstCurrentLine(next, newline);
    }
    lineStart = next;
    lineEnd = newline;
    scanFrom = newline + 1;
    lineNumber++;
    return true;
  }

  byte[] buffer() {
    return buffer;
  }

  int lineStart() {
    return lineStart;
  }

  /** Index of the current line's terminating {@code '\n'}. */
  int lineEnd() {
    return lineEnd;
  }

  /**
   * The {@link OffsetValueCode} of the current line relative to the previous line of this input,
   * which the merge has just output; {@link OffsetValueCode#EXHAUSTED} at the end. Meaningless for
   * the first line.
   */
  long code() {
    return code;
  }

  boolean isExhausted() {
    return exhausted;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }

  /**
   * Codes the line {@code buffer[start, end)} against the current line, checking on the way that it
   * does not sort below it: the one comparison per line gives both the order check and the code the
   * merge needs.
   */
  private long codeAgainstCurrentLine(int start, int end) throws UnsortedInputException {
    int mismatch = Arrays.mismatch(buffer, start, end, buffer, lineStart, lineEnd);
    if (mismatch < 0) {
      return OffsetValueCode.EQUAL;
    }
    if (mismatch == end - start
        || (mismatch < lineEnd - lineStart
            && (buffer[start + mismatch] & 0xFF) < (buffer[lineStart + mismatch] & 0xFF))) {
      throw new UnsortedInputException(inputIndex, inputName, lineNumber + 1);
    }
    return OffsetValueCode.of(buffer, start, end - start, mismatch);
  }

  /**
   * Reads until the bytes after the current line hold a newline; returns its index, or -1 at the
   * end.
   */
  private int refillUntilNewline() throws IOException {
    while (!endOfStream) {
      makeRoomToRead();
      int read = lines.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfStream = true;
      } else {
        limit += read;
        int newline = Newlines.indexOf(buffer, scanFrom, limit);
        if (newline >= 0) {
          return newline;
        }
        scanFrom = limit;
      }
    }
    if (lineEnd + 1 == limit) {
      return -1;
    }
    // A last line without newline: terminate it like the others.
    makeRoomToRead();
    buffer[limit] = '\n';
    return limit++;
  }

  /**
   * Compacts and grows the buffer so that at least one byte can be read after {@code limit}. The
   * current line is kept: the next line is compared with it.
   */
  private void makeRoomToRead() throws IOException {
    // Reads that fill the buffer say the input is large: only then is a larger read-ahead worth its
    // memory.
    boolean readsFillBuffer = limit == buffer.length;
    int keepFrom = lineNumber > 0 ? lineStart : lineEnd + 1;
    if (keepFrom > 0) {
      System.arraycopy(buffer, keepFrom, buffer, 0, limit - keepFrom);
      lineStart -= keepFrom;
      lineEnd -= keepFrom;
      limit -= keepFrom;
      scanFrom -= keepFrom;
    }
    if (limit == buffer.length) {
      grow(Math.max(2L * buffer.length, readAheadBytes));
    } else if (readsFillBuffer && !endOfStream && buffer.length < readAheadBytes) {
      grow(Math.min(2L * buffer.length, readAheadBytes));
    }
  }

  private void grow(long wanted) throws IOException {
    if (buffer.length == MAX_CAPACITY) {
      throw new IOException(
          "input "
              + inputIndex
              + " ("
              + inputName
              + ") has a line longer than "
              + MAX_CAPACITY
              + " bytes at line "
              + (lineNumber + 1));
    }
    byte[] grown = new byte[(int) Math.min(wanted, MAX_CAPACITY)];
    System.arraycopy(buffer, 0, grown, 0, limit);
    buffer = grown;
  }
}
