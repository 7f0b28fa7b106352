package dev.logmerge.http;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;

/**
 * How the HTTP verticle's own client fetches results from S3: its connection pool and the timeouts
 * that turn a dead or hung S3 into a prompt 502 (or, once the body flows, a reset download) instead
 * of a hang.
 *
 * @param connectTimeout to get a connection: from the pool, or a new one (TCP and TLS)
 * @param headersTimeout from sending the request to S3's status line and headers
 * @param bodyIdleTimeout the longest the body may stall once it flows; a client that reads nothing
 *     for this long stalls it too (the body waits for the client), and loses its download
 * @param maxConnections S3 connections of one verticle instance: downloads in flight at once; more
 *     wait for a connection up to {@code connectTimeout}
 */
record S3FetchSettings(
    Duration connectTimeout,
    Duration headersTimeout,
    Duration bodyIdleTimeout,
    int maxConnections) {
  /**
   * A healthy S3 answers within a second, so a dead or hung one is a 502 within seconds; a body may
   * wait a minute for a client that pauses reading.
   */
  static final S3FetchSettings DEFAULTS =
      new S3FetchSettings(
          Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(60), 128);

  /**
   * Idle pooled connections are dropped before S3 drops them (AWS after ~20 s), so a reused one is
   * alive.
   */
  private static final int KEEP_ALIVE_SECONDS = 10;

  /**
   * Body chunks as large as a socket read (Netty reads up to 64 KiB) rather than Vert.x's 8 KiB: a
   * chunk is one write (and flush) to the client, so fewer chunks cost less CPU per byte.
   */
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  HttpClientOptions clientOptions() {
    // TLS, with host name verification, is chosen per request by the presigned URL's scheme
    return new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setVerifyHost(true)
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setDecompressionSupported(false)
        .setMaxChunkSize(MAX_CHUNK_BYTES);
  }

  PoolOptions poolOptions() {
    return new PoolOptions().setHttp1MaxSize(maxConnections);
  }
}
