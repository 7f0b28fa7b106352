package dev.logmerge.cluster;

import dev.logmerge.core.config.Setting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A logmerge deployment made of separate JVMs on loopback: one {@code services} JVM (embedded S3
 * over a temporary data dir, embedded Redis) and any number of {@code http} and {@code merge} JVMs
 * on a clustered event bus with a cluster name of its own. Every port is chosen free, every JVM's
 * output goes to a file, and every process started is ended on {@link #close()} or, failing that,
 * at this JVM's exit.
 */
public final class ClusterHarness implements AutoCloseable {
  private static final Set<String> LOGMERGE_SETTINGS =
      Arrays.stream(Setting.values()).map(Setting::envName).collect(Collectors.toUnmodifiableSet());
  private static final List<ClusterHarness> OPEN = new CopyOnWriteArrayList<>();

  static {
    // a test JVM that dies early (Ctrl-C, a crash in a callback) must not leave JVMs and Redis
    // servers behind
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> OPEN.forEach(ClusterHarness::close), "cluster-harness-cleanup"));
  }

  private final Path jar;
  private final Path runDir;
  private final String clusterName;
  private final List<LogmergeProcess> processes = new CopyOnWriteArrayList<>();
  private final Set<Integer> portsHandedOut = new HashSet<>();
  private final Map<String, Integer> launchedPerRole = new HashMap<>();
  private LogmergeProcess services;
  private int redisPort;
  private String s3Endpoint;

  private ClusterHarness(Path jar, Path runDir, String clusterName) {
    this.jar = jar;
    this.runDir = runDir;
    this.clusterName = clusterName;
  }

  /**
   * Starts the services JVM of a new run; the run's files go under {@code
   * target/cluster-runs/<name>-<id>}.
   */
  public static ClusterHarness start(String runName) {
    Path jar = fatJar();
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Path runDir = runsDir().resolve(runName + "-" + runId);
    // a cluster name per run: concurrent runs on one machine must never join each other
    ClusterHarness harness =
        new ClusterHarness(jar, runDir.toAbsolutePath(), "logmerge-test-" + runName + "-" + runId);
    OPEN.add(harness);
    try {
      harness.startServices();
      return harness;
    } catch (RuntimeException | Error e) {
      String report = harness.describe(120);
      harness.close();
      throw new IllegalStateException(
          "the services JVM did not start: " + e.getMessage() + "\n" + report, e);
    }
  }

  /** {@code launcher/target/logmerge.jar}, which the reactor packages before these tests run. */
  static Path fatJar() {
    Path jar =
        Path.of(System.getProperty("logmerge.jar", "../launcher/target/logmerge.jar"))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "the fat jar "
              + jar
              + " is missing: build it first (mvn -pl cluster-tests -am verify"
              + " packages launcher before these tests run)");
    }
    return jar;
  }

  /** Where runs keep their JVMs' output: {@code target/cluster-runs}. */
  static Path runsDir() {
    return Path.of(System.getProperty("cluster.runs.dir", "target/cluster-runs"));
  }

  private void startServices() {
    try {
      Files.createDirectories(logsDir());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    redisPort = freePort();
    int s3Port = freePort();
    s3Endpoint = "http://127.0.0.1:" + s3Port;
    Map<String, String> settings =
        Map.of(
            "DATA_DIR", dataDir().toString(),
            "EMBEDDED_S3_PORT", Integer.toString(s3Port),
            "EMBEDDED_REDIS_PORT", Integer.toString(redisPort));
    services = launch("services", settings).awaitReady();
  }

  /**
   * Timings short enough for tests: a dead worker's job is back in the queue within a few seconds.
   */
  public Map<String, String> testTimings() {
    return Map.of(
        "LEASE_TIMEOUT", "3s",
        "HEARTBEAT_INTERVAL", "500ms",
        "SCAN_INTERVAL", "300ms",
        "RETRY_BACKOFF", "200ms");
  }

  public LogmergeProcess startHttp(Map<String, String> overrides) {
    return launchClustered("http", overrides).awaitReady();
  }

  public LogmergeProcess startMerge(Map<String, String> overrides) {
    return launchClustered("merge", overrides).awaitReady();
  }

  /**
   * Starts several merge JVMs side by side (their starts overlap) and waits until all are ready.
   */
  public List<LogmergeProcess> startMerges(int count, Map<String, String> overrides) {
    List<LogmergeProcess> started = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      started.add(launchClustered("merge", overrides));
    }
    started.forEach(LogmergeProcess::awaitReady);
    return started;
  }

  /**
   * Launches an http or merge JVM without waiting for it: the run's S3, Redis and cluster name, the
   * test timings, free ports of its own, and every live clustered JVM as a join member. Overrides
   * win.
   */
  public LogmergeProcess launchClustered(String role, Map<String, String> overrides) {
    int clusterPort = freePort();
    List<String> members =
        processes.stream()
            .filter(p -> p.isAlive() && p.clusterPort() > 0)
            .map(p -> "127.0.0.1:" + p.clusterPort())
            .collect(Collectors.toCollection(ArrayList::new));
    if (members.isEmpty()) {
      members.add("127.0.0.1:" + clusterPort);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("S3_ENDPOINT", s3Endpoint);
    settings.put("REDIS_URL", "redis://127.0.0.1:" + redisPort);
    settings.put("CLUSTER_NAME", clusterName);
    settings.put("CLUSTER_HOST", "127.0.0.1");
    settings.put("CLUSTER_MEMBERS", String.join(",", members));
    settings.put("CLUSTER_PORT", Integer.toString(clusterPort));
    settings.put("EVENT_BUS_PORT", Integer.toString(freePort()));
    settings.put("HTTP_PORT", Integer.toString(freePort()));
    // several merge JVMs share this machine: each takes any free port for /health and /ready
    settings.put("MANAGEMENT_PORT", "0");
    settings.putAll(testTimings());
    settings.putAll(overrides);
    return launch(role, settings);
  }

  private synchronized LogmergeProcess launch(String role, Map<String, String> settings) {
    int serial = launchedPerRole.merge(role, 1, Integer::sum);
    String name = role + "-" + serial;
    LogmergeProcess process =
        LogmergeProcess.launch(jar, name, role, settings, runDir.resolve(name + ".log"));
    processes.add(process);
    return process;
  }

  /** The JVM whose worker holds (or last held) the job, by the pid in the worker id. */
  public Optional<LogmergeProcess> workerOf(String jobId) {
    String worker = redis().job(jobId).get("worker");
    return processes.stream().filter(p -> p.ownsWorker(worker)).findFirst();
  }

  public RedisProbe redis() {
    return new RedisProbe(redisPort);
  }

  /** Reads the results bucket; close it after use. */
  public S3Probe results() {
    return new S3Probe(s3Endpoint, "merged");
  }

  public JobClient client(LogmergeProcess http) {
    return new JobClient(http.httpPort());
  }

  public int redisPort() {
    return redisPort;
  }

  public Path dataDir() {
    return runDir.resolve("data");
  }

  /** Bucket {@code logs}: files written here are input objects. */
  public Path logsDir() {
    return dataDir().resolve("logs");
  }

  public List<LogmergeProcess> processes() {
    return List.copyOf(processes);
  }

  /** SIGTERM to every live merge JVM, so the next test starts without workers. */
  public void stopMerges() {
    processes.stream().filter(p -> p.role().equals("merge")).forEach(LogmergeProcess::close);
  }

  /** The last lines of every JVM's output, for a failure report. */
  public String describe(int linesPerProcess) {
    StringBuilder report = new StringBuilder("cluster " + clusterName + " in " + runDir + "\n");
    for (LogmergeProcess process : processes) {
      report
          .append("----- ")
          .append(process)
          .append(process.isAlive() ? "" : " [exited]")
          .append(", full log: ")
          .append(process.logFile())
          .append('\n')
          .append(process.tail(linesPerProcess))
          .append('\n');
    }
    return report.toString();
  }

  /**
   * Ends every JVM: clustered ones first, then the services JVM (SIGTERM, so its redis-server stops
   * too).
   */
  @Override
  public void close() {
    List<LogmergeProcess> clustered = processes.stream().filter(p -> p != services).toList();
    // SIGTERM all at once, then wait: sequential graceful stops would add up
    clustered.stream().filter(LogmergeProcess::isAlive).forEach(LogmergeProcess::sigterm);
    clustered.forEach(LogmergeProcess::close);
    if (services != null) {
      services.close();
    }
    OPEN.remove(this);
  }

  static boolean isLogmergeSetting(String envName) {
    return LOGMERGE_SETTINGS.contains(envName) || envName.equals("JAVA_TOOL_OPTIONS");
  }

  private synchronized int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        // Hazelcast takes the next port when its own is busy: keep a gap after each one given
        if (portsHandedOut.stream().noneMatch(used -> Math.abs(used - port) < 3)) {
          portsHandedOut.add(port);
          return port;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
