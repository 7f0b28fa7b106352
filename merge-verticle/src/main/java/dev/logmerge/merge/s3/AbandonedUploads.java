package dev.logmerge.merge.s3;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * Multipart uploads of a result key that an earlier holder of the job started and never finished: a
 * worker killed mid-merge cannot abort its own upload, so the next holder does, before it starts
 * its own. Only the job's holder writes its key (a lease guards it), so every other open upload of
 * that key is abandoned.
 */
public final class AbandonedUploads {
  private AbandonedUploads() {}

  /**
   * Aborts every open multipart upload of exactly this key; completes with how many were aborted.
   */
  public static CompletableFuture<Integer> abort(S3AsyncClient s3, String bucket, String key) {
    // a job's key has a handful of uploads at most (one per earlier attempt): one listing page
    // holds them
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(key))
        .thenCompose(
            listing -> {
              List<MultipartUpload> abandoned =
                  listing.uploads().stream().filter(upload -> upload.key().equals(key)).toList();
              CompletableFuture<?>[] aborts =
                  abandoned.stream()
                      .map(
                          upload ->
                              s3.abortMultipartUpload(
                                  b -> b.bucket(bucket).key(key).uploadId(upload.uploadId())))
                      .toArray(CompletableFuture[]::new);
              return CompletableFuture.allOf(aborts).thenApply(done -> abandoned.size());
            });
  }
}
