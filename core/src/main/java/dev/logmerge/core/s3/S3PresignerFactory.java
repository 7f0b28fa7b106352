package dev.logmerge.core.s3;

import dev.logmerge.core.config.LogmergeConfig;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds a presigner for SigV4 presigned URLs to the same S3 as {@link S3ClientFactory}'s client,
 * so a plain HTTP client can fetch an object without the SDK. Presigning is local computation (no
 * network, no threads); the presigner is cheap to build and to close.
 */
public final class S3PresignerFactory {
  private S3PresignerFactory() {}

  public static S3Presigner create(LogmergeConfig config) {
    S3Access access = S3Access.of(config);
    var builder =
        S3Presigner.builder()
            .region(access.region())
            .credentialsProvider(access.credentials())
            .serviceConfiguration(access.serviceConfiguration());
    if (access.endpointOverride() != null) {
      builder.endpointOverride(access.endpointOverride());
    }
    return builder.build();
  }
}
