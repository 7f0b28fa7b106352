package dev.logmerge.merge;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.StatsStore;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.merge.s3.InputFingerprint;
import dev.logmerge.merge.s3.LogObject;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the statistics fresh: every {@code STATS_SCAN_INTERVAL}, one worker of the cluster (the one
 * that takes the scan lock in Redis) lists the log files of the newest indexed day and every day
 * after it, and queues statistics jobs for the days whose files changed (a file added, replaced or
 * removed: their fingerprint differs from the one indexed) or were never indexed. S3 lists keys in
 * order, so the listing starts at the newest indexed day's keys however large the bucket grows.
 * Older days are indexed on request ({@code POST /stats/reindex}, or a query naming days never
 * indexed).
 */
final class StatsIndexer {
  private static final Logger LOG = LoggerFactory.getLogger(StatsIndexer.class);

  /** Where the listing starts while nothing is indexed: every day's keys. */
  private static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);

  /** The listing's end: every key of a day from the newest indexed one on. */
  private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  /** The days one queued job indexes at most, so that a long backlog spreads over the workers. */
  static final int DAYS_PER_JOB = 7;

  /**
   * The jobs one scan queues at most: a bucket's years of history, indexed for the first time, are
   * queued a few months per scan (oldest first; the next scan lists from the newest day indexed by
   * then), so they never fill the queue that merges share.
   */
  static final int JOBS_PER_SCAN = 16;

  private final Vertx vertx;
  private final StatsStore stats;
  private final S3Merger s3;
  private final String workerId;
  private final Duration interval;

  StatsIndexer(Vertx vertx, StatsStore stats, S3Merger s3, String workerId, Duration interval) {
    this.vertx = vertx;
    this.stats = stats;
    this.s3 = s3;
    this.workerId = workerId;
    this.interval = interval;
  }

  /**
   * One scan, if no other worker's is due: completes with the days queued (empty when none changed
   * or another worker scans).
   */
  Future<List<LocalDate>> scan() {
    return stats
        .tryScan(workerId, interval)
        .compose(mine -> mine ? scanChanges() : Future.succeededFuture(List.of()));
  }

  private Future<List<LocalDate>> scanChanges() {
    return stats
        .newestIndexedDay()
        .compose(newest -> s3.selectInputs(new DateRange(newest.orElse(FIRST_DAY), LAST_DAY)))
        .compose(this::changedDays)
        .compose(this::queue);
  }

  private Future<List<LocalDate>> changedDays(List<LogObject> inputs) {
    Map<LocalDate, List<LogObject>> byDay =
        inputs.stream()
            .collect(
                Collectors.groupingBy(
                    input -> input.name().date(), TreeMap::new, Collectors.toList()));
    return stats
        .days(byDay.keySet())
        .map(
            records ->
                byDay.entrySet().stream()
                    .filter(day -> !indexedAsListed(records.get(day.getKey()), day.getValue()))
                    .map(Map.Entry::getKey)
                    .toList());
  }

  private static boolean indexedAsListed(DayRecord record, List<LogObject> inputs) {
    return record != null && record.fingerprint().equals(InputFingerprint.of(inputs));
  }

  /**
   * Queues the changed days, oldest first, a job per run of at most {@link #DAYS_PER_JOB}
   * consecutive days, at most {@link #JOBS_PER_SCAN} jobs.
   */
  private Future<List<LocalDate>> queue(List<LocalDate> changed) {
    Future<Void> queued = Future.succeededFuture();
    List<List<LocalDate>> runs = runs(changed);
    List<List<LocalDate>> now = runs.subList(0, Math.min(runs.size(), JOBS_PER_SCAN));
    for (List<LocalDate> run : now) {
      queued =
          queued.compose(
              previous ->
                  stats
                      .requestIndexing(run)
                      .map(
                          job -> {
                            job.ifPresent(
                                requested -> {
                                  LOG.info(
                                      "statistics of {}..{} queued (job {}): new or changed log"
                                          + " files",
                                      run.get(0),
                                      run.get(run.size() - 1),
                                      requested.id());
                                  vertx.eventBus().publish(Addresses.JOB_QUEUED, requested.id());
                                });
                            return null;
                          }));
    }
    return queued.map(done -> now.stream().flatMap(List::stream).toList());
  }

  static List<List<LocalDate>> runs(List<LocalDate> days) {
    List<List<LocalDate>> runs = new ArrayList<>();
    List<LocalDate> run = new ArrayList<>();
    for (LocalDate day : days) {
      boolean follows = !run.isEmpty() && run.get(run.size() - 1).plusDays(1).equals(day);
      if (!run.isEmpty() && (!follows || run.size() == DAYS_PER_JOB)) {
        runs.add(run);
        run = new ArrayList<>();
      }
      run.add(day);
    }
    if (!run.isEmpty()) {
      runs.add(run);
    }
    return runs;
  }
}
