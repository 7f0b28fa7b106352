package dev.logmerge.merge.s3;

import dev.logmerge.merge.engine.ResultSinkFactory;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Opens a fresh {@link MultipartSink} writing one job's result to {@code bucket/key}, once per
 * merge attempt.
 */
public final class MultipartSinkFactory implements ResultSinkFactory {
  private final S3AsyncClient client;
  private final String bucket;
  private final String key;
  private final long expectedSizeHint;
  private final MultipartSinkSettings settings;

  /**
   * @param expectedSizeHint the result's likely size in bytes (e.g. the inputs' total), to choose
   *     the part size; 0 when unknown. A wrong hint costs efficiency, never correctness.
   */
  public MultipartSinkFactory(
      S3AsyncClient client,
      String bucket,
      String key,
      long expectedSizeHint,
      MultipartSinkSettings settings) {
    this.client = client;
    this.bucket = bucket;
    this.key = key;
    this.expectedSizeHint = expectedSizeHint;
    this.settings = settings;
  }

  @Override
  public MultipartSink open() {
    return new MultipartSink(client, bucket, key, expectedSizeHint, settings);
  }
}
