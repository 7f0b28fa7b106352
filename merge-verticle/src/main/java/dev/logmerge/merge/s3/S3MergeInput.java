package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.Compression;
import dev.logmerge.merge.engine.MergeInput;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A {@link LogObject} as a merge reads it, in one of two ways chosen per job by {@link #forJob}:
 * one back-pressured streaming GET per input ({@link StreamedGet}) when the job has few enough
 * inputs to hold a connection open for each; otherwise sequential ranged GETs of one window each
 * ({@link RangedGets}), under one cap on GETs in flight per job. Either way the inputs of a job
 * share its read-ahead budget.
 */
public final class S3MergeInput implements MergeInput {
  /**
   * Starts the ranged GETs of every job in this JVM: the SDK builds and signs a request on the
   * calling thread, CPU that the merge thread, which waits for the window, should not spend.
   */
  private static final Executor GET_STARTER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "logmerge-s3-get-starter");
            thread.setDaemon(true);
            return thread;
          });

  private final S3AsyncClient client;
  private final S3Failures failures;
  private final LogObject object;
  private final int readAheadBytes;

  /** The job's cap on ranged GETs in flight; null when this input streams. */
  private final RequestLimiter limiter;

  private S3MergeInput(
      S3AsyncClient client,
      S3Failures failures,
      LogObject object,
      int readAheadBytes,
      RequestLimiter limiter) {
    this.client = client;
    this.failures = failures;
    this.object = object;
    this.readAheadBytes = readAheadBytes;
    this.limiter = limiter;
  }

  /**
   * The inputs of one job. Up to {@link InputReadSettings#maxStreamedInputs()} inputs each stream
   * through one GET and split the job's read-ahead budget equally; more inputs read by ranged GETs,
   * sharing one cap of {@link InputReadSettings#maxConcurrentGets()} GETs and splitting the budget
   * into two windows each. Streams hold their connections until read to the end, and a merge reads
   * all its inputs at once: streaming more inputs than the S3 client has connections would leave
   * some waiting for a connection that never frees.
   */
  public static List<S3MergeInput> forJob(
      S3AsyncClient client, List<LogObject> objects, InputReadSettings settings) {
    if (objects.isEmpty()) {
      return List.of();
    }
    S3Failures failures = S3Failures.of(client);
    long budget = settings.readAheadBudgetBytes();
    if (objects.size() <= settings.maxStreamedInputs()) {
      int buffer = ReadAheadBudget.streamBufferBytes(budget, objects.size());
      return objects.stream()
          .map(o -> new S3MergeInput(client, failures, o, buffer, null))
          .toList();
    }
    RequestLimiter limiter = new RequestLimiter(settings.maxConcurrentGets(), GET_STARTER);
    int window = ReadAheadBudget.windowBytes(budget, objects.size());
    return objects.stream()
        .map(o -> new S3MergeInput(client, failures, o, window, limiter))
        .toList();
  }

  /** Bytes per ranged GET, or the bytes a stream buffers at most (plus the chunk arriving). */
  public int readAheadBytes() {
    return readAheadBytes;
  }

  @Override
  public String name() {
    return object.key();
  }

  @Override
  public long size() {
    return object.size();
  }

  @Override
  public Compression compression() {
    return object.name().compression();
  }

  /**
   * A fresh stream from the first byte; it starts its GET (or the first window's) at once. Reads
   * fail with an {@link S3IoException}, or {@link java.io.InterruptedIOException} when the reading
   * thread is interrupted.
   */
  @Override
  public InputStream open() {
    ChunkInputStream.Source source =
        limiter == null
            ? new StreamedGet(client, object, readAheadBytes, failures)
            : new RangedGets(client, object, readAheadBytes, limiter, failures);
    return new ChunkInputStream(object.key(), source);
  }
}
