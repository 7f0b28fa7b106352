package dev.logmerge.core.job;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.stats.CustomerDays;
import dev.logmerge.core.stats.DayRecord;
import dev.logmerge.core.stats.StatsRow;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Per-customer daily statistics in Redis, and the statistics jobs that compute them (kind {@link
 * JobKind#STATS}, on the job queue beside the merges).
 *
 * <p>Indexing a day stores a row per customer in {@code stats:customer:{id}} (field: the day), each
 * tagged with the generation of that indexing, then makes the generation the day's current one
 * ({@code stats:day-generations}). A row counts when its generation is at least the day's: rows of
 * a newer indexing count as soon as they are stored, and a customer absent from the newer one stops
 * counting once it is current. Once an indexing has begun ({@code stats:day-begun}), rows of older
 * ones are refused, so rows and generations only ever move forward: an older indexing that finishes
 * late (a worker that lost its lease) changes nothing, and no transaction over a day's many rows is
 * needed.
 *
 * <p>A query reads Redis only, in one round trip: the customer's rows of the range, the days'
 * generations and the newest indexed day.
 */
public final class StatsStore {
  /** How long a day stays marked as queued for indexing: a job that vanished frees it by then. */
  static final Duration QUEUED_MARK_TTL = Duration.ofMinutes(15);

  private static final LuaScript REQUEST = LuaScript.load("stats_request");
  private static final LuaScript BEGIN_DAY = LuaScript.load("stats_begin_day");
  private static final LuaScript ROWS = LuaScript.load("stats_rows");
  private static final LuaScript PARTIAL = LuaScript.load("stats_partial");
  private static final LuaScript DAY = LuaScript.load("stats_day");

  private final JobStore jobs;

  StatsStore(JobStore jobs) {
    this.jobs = jobs;
  }

  /**
   * The customer's rows of the range and which of its days were never indexed, in one round trip.
   */
  public Future<CustomerDays> customerDays(String customerId, DateRange range) {
    List<LocalDate> dates = range.dates();
    List<String> fields = dates.stream().map(LocalDate::toString).toList();
    return jobs.call(
        "stats-query",
        () -> {
          Future<Response> rows =
              jobs.client().read(hmget(RedisKeys.STATS_CUSTOMER_PREFIX + customerId, fields));
          Future<Response> generations =
              jobs.client().read(hmget(RedisKeys.STATS_DAY_GENERATIONS, fields));
          Future<Response> newest =
              jobs.client().read(Request.cmd(Command.GET).arg(RedisKeys.STATS_NEWEST_DAY));
          return Future.all(rows, generations, newest)
              .map(
                  read ->
                      customerDays(
                          customerId,
                          range,
                          dates,
                          rows.result(),
                          generations.result(),
                          newest.result()));
        });
  }

  private static CustomerDays customerDays(
      String customerId,
      DateRange range,
      List<LocalDate> dates,
      Response rows,
      Response generations,
      Response newest) {
    List<StatsRow> found = new ArrayList<>();
    List<LocalDate> pending = new ArrayList<>();
    for (int i = 0; i < dates.size(); i++) {
      Response generation = generations.get(i);
      if (generation == null) {
        pending.add(dates.get(i));
        continue;
      }
      Response row = rows.get(i);
      if (row == null) {
        continue;
      }
      String stored = row.toString();
      int bar = stored.indexOf('|');
      if (Long.parseLong(stored, 0, bar, 10) >= generation.toLong()) {
        found.add(StatsRow.decode(dates.get(i), stored, bar + 1));
      }
    }
    return new CustomerDays(
        customerId,
        range,
        found,
        pending,
        Optional.ofNullable(newest).map(day -> LocalDate.parse(day.toString())));
  }

  /** The newest day indexed with log files, if any. */
  public Future<Optional<LocalDate>> newestIndexedDay() {
    return jobs.call(
        "stats-newest-day",
        () ->
            jobs.client()
                .read(Request.cmd(Command.GET).arg(RedisKeys.STATS_NEWEST_DAY))
                .map(day -> Optional.ofNullable(day).map(d -> LocalDate.parse(d.toString()))));
  }

  /** What the last indexing of the day found, if it was ever indexed. */
  public Future<Optional<DayRecord>> day(LocalDate date) {
    return jobs.call(
        "stats-day",
        () ->
            jobs.client()
                .read(Request.cmd(Command.HGET).arg(RedisKeys.STATS_DAYS).arg(date.toString()))
                .map(
                    json ->
                        Optional.ofNullable(json)
                            .map(j -> DayRecord.fromJson(new JsonObject(j.toString())))));
  }

  /** The records of those of the days that were ever indexed. */
  public Future<Map<LocalDate, DayRecord>> days(Collection<LocalDate> dates) {
    if (dates.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<LocalDate> asked = List.copyOf(dates);
    return jobs.call(
        "stats-days",
        () ->
            jobs.client()
                .read(hmget(RedisKeys.STATS_DAYS, asked.stream().map(LocalDate::toString).toList()))
                .map(
                    records -> {
                      Map<LocalDate, DayRecord> found = new HashMap<>();
                      for (int i = 0; i < asked.size(); i++) {
                        if (records.get(i) != null) {
                          found.put(
                              asked.get(i),
                              DayRecord.fromJson(new JsonObject(records.get(i).toString())));
                        }
                      }
                      return found;
                    }));
  }

  /**
   * Queues one statistics job for those of the days that no queued statistics job will index yet
   * (from the first such day to the last), so that asking for the same days again queues nothing.
   *
   * @param days ascending
   * @return the job queued, or empty when every day was queued already; fails with {@link
   *     QueueFullException} when the queue is full
   */
  public Future<Optional<Job>> requestIndexing(List<LocalDate> days) {
    return request(days, false);
  }

  /**
   * Queues a statistics job that indexes every day of the range again ({@code POST
   * /stats/reindex}).
   *
   * @return fails with {@link QueueFullException} when the queue is full
   */
  public Future<Job> reindex(DateRange range) {
    return request(range.dates(), true).map(Optional::orElseThrow);
  }

  private Future<Optional<Job>> request(List<LocalDate> days, boolean force) {
    if (days.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                JobIds.newId(),
                jobs.ttlMs(),
                Integer.toString(jobs.policy().maxQueuedJobs()),
                Long.toString(QUEUED_MARK_TTL.toMillis()),
                force ? "1" : "0"));
    days.forEach(day -> args.add(day.toString()));
    return jobs.call("stats-request", () -> REQUEST.run(jobs.redis(), List.of(), args))
        .compose(
            answer -> {
              if (answer.type() != io.vertx.redis.client.ResponseType.NUMBER) {
                return Future.succeededFuture(Optional.of(Job.fromHash(JobStore.toMap(answer))));
              }
              return answer.toInteger() < 0
                  ? Future.failedFuture(new QueueFullException(jobs.policy().maxQueuedJobs()))
                  : Future.succeededFuture(Optional.<Job>empty());
            });
  }

  /**
   * The worker holding a statistics job starts indexing one of its days.
   *
   * @return the generation of this indexing, or empty when the worker no longer holds the job
   */
  public Future<OptionalLong> beginDay(String jobId, String workerId, LocalDate day) {
    return jobs.call(
            "stats-begin-day",
            () -> BEGIN_DAY.run(jobs.redis(), List.of(), List.of(jobId, workerId, day.toString())))
        .map(
            generation ->
                generation.toLong() == 0
                    ? OptionalLong.empty()
                    : OptionalLong.of(generation.toLong()));
  }

  /**
   * The partial aggregates of the day's lines that indexings of other days found in their files, by
   * the day whose files held them.
   */
  public Future<Map<LocalDate, String>> partialsOf(LocalDate day) {
    return jobs.call(
            "stats-partials",
            () ->
                jobs.client()
                    .read(
                        Request.cmd(Command.HGETALL)
                            .arg(RedisKeys.STATS_PARTIALS_PREFIX + day.toString())))
        .map(
            hash -> {
              Map<LocalDate, String> partials = new HashMap<>();
              JobStore.toMap(hash)
                  .forEach(
                      (fileDay, stored) ->
                          partials.put(
                              LocalDate.parse(fileDay), stored.substring(stored.indexOf('|') + 1)));
              partials.remove(day);
              return partials;
            });
  }

  /**
   * Stores rows of the day's customers, unless a newer indexing of the day has begun.
   *
   * @param rows customer id → row, a batch of a size the caller chooses (a script runs them at
   *     once)
   * @return how many were stored: all, or 0 when a newer indexing of the day has begun
   */
  public Future<Integer> storeRows(LocalDate day, long generation, Map<String, StatsRow> rows) {
    List<String> args = new ArrayList<>(2 + 2 * rows.size());
    args.add(day.toString());
    String tag = generation + "|";
    args.add(Long.toString(generation));
    rows.forEach(
        (customer, row) -> {
          args.add(customer);
          args.add(tag + row.encode());
        });
    return jobs.call("stats-rows", () -> ROWS.run(jobs.redis(), List.of(), args))
        .map(Response::toInteger);
  }

  /**
   * Records the aggregates of {@code day}'s lines found in {@code fileDay}'s files (empty: none).
   *
   * @return whether they changed, so that {@code day} must be indexed again
   */
  public Future<Boolean> storePartial(
      LocalDate day, LocalDate fileDay, long generation, String partial) {
    return jobs.call(
            "stats-partial",
            () ->
                PARTIAL.run(
                    jobs.redis(),
                    List.of(),
                    List.of(
                        day.toString(), fileDay.toString(), Long.toString(generation), partial)))
        .map(changed -> changed.toInteger() == 1);
  }

  /**
   * Makes the generation the day's current one, with its record, unless a newer one is.
   *
   * @return whether it was recorded
   */
  public Future<Boolean> recordDay(long generation, DayRecord record) {
    return jobs.call(
            "stats-day",
            () ->
                DAY.run(
                    jobs.redis(),
                    List.of(),
                    List.of(
                        record.date().toString(),
                        Long.toString(generation),
                        record.toJson().encode(),
                        record.inputs() > 0 ? "1" : "0")))
        .map(recorded -> recorded.toInteger() == 1);
  }

  /**
   * Takes the statistics scan for this worker for {@code hold}, unless another worker holds it.
   *
   * @return whether this worker may scan now
   */
  public Future<Boolean> tryScan(String workerId, Duration hold) {
    return jobs.call(
            "stats-scan-lock",
            () ->
                jobs.client()
                    .send(
                        Request.cmd(Command.SET)
                            .arg(RedisKeys.STATS_SCAN_LOCK)
                            .arg(workerId)
                            .arg("NX")
                            .arg("PX")
                            .arg(hold.toMillis())))
        .map(answer -> answer != null);
  }

  private static Request hmget(String key, List<String> fields) {
    Request command = Request.cmd(Command.HMGET).arg(key);
    fields.forEach(command::arg);
    return command;
  }
}
