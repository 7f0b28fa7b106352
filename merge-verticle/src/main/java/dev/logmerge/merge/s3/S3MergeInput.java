package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.Compression;
import dev.logmerge.merge.engine.MergeInput;
import java.io.InputStream;
import java.util.List;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * A {@link LogObject} as a merge reads it: one back-pressured streaming GET ({@link StreamedGet}),
 * buffering the input's share of the job's read-ahead budget.
 */
public final class S3MergeInput implements MergeInput {
  private final S3AsyncClient client;
  private final S3Failures failures;
  private final LogObject object;
  private final int bufferBytes;

  private S3MergeInput(
      S3AsyncClient client, S3Failures failures, LogObject object, int bufferBytes) {
    this.client = client;
    this.failures = failures;
    this.object = object;
    this.bufferBytes = bufferBytes;
  }

  /**
   * The inputs of one job (or of one group of a multi-pass merge), which split its read-ahead
   * budget equally.
   *
   * @throws IllegalArgumentException for more than {@link InputReadSettings#maxStreamedInputs()}
   *     objects: a merge reads all its inputs at once, and each stream holds a connection until
   *     read to the end, so more streams than the S3 client has connections for would leave some
   *     waiting for a connection that never frees. Larger jobs are merged in groups by {@code
   *     MultiPassMerge}.
   */
  public static List<S3MergeInput> forJob(
      S3AsyncClient client, List<LogObject> objects, InputReadSettings settings) {
    if (objects.size() > settings.maxStreamedInputs()) {
      throw new IllegalArgumentException(
          "cannot stream "
              + objects.size()
              + " inputs at once, at most "
              + settings.maxStreamedInputs()
              + ": merge more in groups (MultiPassMerge)");
    }
    if (objects.isEmpty()) {
      return List.of();
    }
    S3Failures failures = S3Failures.of(client);
    int buffer = ReadAheadBudget.streamBufferBytes(settings.readAheadBudgetBytes(), objects.size());
    return objects.stream().map(o -> new S3MergeInput(client, failures, o, buffer)).toList();
  }

  /** The bytes the stream buffers at most (plus the chunk arriving). */
  public int readAheadBytes() {
    return bufferBytes;
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
   * A fresh stream from the first byte; it starts its GET at once. Reads fail with an {@link
   * S3IoException}, or {@link java.io.InterruptedIOException} when the reading thread is
   * interrupted.
   */
  @Override
  public InputStream open() {
    return new ChunkInputStream(
        object.key(), new StreamedGet(client, object, bufferBytes, failures));
  }
}
