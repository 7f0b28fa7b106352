package dev.logmerge.merge.s3;

/**
 * How a {@link MultipartSink} uploads.
 *
 * @param minPartBytes the smallest part size (S3 accepts 5 MiB or more for every part but the last)
 * @param maxPartsInFlight parts uploading at once; the sink holds at most one more part buffer than
 *     this
 */
public record MultipartSinkSettings(int minPartBytes, int maxPartsInFlight) {
  /** S3's smallest allowed part (every part but the last). */
  public static final int S3_MIN_PART_BYTES = 5 * 1024 * 1024;

  /** S3's minimum: part buffers are most of a merge's heap, and larger parts upload no faster. */
  public static final int DEFAULT_MIN_PART_BYTES = S3_MIN_PART_BYTES;

  public static final int DEFAULT_MAX_PARTS_IN_FLIGHT = 2;

  public MultipartSinkSettings {
    if (minPartBytes < S3_MIN_PART_BYTES || minPartBytes > PartSizing.MAX_PART_BYTES) {
      throw new IllegalArgumentException(
          "minPartBytes must be between "
              + S3_MIN_PART_BYTES
              + " and "
              + PartSizing.MAX_PART_BYTES
              + ", was "
              + minPartBytes);
    }
    if (maxPartsInFlight < 1) {
      throw new IllegalArgumentException(
          "maxPartsInFlight must be at least 1, was " + maxPartsInFlight);
    }
  }

  /** 5 MiB parts at least, 2 uploading at once. */
  public static MultipartSinkSettings defaults() {
    return new MultipartSinkSettings(DEFAULT_MIN_PART_BYTES, DEFAULT_MAX_PARTS_IN_FLIGHT);
  }
}
