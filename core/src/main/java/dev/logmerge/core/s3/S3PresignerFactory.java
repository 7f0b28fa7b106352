package dev.logmerge.core.s3;

import dev.logmerge.core.config.LogmergeConfig;
import java.net.URI;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Builds a presigner for SigV4 presigned URLs to the same S3 as {@link S3ClientFactory}'s client,
 * so a plain HTTP client can fetch an object without the SDK. Presigning is local computation (no
 * network, no threads); the presigner is cheap to build and to close.
 */
public final class S3PresignerFactory {
  private S3PresignerFactory() {}

  /** URLs to {@code S3_ENDPOINT}: for this JVM's own requests. */
  public static S3Presigner create(LogmergeConfig config) {
    return create(S3Access.of(config), config.s3Endpoint());
  }

  /**
   * URLs to {@code S3_PUBLIC_ENDPOINT}, the same S3 as clients reach it: for handing out. SigV4
   * signs the host, so the URL works only where it names the host S3 sees.
   *
   * @throws IllegalStateException when {@code S3_PUBLIC_ENDPOINT} is unset
   */
  public static S3Presigner forClients(LogmergeConfig config) {
    if (config.s3PublicEndpoint() == null) {
      throw new IllegalStateException("S3_PUBLIC_ENDPOINT is unset: clients have no S3 to reach");
    }
    return create(S3Access.of(config), config.s3PublicEndpoint());
  }

  private static S3Presigner create(S3Access access, URI endpoint) {
    var builder =
        S3Presigner.builder()
            .region(access.region())
            .credentialsProvider(access.credentials())
            .serviceConfiguration(access.serviceConfiguration());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }
}
