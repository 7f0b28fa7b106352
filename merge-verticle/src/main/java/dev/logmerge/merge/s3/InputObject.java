package dev.logmerge.merge.s3;

import java.time.Instant;
import java.util.Objects;

/**
 * An input file as listed: where it is and which version of it the merge reads.
 *
 * @param etag         the listed ETag (quoted, as S3 returns it), or null when the server reports none (S3Proxy does
 *                     not for files dropped into its directory)
 * @param lastModified the listed modification time; pins the version when there is no ETag
 */
public record InputObject(String bucket, InputKey key, long size, String etag, Instant lastModified) {
  public InputObject {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
  }
}
