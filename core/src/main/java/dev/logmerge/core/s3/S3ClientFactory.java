package dev.logmerge.core.s3;

import dev.logmerge.core.config.LogmergeConfig;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Builds the one non-blocking S3 client of a JVM, with settings that work against AWS, MinIO and
 * S3Proxy. Its futures complete on SDK threads: callers hop back onto their Vert.x context before
 * touching state. Closing it takes about two seconds, so share one per JVM.
 */
public final class S3ClientFactory {
  /**
   * The most inputs a merge job reads by one streaming GET each. A stream holds its connection
   * until its input is read to the end, and a merge reads all its inputs at once, so the client has
   * a connection for each stream of every job the JVM runs at once ({@code MERGE_SLOTS}), on top of
   * those for other requests.
   */
  public static final int STREAMED_INPUTS_PER_JOB = 512;

  /**
   * Connections for everything but streams: ranged GETs of jobs with more inputs, listings, part
   * uploads.
   */
  private static final int REQUEST_CONNECTIONS = 128;

  private S3ClientFactory() {}

  public static S3AsyncClient create(LogmergeConfig config) {
    S3Access access = S3Access.of(config);
    var builder =
        S3AsyncClient.builder()
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(
                        config.mergeSlots() * STREAMED_INPUTS_PER_JOB + REQUEST_CONNECTIONS)
                    .maxPendingConnectionAcquires(100_000)
                    .connectionAcquisitionTimeout(Duration.ofSeconds(60))
                    .connectionTimeout(Duration.ofSeconds(5))
                    .readTimeout(Duration.ofSeconds(60))
                    .writeTimeout(Duration.ofSeconds(60)))
            .region(access.region())
            .credentialsProvider(access.credentials())
            .serviceConfiguration(access.serviceConfiguration())
            // SDK >= 2.30 sends aws-chunked CRC trailers by default; S3-compatible servers may
            // reject them
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (access.endpointOverride() != null) {
      builder.endpointOverride(access.endpointOverride());
    }
    return builder.build();
  }
}
