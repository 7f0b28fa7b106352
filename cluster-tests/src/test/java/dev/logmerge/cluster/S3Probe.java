package dev.logmerge.cluster;

import dev.logmerge.core.config.LogmergeConfig;
import dev.logmerge.core.s3.S3ClientFactory;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Looks at the results bucket through the S3 API, the way the product and its users see it. */
public final class S3Probe implements AutoCloseable {
  private final S3AsyncClient s3;
  private final String bucket;

  S3Probe(String endpoint, String bucket) {
    this.s3 = S3ClientFactory.create(LogmergeConfig.fromEnvNames(Map.of("S3_ENDPOINT", endpoint)));
    this.bucket = bucket;
  }

  /** Multipart uploads started and neither completed nor aborted, for keys under the prefix. */
  public List<MultipartUpload> openUploads(String keyPrefix) {
    return s3.listMultipartUploads(b -> b.bucket(bucket).prefix(keyPrefix)).join().uploads();
  }

  /** Objects whose keys start with the prefix. */
  public List<S3Object> objects(String keyPrefix) {
    return s3.listObjectsV2(b -> b.bucket(bucket).prefix(keyPrefix)).join().contents();
  }

  @Override
  public void close() {
    s3.close();
  }
}
