package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.Compression;
import dev.logmerge.merge.engine.MergeInput;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An input of a merge read from S3, pinned to the listed version of the object, in one of two ways
 * chosen per job by {@link #forJob}: one streaming GET per input, back-pressured ({@link
 * StreamedGetInputStream}), when the job has few enough inputs to hold a connection open for each;
 * otherwise sequential ranged GETs of one window each, one window ahead, with a cap on GETs in
 * flight ({@link RangedGetInputStream}). Either way the inputs of a job share its read-ahead
 * budget.
 */
public final class S3ObjectInput implements MergeInput {
  /**
   * Starts the ranged GETs of every job in this JVM. The SDK builds and signs a request on the
   * calling thread, which cost the merge thread about as much CPU as merging the window it fetches;
   * one daemon thread does it instead.
   */
  private static final Executor GET_STARTER =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "logmerge-s3-get-starter");
            thread.setDaemon(true);
            return thread;
          });

  private final S3AsyncClient client;
  private final LogObject object;
  private final int readAheadBytes;

  /** The job's cap on ranged GETs in flight; null when this input streams. */
  private final RequestLimiter limiter;

  private final RetryPolicy retry;
  private final String endpoint;

  /**
   * @param readAheadBytes the window of each ranged GET, or the bytes a stream may buffer
   * @param limiter the job's cap on ranged GETs in flight, or null to read by one streaming GET
   */
  S3ObjectInput(
      S3AsyncClient client,
      LogObject object,
      int readAheadBytes,
      RequestLimiter limiter,
      RetryPolicy retry) {
    if (readAheadBytes < 1) {
      throw new IllegalArgumentException("readAheadBytes must be positive, was " + readAheadBytes);
    }
    this.client = client;
    this.object = object;
    this.readAheadBytes = readAheadBytes;
    this.limiter = limiter;
    this.retry = retry;
    this.endpoint = S3Failures.endpointOf(client);
  }

  /**
   * The inputs of one job. Up to {@link InputReadSettings#maxStreamedInputs()} inputs each stream
   * through one GET and split the job's read-ahead budget equally; more inputs read by ranged GETs,
   * sharing one cap of {@link InputReadSettings#maxConcurrentGets()} GETs and splitting the budget
   * into two windows each. Streams hold their connections until read to the end, and a merge reads
   * all its inputs at once: streaming more inputs than the S3 client has connections would leave
   * some waiting for a connection that never frees.
   */
  public static List<S3ObjectInput> forJob(
      S3AsyncClient client, List<LogObject> objects, InputReadSettings settings) {
    if (objects.isEmpty()) {
      return List.of();
    }
    long budget = settings.readAheadBudgetBytes();
    if (objects.size() <= settings.maxStreamedInputs()) {
      int buffer = ReadAheadBudget.streamBufferBytes(budget, objects.size());
      return objects.stream()
          .map(o -> new S3ObjectInput(client, o, buffer, null, settings.retry()))
          .toList();
    }
    RequestLimiter limiter = new RequestLimiter(settings.maxConcurrentGets(), GET_STARTER);
    int window = ReadAheadBudget.windowBytes(budget, objects.size());
    return objects.stream()
        .map(o -> new S3ObjectInput(client, o, window, limiter, settings.retry()))
        .toList();
  }

  /** The listed object this input reads. */
  public LogObject object() {
    return object;
  }

  /** Bytes per ranged GET, or the bytes a stream buffers at most (plus the chunk arriving). */
  public int readAheadBytes() {
    return readAheadBytes;
  }

  /** Whether this input is read by one streaming GET rather than by ranged GETs. */
  public boolean streamed() {
    return limiter == null;
  }

  /**
   * The cap on GETs in flight this input shares with the other inputs of its job; null when
   * streamed.
   */
  RequestLimiter limiter() {
    return limiter;
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
   * fail with an {@link S3IoException} (transient ones after the retries), or {@link
   * java.io.InterruptedIOException} when the reading thread is interrupted.
   */
  @Override
  public InputStream open() {
    return streamed()
        ? new StreamedGetInputStream(client, object, readAheadBytes, retry, endpoint)
        : new RangedGetInputStream(client, object, readAheadBytes, limiter, retry, endpoint);
  }
}
