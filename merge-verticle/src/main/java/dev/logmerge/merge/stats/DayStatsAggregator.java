package dev.logmerge.merge.stats;

import dev.logmerge.core.stats.StatsRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The statistics of one file-day F, from the files named {@code F_*} (fed one after the other, in
 * any order: the result does not depend on it) and from the lines of date F that other file-days'
 * files hold ({@link #addPartial}).
 *
 * <p>Each line is classified by {@link RequestLineParser}. A request line of UTC date F counts for
 * F's rows; one of another date D (a late line of D−1 in F's files, or an early one) is kept in a
 * partial aggregate of D, which {@link #partialOf} exports for D's aggregator. So the row of day F
 * is the F lines of F's files plus those found in other days' files, whichever worker reads them.
 *
 * <p>Memory grows with distinct customers and distinct (customer, duration) and (customer, minute)
 * pairs of each date, never with the number of lines: see {@link DayAggregate} for why and for the
 * bytes each costs, and {@link #estimatedBytes()}. Reading allocates nothing per line.
 *
 * <p>Not thread-safe: one job's thread uses it. Interrupting that thread stops {@link #add} with
 * {@link InterruptedIOException} within one buffer of 64 KiB.
 */
public final class DayStatsAggregator {
  private final LocalDate fileDay;
  private final long fileEpochDay;
  private final DayAggregate own = new DayAggregate();
  private final Map<Long, DayAggregate> otherDays = new HashMap<>();
  private final RequestLineReader reader = new RequestLineReader(new Router());
  private long requestLines;
  private long unparsedLines;

  public DayStatsAggregator(LocalDate fileDay) {
    this.fileDay = fileDay;
    this.fileEpochDay = fileDay.toEpochDay();
  }

  public LocalDate fileDay() {
    return fileDay;
  }

  /**
   * Counts every line of one (decompressed) file of the file-day; does not close {@code lines}.
   *
   * @throws InterruptedIOException if the thread is interrupted (the flag stays set); what was
   *     counted so far stays counted, so an interrupted aggregator is to be dropped
   */
  public void add(InputStream lines) throws IOException {
    reader.read(lines);
  }

  /** Request lines read by {@link #add}, of any date. */
  public long requestLines() {
    return requestLines;
  }

  /** Lines read by {@link #add} that are not request lines. */
  public long unparsedLines() {
    return unparsedLines;
  }

  /** The dates other than the file-day of which {@link #add} has read request lines, ascending. */
  public NavigableSet<LocalDate> partialDates() {
    NavigableSet<LocalDate> dates = new TreeSet<>();
    otherDays.keySet().forEach(day -> dates.add(LocalDate.ofEpochDay(day)));
    return Collections.unmodifiableNavigableSet(dates);
  }

  /** Request lines of {@code date} (another day than the file-day) read so far. */
  public long requestLinesOf(LocalDate date) {
    DayAggregate day = otherDays.get(date.toEpochDay());
    return day == null ? 0 : day.requests();
  }

  /**
   * The aggregates of the request lines of {@code date} read so far, in {@link PartialCodec}'s text
   * form (an empty partial for a date of which none was read).
   *
   * @throws IllegalArgumentException if {@code date} is the file-day itself
   */
  public String partialOf(LocalDate date) {
    if (date.equals(fileDay)) {
      throw new IllegalArgumentException("the file-day's own lines are rows, not a partial");
    }
    DayAggregate day = otherDays.get(date.toEpochDay());
    return PartialCodec.encode(date, day == null ? new DayAggregate() : day);
  }

  /**
   * Adds the lines of the file-day that another file-day's aggregator found ({@code partialOf} the
   * file-day there). All or nothing.
   *
   * @throws IllegalArgumentException if {@code partial} is malformed or of another date
   */
  public void addPartial(String partial) {
    own.addAll(PartialCodec.decode(partial, fileDay));
  }

  /** Customers with requests on the file-day, and so rows. */
  public int customerCount() {
    return own.customerCount();
  }

  /** Calls {@code action} with every customer's row of the file-day, in no particular order. */
  public void forEachRow(BiConsumer<String, StatsRow> action) {
    SortedDay sorted = own.sorted(SortedDay.Order.AS_SEEN);
    for (int rank = 0; rank < sorted.customerCount(); rank++) {
      action.accept(sorted.name(rank), sorted.row(rank, fileDay));
    }
  }

  /** Heap held by the aggregates and the read buffer, roughly (arrays only). */
  public long estimatedBytes() {
    long bytes = RequestLineParser.RECOGNISED_BYTES + own.estimatedBytes();
    for (DayAggregate day : otherDays.values()) {
      bytes += day.estimatedBytes();
    }
    return bytes;
  }

  /** Sends each line's numbers to the aggregate of its date. */
  private final class Router implements RequestLineReader.Sink {
    private long lastOtherEpochDay = Long.MIN_VALUE;
    private DayAggregate lastOther;

    @Override
    public void request(
        long epochDay,
        int minuteOfDay,
        byte[] bytes,
        int customerStart,
        int customerEnd,
        int status,
        int durationMs) {
      requestLines++;
      aggregateOf(epochDay)
          .addRequest(bytes, customerStart, customerEnd, minuteOfDay, status, durationMs);
    }

    @Override
    public void unparsed() {
      unparsedLines++;
    }

    private DayAggregate aggregateOf(long epochDay) {
      if (epochDay == fileEpochDay) {
        return own;
      }
      // late lines come in runs: remember the last other day rather than box a key per line
      if (epochDay != lastOtherEpochDay) {
        lastOther = otherDays.computeIfAbsent(epochDay, day -> new DayAggregate());
        lastOtherEpochDay = epochDay;
      }
      return lastOther;
    }
  }
}
