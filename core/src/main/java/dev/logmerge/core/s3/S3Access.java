package dev.logmerge.core.s3;

import dev.logmerge.core.config.LogmergeConfig;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Where and as whom this JVM reaches S3: endpoint, addressing style, region and credentials. The S3
 * client and the presigner are both built from it, so a presigned URL always points where the
 * client would send.
 *
 * @param endpointOverride null for AWS's regional endpoint
 */
record S3Access(URI endpointOverride, Region region, AwsCredentialsProvider credentials) {
  static S3Access of(LogmergeConfig config) {
    return new S3Access(
        config.s3Endpoint(),
        Region.of(config.s3Region()),
        StaticCredentialsProvider.create(
            AwsBasicCredentials.create(config.s3AccessKey(), config.s3SecretKey())));
  }

  /**
   * Path-style addressing (the bucket in the path): MinIO and S3Proxy have no per-bucket host
   * names.
   */
  S3Configuration serviceConfiguration() {
    return S3Configuration.builder().pathStyleAccessEnabled(true).build();
  }
}
