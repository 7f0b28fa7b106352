package dev.logmerge.core.s3;

import dev.logmerge.core.config.LogmergeConfig;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * Builds the one non-blocking S3 client of a JVM, with settings that work against AWS, MinIO and
 * S3Proxy. Its futures complete on SDK threads: callers hop back onto their Vert.x context before
 * touching state. Closing it takes about two seconds, so share one per JVM.
 *
 * <p>The client retries each request that fails transiently (connection refused, reset or timed
 * out, 5xx, throttling), as {@link RequestRetries} say; callers do not retry requests again. A
 * response body that fails after its headers arrived is not retried by the SDK when the caller
 * takes the body as a stream: resuming it is the caller's business.
 */
public final class S3ClientFactory {
  /** Connections for a client that sends single requests, none of them held open long. */
  public static final int REQUEST_CONNECTIONS = 128;

  private S3ClientFactory() {}

  /** A client with {@link #REQUEST_CONNECTIONS} connections and the default retries. */
  public static S3AsyncClient create(LogmergeConfig config) {
    return create(config, REQUEST_CONNECTIONS, RequestRetries.DEFAULT);
  }

  /**
   * @param maxConnections connections to S3 at most; requests beyond wait for one
   */
  public static S3AsyncClient create(
      LogmergeConfig config, int maxConnections, RequestRetries retries) {
    S3Access access = S3Access.of(config);
    var builder =
        S3AsyncClient.builder()
            .httpClientBuilder(
                NettyNioAsyncHttpClient.builder()
                    .maxConcurrency(maxConnections)
                    .maxPendingConnectionAcquires(100_000)
                    // the pool has a connection for every request a merge holds, so a wait for
                    // one is short; and the SDK (2.57) loses the failure of a connection refused
                    // in about 5 % of acquires, which then end only at this timeout (retried below)
                    .connectionAcquisitionTimeout(RequestRetries.ACQUIRE_TIMEOUT)
                    .connectionTimeout(RequestRetries.CONNECT_TIMEOUT)
                    .readTimeout(RequestRetries.READ_TIMEOUT)
                    .writeTimeout(RequestRetries.READ_TIMEOUT))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(retries.maxAttempts())
                            .backoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    retries.baseDelay(), retries.maxDelay()))
                            .throttlingBackoffStrategy(
                                BackoffStrategy.exponentialDelay(
                                    retries.baseDelay().multipliedBy(5), retries.maxDelay()))
                            // a retry quota shared by all requests would fail a job's reads at
                            // random under an outage; the job's own retries bound the load
                            .circuitBreakerEnabled(false)
                            // an acquire that timed out (above) is worth another attempt
                            .retryOnRootCauseInstanceOf(TimeoutException.class)
                            .build()))
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
