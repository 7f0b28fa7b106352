package dev.logmerge.merge;

import dev.logmerge.core.DateRange;
import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.job.JobResult;
import dev.logmerge.merge.engine.Closeables;
import dev.logmerge.merge.engine.MergeEngine;
import dev.logmerge.merge.engine.MergeOutcome;
import dev.logmerge.merge.engine.MergeProgress;
import dev.logmerge.merge.engine.MultiPassMerge;
import dev.logmerge.merge.engine.ResultSinkFactory;
import dev.logmerge.merge.s3.AbandonedUploads;
import dev.logmerge.merge.s3.InputReadSettings;
import dev.logmerge.merge.s3.InputSelector;
import dev.logmerge.merge.s3.LogObject;
import dev.logmerge.merge.s3.MultipartSink;
import dev.logmerge.merge.s3.MultipartSinkSettings;
import dev.logmerge.merge.s3.ResultsBucket;
import dev.logmerge.merge.s3.S3MergeInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The merge engine wired to S3: finds the log files of a date range in the logs bucket and merges
 * them into {@code <job id>.log} in the results bucket, with the memory the configuration allows.
 */
final class S3Merger {
  private static final Logger LOG = LoggerFactory.getLogger(S3Merger.class);
  private static final int CURSOR_BUFFER_BYTES = 4 * 1024;

  private final Vertx vertx;
  private final LogmergeConfig config;
  private final S3AsyncClient s3;
  private final InputSelector selector;
  private final Runnable partStored;

  /**
   * @param partStored told each time S3 has stored a part of a result
   */
  S3Merger(Vertx vertx, LogmergeConfig config, S3AsyncClient s3, Runnable partStored) {
    this.vertx = vertx;
    this.config = config;
    this.s3 = s3;
    this.selector = new InputSelector(s3);
    this.partStored = partStored;
  }

  String logsBucket() {
    return config.logsBucket();
  }

  /** Whether jobs of the same inputs share one merge's result ({@code RESULT_CACHE}). */
  boolean sharesResults() {
    return config.resultCache();
  }

  /** Creates the results bucket if it is missing; completes on the caller's context. */
  Future<Void> prepareResultsBucket() {
    return Future.fromCompletionStage(
        ResultsBucket.ensureExists(s3, config.resultsBucket()), vertx.getOrCreateContext());
  }

  /** Whether a remembered result is still stored as recorded; completes on the caller's context. */
  Future<Boolean> holds(JobResult result) {
    return Future.fromCompletionStage(ResultsBucket.holds(s3, result), vertx.getOrCreateContext());
  }

  /**
   * Deletes the result object a merge of this job stores, if there is one; completes on the
   * caller's context.
   */
  Future<Void> deleteResultOf(String jobId) {
    return Future.fromCompletionStage(
        ResultsBucket.delete(s3, new JobResult(config.resultsBucket(), resultKey(jobId), 0, null)),
        vertx.getOrCreateContext());
  }

  /** Deletes a result no job may serve; completes on the caller's context. */
  Future<Void> delete(JobResult result) {
    return Future.fromCompletionStage(ResultsBucket.delete(s3, result), vertx.getOrCreateContext());
  }

  /** The input files of the range, in merge order; completes on the caller's context. */
  Future<List<LogObject>> selectInputs(DateRange range) {
    return Future.fromCompletionStage(
        selector.select(config.logsBucket(), range), vertx.getOrCreateContext());
  }

  /**
   * Merges the inputs into {@code <job id>.log} in the results bucket. Blocks: call it on a merge
   * thread. Memory: the read-ahead budget shared by the inputs read at once (all of them, or a
   * group of {@code MERGE_GROUP_SIZE} when there are more than {@code MERGE_FAN_IN}: see {@link
   * MultiPassMerge}), a 4 KiB line buffer per input (more only for longer lines), and the sink's
   * part buffers (three of 5 MiB by default).
   */
  MergeOutcome merge(String jobId, List<LogObject> inputs, MergeProgress progress)
      throws IOException {
    InputReadSettings reading = InputReadSettings.defaults(config.mergeReadAhead());
    // the S3 stream buffers (16 KiB at least) are the read-ahead; the cursors only need
    // room for a few lines, and grow for longer ones. An unsorted input is sorted in runs of half
    // the read-ahead budget: the same memory knob bounds both
    MultiPassMerge merge =
        new MultiPassMerge(
            new MergeEngine.Settings(
                CURSOR_BUFFER_BYTES, config.spillDir(), config.mergeReadAhead() / 2),
            config.mergeFanIn(),
            config.mergeGroupSize(),
            config.mergeReadAhead());
    if (merge.needsPasses(inputs.size())) {
      LOG.info(
          "job {}: {} inputs, more than MERGE_FAN_IN ({}): merging groups of {} into runs under {}"
              + " first",
          jobId,
          inputs.size(),
          config.mergeFanIn(),
          config.mergeGroupSize(),
          config.spillDir());
    }
    long sizeHint = inputs.stream().mapToLong(LogObject::size).sum();
    abortAbandonedUploads(resultKey(jobId));
    ResultSinkFactory sinks =
        MultipartSink.factory(
            s3,
            config.resultsBucket(),
            resultKey(jobId),
            sizeHint,
            MultipartSinkSettings.defaults(),
            partStored);
    return merge.merge(inputs, group -> S3MergeInput.forJob(s3, group, reading), sinks, progress);
  }

  /** What {@link #readEach} calls with each input's decoded bytes. */
  interface LinesReader {
    void read(LogObject input, InputStream lines) throws IOException;
  }

  /**
   * Reads the inputs one after the other, each decoded, its raw bytes counted in {@code progress}.
   * The next input's GET streams while one is read, so its first byte and transfer overlap the
   * reading; the two share the job's read-ahead budget. Blocks on reads: call it on a merge thread.
   */
  void readEach(List<LogObject> inputs, MergeProgress progress, LinesReader reader)
      throws IOException {
    InputReadSettings reading = InputReadSettings.defaults(config.mergeReadAhead() / 2);
    InputStream next = null;
    try {
      for (int i = 0; i < inputs.size(); i++) {
        InputStream current = next != null ? next : openLines(inputs.get(i), reading, progress);
        next = null;
        try (InputStream lines = current) {
          if (i + 1 < inputs.size()) {
            next = openLines(inputs.get(i + 1), reading, progress);
          }
          reader.read(inputs.get(i), lines);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (next != null) {
        Closeables.closeAllAfter(e, List.of(next));
      }
      throw e;
    }
  }

  private InputStream openLines(LogObject input, InputReadSettings reading, MergeProgress progress)
      throws IOException {
    return MergeEngine.openLines(S3MergeInput.forJob(s3, List.of(input), reading).get(0), progress);
  }

  private static String resultKey(String jobId) {
    return jobId + ".log";
  }

  /**
   * Removes the uploads an earlier attempt left open (its worker was killed, or its abort failed),
   * so they do not hold storage forever. Best effort: a store that cannot list uploads still gets
   * the merge.
   */
  private void abortAbandonedUploads(String key) throws InterruptedIOException {
    try {
      int aborted = AbandonedUploads.abort(s3, config.resultsBucket(), key).get();
      if (aborted > 0) {
        LOG.info(
            "aborted {} multipart upload(s) of {}/{} left open by an earlier attempt",
            aborted,
            config.resultsBucket(),
            key);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("cancelled while cleaning up earlier uploads of " + key);
    } catch (ExecutionException e) {
      LOG.warn(
          "could not look for multipart uploads of {}/{} left open by earlier attempts: {}",
          config.resultsBucket(),
          key,
          e.getCause().toString());
    }
  }
}
