package dev.logmerge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One logmerge JVM started from the fat jar as a separate process, its output captured in a file.
 * Knows how to wait for its readiness and how to end it: SIGTERM (graceful, measured) or SIGKILL (a
 * crash).
 */
public final class LogmergeProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);

  private final String name;
  private final String role;
  private final Process process;
  private final Path logFile;
  private final Map<String, String> settings;

  private LogmergeProcess(
      String name, String role, Process process, Path logFile, Map<String, String> settings) {
    this.name = name;
    this.role = role;
    this.process = process;
    this.logFile = logFile;
    this.settings = Map.copyOf(settings);
  }

  /**
   * Launches {@code java -jar logmerge.jar <role>} with exactly these logmerge settings (as env
   * vars).
   */
  static LogmergeProcess launch(
      Path jar, String name, String role, Map<String, String> settings, Path logFile) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // small heaps and one GC thread: several of these JVMs share two cores
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dhazelcast.logging.type=slf4j",
                "--add-modules",
                "java.se",
                "-jar",
                jar.toString(),
                role));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
    // only what the harness decides: no logmerge setting leaks in from the developer's shell
    builder.environment().keySet().removeIf(ClusterHarness::isLogmergeSetting);
    builder.environment().putAll(settings);
    try {
      Files.createDirectories(logFile.getParent());
      return new LogmergeProcess(name, role, builder.start(), logFile, settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /**
   * Waits for "logmerge &lt;role&gt; ready" in the output; an http JVM must also answer a request.
   */
  LogmergeProcess awaitReady() {
    String readyLine = "logmerge " + role + " ready";
    Await.until(
        name + " to log '" + readyLine + "'",
        READY_TIMEOUT,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                name
                    + " exited with "
                    + process.exitValue()
                    + " before it was ready:\n"
                    + output());
          }
          return output().contains(readyLine) ? Boolean.TRUE : null;
        });
    if (httpPort() > 0) {
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      // an unknown id needs a Redis round trip: a 404 proves the whole front end works
      URI probe =
          URI.create(
              "http://127.0.0.1:" + httpPort() + "/status/00000000-0000-4000-8000-000000000000");
      Await.until(
          name + " to answer HTTP",
          READY_TIMEOUT,
          () -> {
            try {
              int status =
                  client
                      .send(
                          HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(5)).build(),
                          HttpResponse.BodyHandlers.discarding())
                      .statusCode();
              return status == 404 ? Boolean.TRUE : null;
            } catch (IOException e) {
              return null;
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new AssertionError("interrupted", e);
            }
          });
    }
    return this;
  }

  public String name() {
    return name;
  }

  public String role() {
    return role;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The setting this JVM was started with, or null. */
  public String setting(String envName) {
    return settings.get(envName);
  }

  /** The REST port, or -1 for JVMs without the API. */
  public int httpPort() {
    return role.equals("http") || role.equals("all")
        ? Integer.parseInt(settings.get("HTTP_PORT"))
        : -1;
  }

  /** Hazelcast port, or -1 for unclustered JVMs. */
  int clusterPort() {
    String port = settings.get("CLUSTER_PORT");
    return port == null ? -1 : Integer.parseInt(port);
  }

  /** Whether a worker id recorded on a job ({@code <pid>@<host>/<suffix>}) belongs to this JVM. */
  public boolean ownsWorker(String workerId) {
    return workerId != null && workerId.startsWith(pid() + "@");
  }

  /** SIGKILL: the JVM dies at once, with no chance to hand anything back. */
  public void kill() {
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(10));
  }

  /** SIGTERM, without waiting: the JVM's shutdown hook runs (see {@link #awaitExit}). */
  public void sigterm() {
    process.destroy();
  }

  /** Waits for the JVM to exit; fails with its last output if it does not within the limit. */
  public void awaitExit(Duration limit) {
    if (!waitForExit(limit)) {
      throw new AssertionError(
          name + " did not exit within " + limit.toSeconds() + " s:\n" + tail(80));
    }
  }

  private boolean waitForExit(Duration limit) {
    try {
      return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Everything the JVM printed so far. */
  public String output() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the output, for failure messages. */
  public String tail(int lines) {
    List<String> all = output().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  public Path logFile() {
    return logFile;
  }

  /** Graceful stop, forced if it takes too long; never throws. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!waitForExit(GRACEFUL_STOP)) {
      process.destroyForcibly();
      waitForExit(Duration.ofSeconds(5));
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + pid() + ")";
  }
}
