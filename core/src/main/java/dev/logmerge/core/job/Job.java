package dev.logmerge.core.job;

import static dev.logmerge.core.job.JobFields.*;

import dev.logmerge.core.DateRange;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of one job as stored in Redis.
 *
 * @param range the days to merge, or (a {@link JobKind#STATS} job) to index
 * @param startedAt first claim, null while never claimed
 * @param finishedAt null until DONE, FAILED or CANCELLED
 * @param worker the worker holding (or, once final, last holding) the job; null while queued
 * @param leaseUntil null unless RUNNING
 * @param result null unless DONE
 * @param cached whether the job got its result without a merge of its own: remembered from an
 *     earlier merge of the same inputs, or shared with a job merging them at the same time
 * @param cancelledAt when a client cancelled the job; null unless CANCELLED
 * @param failure the failure when FAILED; the last attempt's failure while queued for a retry; else
 *     null
 */
public record Job(
    String id,
    JobKind kind,
    DateRange range,
    JobState state,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    int attempts,
    String worker,
    Instant leaseUntil,
    JobProgress progress,
    JobResult result,
    boolean cached,
    Instant cancelledAt,
    JobFailure failure) {

  /** Reads the hash fields of {@code job:{id}}. */
  static Job fromHash(Map<String, String> hash) {
    JobState state = JobState.valueOf(hash.get(STATE));
    JobKind kind = JobKind.fromCode(hash.get(KIND));
    JobResult result = state == JobState.DONE && kind == JobKind.MERGE ? resultOf(hash) : null;
    JobFailure failure =
        hash.containsKey(ERROR_CODE)
            ? new JobFailure(
                FailureCode.fromCode(hash.get(ERROR_CODE)), hash.getOrDefault(ERROR_MESSAGE, ""))
            : null;
    return new Job(
        hash.get(ID),
        kind,
        DateRange.parse(hash.get(START_DATE), hash.get(END_DATE)),
        state,
        instantOf(hash, CREATED_AT),
        instantOf(hash, UPDATED_AT),
        instantOf(hash, STARTED_AT),
        instantOf(hash, FINISHED_AT),
        (int) longOf(hash, ATTEMPTS),
        hash.get(WORKER),
        instantOf(hash, LEASE_UNTIL),
        new JobProgress(
            (int) longOf(hash, INPUTS_TOTAL),
            (int) longOf(hash, INPUTS_DONE),
            longOf(hash, BYTES_TOTAL),
            longOf(hash, BYTES_READ),
            longOf(hash, LINES_WRITTEN)),
        result,
        "1".equals(hash.get(CACHED)),
        instantOf(hash, CANCELLED_AT),
        failure);
  }

  /** The result fields of a job hash, or of a remembered result ({@code result:{fingerprint}}). */
  static JobResult resultOf(Map<String, String> hash) {
    return new JobResult(
        hash.get(RESULT_BUCKET),
        hash.get(RESULT_KEY),
        longOf(hash, RESULT_SIZE),
        hash.get(RESULT_ETAG));
  }

  private static long longOf(Map<String, String> hash, String field) {
    String value = hash.get(field);
    return value == null ? 0 : Long.parseLong(value);
  }

  private static Instant instantOf(Map<String, String> hash, String field) {
    String value = hash.get(field);
    return value == null ? null : Instant.ofEpochMilli(Long.parseLong(value));
  }

  /**
   * The public JSON view (used by {@code /status} and the 202 answers of {@code /download}). The
   * worker id stays in Redis for operators: it names hosts and processes, which clients have no use
   * for.
   */
  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("download_id", id)
            .put("kind", kind.code())
            .put("state", state.name())
            .put("start_date", range.start().toString())
            .put("end_date", range.end().toString())
            .put("attempts", attempts)
            .put("progress", progress.toJson())
            .put("created_at", createdAt.toString())
            .put("updated_at", updatedAt.toString());
    putIfPresent(json, "started_at", startedAt);
    putIfPresent(json, "finished_at", finishedAt);
    putIfPresent(json, "cancelled_at", cancelledAt);
    if (result != null) {
      json.put("result", new JsonObject().put("size", result.size()).put("etag", result.etag()));
      json.put("cached", cached);
    }
    if (failure != null) {
      // while a job waits for a retry, its failure is history, not the verdict
      json.put(
          state == JobState.FAILED ? "error" : "last_error",
          new JsonObject().put("code", failure.code().code()).put("message", failure.message()));
    }
    return json;
  }

  private static void putIfPresent(JsonObject json, String name, Instant instant) {
    if (instant != null) {
      json.put(name, instant.toString());
    }
  }
}
