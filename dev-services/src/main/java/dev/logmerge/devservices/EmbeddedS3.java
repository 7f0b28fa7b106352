package dev.logmerge.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 API server (S3Proxy) over a local directory: each sub-folder is a bucket, each file below
 * it an object. Good for dev runs and tests; not a production store.
 */
public final class EmbeddedS3 implements AutoCloseable {
  /**
   * Jetty serves each request on a thread of its own, and a merge holds one streaming GET open per
   * input (up to 512 per job, two jobs per merge JVM by default, several merge JVMs): S3Proxy's
   * default of 200 threads would leave streams queued behind streams that wait for them. Threads
   * start on demand and idle ones stop.
   */
  private static final int JETTY_MAX_THREADS = 4096;

  private final S3Proxy proxy;
  private final Path dataDir;

  private EmbeddedS3(S3Proxy proxy, Path dataDir) {
    this.proxy = proxy;
    this.dataDir = dataDir;
  }

  /**
   * Starts S3Proxy on loopback.
   *
   * @param port 0 for any free port
   */
  public static EmbeddedS3 start(Path dataDir, int port, String accessKey, String secretKey) {
    int resolvedPort = LocalPorts.resolve("embedded S3", port);
    Path root = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the embedded S3 data directory " + root, e);
    }
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(new FilesystemNio2BlobStore(root.toString()))
            .endpoint(URI.create("http://127.0.0.1:" + resolvedPort))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
            .jettyMaxThreads(JETTY_MAX_THREADS)
            .build();
    try {
      proxy.start();
      waitUntilStarted(proxy);
    } catch (Exception e) {
      stopQuietly(proxy);
      throw new IllegalStateException(
          "embedded S3 failed to start on port " + resolvedPort + ": " + e.getMessage(), e);
    }
    return new EmbeddedS3(proxy, root);
  }

  private static void waitUntilStarted(S3Proxy proxy) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!"STARTED".equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
      }
      Thread.sleep(10);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  public int port() {
    return proxy.getPort();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    stopQuietly(proxy);
  }

  private static void stopQuietly(S3Proxy proxy) {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // stopping is best effort: the process is going away or the proxy never started
    }
  }
}
