package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.MergeInput;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * An input of a merge read from S3 by sequential ranged GETs, one window ahead, pinned to the listed version of the
 * object. All inputs of one job share a cap on GETs in flight and a read-ahead budget: create them together with
 * {@link #forJob}.
 */
public final class S3ObjectInput implements MergeInput {
  /**
   * Starts the ranged GETs of every job in this JVM. The SDK builds and signs a request on the calling thread, which
   * cost the merge thread about as much CPU as merging the window it fetches; one daemon thread does it instead.
   */
  private static final Executor GET_STARTER = Executors.newSingleThreadExecutor(task -> {
    Thread thread = new Thread(task, "logmerge-s3-get-starter");
    thread.setDaemon(true);
    return thread;
  });

  private final S3AsyncClient client;
  private final InputObject object;
  private final int windowBytes;
  private final RequestLimiter limiter;
  private final RetryPolicy retry;
  private final String endpoint;

  S3ObjectInput(S3AsyncClient client, InputObject object, int windowBytes, RequestLimiter limiter, RetryPolicy retry) {
    if (windowBytes < 1) {
      throw new IllegalArgumentException("windowBytes must be positive, was " + windowBytes);
    }
    this.client = client;
    this.object = object;
    this.windowBytes = windowBytes;
    this.limiter = limiter;
    this.retry = retry;
    this.endpoint = S3Failures.endpointOf(client);
  }

  /**
   * The inputs of one job: they share one cap of {@link InputReadSettings#maxConcurrentGets()} GETs and split the
   * job's read-ahead budget into equal windows.
   */
  public static List<S3ObjectInput> forJob(S3AsyncClient client, List<InputObject> objects, InputReadSettings settings) {
    if (objects.isEmpty()) {
      return List.of();
    }
    RequestLimiter limiter = new RequestLimiter(settings.maxConcurrentGets(), GET_STARTER);
    int window = ReadAheadBudget.windowBytes(settings.readAheadBudgetBytes(), objects.size());
    return objects.stream().map(o -> new S3ObjectInput(client, o, window, limiter, settings.retry())).toList();
  }

  /** The listed object this input reads. */
  public InputObject object() {
    return object;
  }

  /** Bytes per ranged GET. */
  public int windowBytes() {
    return windowBytes;
  }

  /** The cap on GETs in flight this input shares with the other inputs of its job. */
  RequestLimiter limiter() {
    return limiter;
  }

  @Override
  public String name() {
    return object.key().key();
  }

  @Override
  public long size() {
    return object.size();
  }

  @Override
  public boolean gzip() {
    return object.key().gzip();
  }

  /**
   * A fresh stream from the first byte; it starts fetching the first window at once. Reads fail with an
   * {@link S3IoException} (transient ones after the retries), or {@link java.io.InterruptedIOException} when the
   * reading thread is interrupted.
   */
  @Override
  public InputStream open() {
    return new RangedGetInputStream(client, object, windowBytes, limiter, retry, endpoint);
  }
}
