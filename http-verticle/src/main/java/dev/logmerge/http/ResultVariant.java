package dev.logmerge.http;

import dev.logmerge.core.job.JobResult;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Which form of a merged file a download gets, and which part: the stored bytes as they are
 * (identity), whole or one range, or the whole file gzip-encoded on the fly. Each form has its own
 * entity tag, so that a conditional request is compared with the form it would get (RFC 9110
 * §8.8.3).
 *
 * <p>A range is always served from the identity form: ranges of the gzip form would need all the
 * bytes before them compressed first, and RFC 9110 lets a server pick the form it sends. A client
 * resuming a compressed download therefore gets the rest of the plain file, which is what its
 * decompressed copy on disk holds.
 *
 * @param etag the tag of the chosen form
 * @param range what of it to send
 * @param gzip whether the body is gzip-encoded
 */
record ResultVariant(EntityTag etag, RangeRequest range, boolean gzip) {
  // not among Vert.x's HttpHeaders constants
  static final String RANGE = "Range";
  private static final String IF_RANGE = "If-Range";

  /**
   * The form a request gets.
   *
   * @param gzipOffered whether this server may answer gzip-encoded at all
   */
  static ResultVariant of(HttpServerRequest request, JobResult result, boolean gzipOffered) {
    EntityTag identity = EntityTag.of(result.etag());
    // an If-Range naming the gzip form (or an older file) does not match: the range is ignored
    RangeRequest range =
        identity.allowsRange(request.getHeader(IF_RANGE))
            ? RangeRequest.of(request.getHeader(RANGE), result.size())
            : new RangeRequest.Whole();
    boolean gzip =
        gzipOffered
            && range instanceof RangeRequest.Whole
            && AcceptEncoding.allowsGzip(request.getHeader(HttpHeaders.ACCEPT_ENCODING));
    return new ResultVariant(gzip ? identity.gzipVariant() : identity, range, gzip);
  }

  /** A fresh encoder for one body of this form. */
  BodyEncoder encoder() {
    return gzip ? new GzipEncoder() : BodyEncoder.IDENTITY;
  }
}
