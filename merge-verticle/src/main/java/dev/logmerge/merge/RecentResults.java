package dev.logmerge.merge;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.job.JobResult;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The result each date range was last merged into or served from on this worker, so that the next
 * job of the range checks that the result is still stored while it lists its inputs, not after: a
 * job served from a recorded result then waits for one S3 round trip fewer. Only a guess: the early
 * answer counts for a job only when the result recorded for its listed inputs is that very object
 * (another object is checked as before), and a wrong guess costs one HEAD. Holds the last {@value
 * #CAPACITY} ranges; used on the worker's event loop only.
 */
final class RecentResults {
  static final int CAPACITY = 1024;

  private final Function<JobResult, Future<Boolean>> isStored;
  private final Map<DateRange, JobResult> byRange =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<DateRange, JobResult> eldest) {
          return size() > CAPACITY;
        }
      };

  /**
   * @param isStored whether a result is still stored as recorded (a HEAD)
   */
  RecentResults(Function<JobResult, Future<Boolean>> isStored) {
    this.isStored = isStored;
  }

  /** Starts checking the result last seen for the range now, if there is one. */
  Check checkAhead(DateRange range) {
    JobResult guess = byRange.get(range);
    return new Check(range, guess, guess == null ? null : isStored.apply(guess));
  }

  /** The result a job of this range stored, for the next job of the range. */
  void remember(DateRange range, JobResult result) {
    byRange.put(range, result);
  }

  /** A check of one job, begun before its inputs were listed. */
  final class Check {
    private final DateRange range;
    private final JobResult guess;
    private final Future<Boolean> early;

    private Check(DateRange range, JobResult guess, Future<Boolean> early) {
      this.range = range;
      this.guess = guess;
      this.early = early;
    }

    /**
     * Whether the result is still stored as recorded: the early answer when the guess was this
     * result, otherwise a check of it now. Remembers the answer for the range.
     */
    Future<Boolean> holds(JobResult result) {
      Future<Boolean> stored = result.equals(guess) ? early : isStored.apply(result);
      return stored.onSuccess(
          held -> {
            if (held) {
              byRange.put(range, result);
            } else {
              byRange.remove(range, result);
            }
          });
    }
  }
}
