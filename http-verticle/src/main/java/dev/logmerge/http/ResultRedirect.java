package dev.logmerge.http;

import dev.logmerge.core.job.JobResult;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where a client fetches a finished job's merged file itself: a SigV4 presigned GET URL on the S3
 * endpoint clients reach ({@code S3_PUBLIC_ENDPOINT}). The URL makes S3 answer with the headers a
 * relayed download has ({@code Content-Type}, {@code Content-Disposition}); S3 serves ranges and
 * conditional requests itself, so the file's bytes never pass through this server.
 */
final class ResultRedirect {
  /**
   * The client follows the redirect at once, and S3 checks expiry only when a request starts (a
   * long download is not cut): a short life only limits what a leaked URL gives away. Minutes, not
   * seconds, so that a clock of S3 a little ahead of this host's does not refuse a fresh URL.
   */
  static final Duration URL_VALIDITY = Duration.ofMinutes(5);

  private final S3Presigner presigner;

  /**
   * @param presigner signs for the endpoint clients reach, with the credentials of this server
   */
  ResultRedirect(S3Presigner presigner) {
    this.presigner = presigner;
  }

  /** A URL that GETs the result, valid for {@link #URL_VALIDITY}. */
  URI locationOf(JobResult result, String contentDisposition) {
    return URI.create(
        presigner
            .presignGetObject(
                p ->
                    p.signatureDuration(URL_VALIDITY)
                        .getObjectRequest(
                            r ->
                                r.bucket(result.bucket())
                                    .key(result.key())
                                    .responseContentType(ResultResponder.CONTENT_TYPE)
                                    .responseContentDisposition(contentDisposition)))
            .url()
            .toString());
  }
}
