package dev.logmerge.merge.stats;

import dev.logmerge.merge.engine.Newlines;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * Splits streams into lines on {@code '\n'} (a last line without one counts too) and tells a {@link
 * Sink} what each line is, through one reused buffer: nothing is allocated per line. A line longer
 * than the buffer is judged by its first {@link RequestLineParser#RECOGNISED_BYTES} bytes and the
 * rest is skipped, so memory stays fixed whatever the input.
 *
 * <p>Cancellation: the thread's interrupt flag is checked before every read (at most 64 KiB), and
 * an interrupted read ends with {@link InterruptedIOException}, the flag left set.
 */
final class RequestLineReader {
  // room for a line of RECOGNISED_BYTES, its '\r' and one more byte: a line that fills the buffer
  // without a newline is longer than RECOGNISED_BYTES, whatever its last byte is
  private static final int BUFFER_BYTES = RequestLineParser.RECOGNISED_BYTES + 2;

  /** What the reader found, line by line. */
  interface Sink {
    /**
     * A request line; the customer is {@code bytes[customerStart, customerEnd)}, valid during the
     * call only.
     */
    void request(
        long epochDay,
        int minuteOfDay,
        byte[] bytes,
        int customerStart,
        int customerEnd,
        int status,
        int durationMs);

    void unparsed();
  }

  private final byte[] buffer = new byte[BUFFER_BYTES];
  private final RequestLineParser parser = new RequestLineParser();
  private final Sink sink;

  RequestLineReader(Sink sink) {
    this.sink = sink;
  }

  /**
   * Reads {@code lines} to its end; does not close it.
   *
   * @throws InterruptedIOException if the thread is interrupted
   */
  void read(InputStream lines) throws IOException {
    int start = 0;
    int end = 0;
    boolean skippingLongLine = false;
    while (true) {
      if (end == buffer.length) {
        if (start > 0) {
          System.arraycopy(buffer, start, buffer, 0, end - start);
          end -= start;
          start = 0;
        } else {
          report(parser.parseStartOfLongLine(buffer, 0, end));
          skippingLongLine = true;
          end = 0;
        }
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("statistics interrupted");
      }
      int read = lines.read(buffer, end, buffer.length - end);
      if (read < 0) {
        break;
      }
      int scanFrom = end;
      end += read;
      int newline;
      while ((newline = Newlines.indexOf(buffer, scanFrom, end)) >= 0) {
        if (skippingLongLine) {
          skippingLongLine = false;
        } else {
          report(parser.parse(buffer, start, newline));
        }
        start = newline + 1;
        scanFrom = start;
      }
      if (skippingLongLine || start == end) {
        start = 0;
        end = 0;
      }
    }
    if (start < end && !skippingLongLine) {
      report(parser.parse(buffer, start, end));
    }
  }

  private void report(boolean request) {
    if (request) {
      sink.request(
          parser.epochDay(),
          parser.minuteOfDay(),
          buffer,
          parser.customerStart(),
          parser.customerEnd(),
          parser.status(),
          parser.durationMs());
    } else {
      sink.unparsed();
    }
  }
}
