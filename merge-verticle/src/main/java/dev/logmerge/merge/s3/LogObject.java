package dev.logmerge.merge.s3;

import java.time.Instant;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An input log file as listed in S3: where it is, how large, and which version of it a merge reads.
 *
 * @param etag the listed ETag (quoted, as S3 returns it), or null when the server reports none
 *     (S3Proxy does not for files dropped into its directory)
 * @param lastModified the listed modification time; pins the version when there is no ETag
 */
public record LogObject(
    String bucket, LogFileName name, long size, String etag, Instant lastModified) {
  public LogObject {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(lastModified, "lastModified");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, was " + size);
    }
  }

  /** The object's S3 key. */
  public String key() {
    return name.key();
  }

  /**
   * A GET of {@code range} ({@code bytes=a-b} or {@code bytes=a-}) pinned by {@code If-Match} to
   * the listed version.
   */
  GetObjectRequest get(String range) {
    return GetObjectRequest.builder().bucket(bucket).key(key()).range(range).ifMatch(etag).build();
  }

  /**
   * Whether a GET's response still describes the listed version, in case the server ignored {@code
   * If-Match} (or there is no ETag to match): same total size, and same ETag or, without one, same
   * modification time.
   */
  boolean isDescribedBy(GetObjectResponse response) {
    Long total = totalLength(response.contentRange());
    if (total != null && total != size) {
      return false;
    }
    if (etag != null) {
      return response.eTag() == null || unquoted(response.eTag()).equals(unquoted(etag));
    }
    return response.lastModified() == null || response.lastModified().equals(lastModified);
  }

  /** The total of {@code bytes a-b/total}, or null when absent or unknown ({@code *}). */
  private static Long totalLength(String contentRange) {
    if (contentRange == null) {
      return null;
    }
    int slash = contentRange.lastIndexOf('/');
    try {
      return slash < 0 ? null : Long.valueOf(contentRange.substring(slash + 1).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String unquoted(String etag) {
    return etag.replace("\"", "");
  }
}
