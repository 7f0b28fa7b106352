package dev.logmerge.merge.s3;

/**
 * The part sizes of one result's multipart upload: the expected size spread over 9,000 parts, but
 * no less than the minimum, doubled every 1,000 parts, so a result larger than expected still fits
 * in S3's 10,000 parts.
 *
 * @param firstPartBytes the size of the first 1,000 parts
 */
record PartSizing(int firstPartBytes) {
  /** Java arrays hold parts; over 1 GiB per buffer would not fit a merge worker's memory anyway. */
  static final int MAX_PART_BYTES = 1 << 30;

  /** S3's limit. */
  static final int MAX_PARTS = 10_000;

  /** The expected size takes this many parts, leaving the rest for a wrong estimate. */
  private static final int PLANNED_PARTS = 9_000;

  private static final int PARTS_PER_SIZE_STEP = 1_000;

  /**
   * @param expectedSizeHint the result's likely size in bytes; 0 when unknown
   */
  static PartSizing forExpectedSize(int minPartBytes, long expectedSizeHint) {
    long spread = Math.max(0, expectedSizeHint) / PLANNED_PARTS + 1;
    return new PartSizing((int) Math.min(MAX_PART_BYTES, Math.max(minPartBytes, spread)));
  }

  /** The size of part {@code partNumber} (from 1), up to {@link #MAX_PART_BYTES}. */
  int bytesOfPart(int partNumber) {
    int doublings = Math.min((partNumber - 1) / PARTS_PER_SIZE_STEP, 30);
    return (int) Math.min(MAX_PART_BYTES, (long) firstPartBytes << doublings);
  }
}
