package dev.logmerge.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.logmerge.core.config.Setting;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code LOG_FORMAT=json} as an operator turns it on: the launcher's {@code main} in a JVM of its
 * own, with the production logging configuration, running a real job. Every line it writes must be
 * one JSON object, with the role, and the job and worker on the lines about a job (event loops and
 * merge thread alike), and on no other line.
 */
class JsonLogsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final Pattern READY = Pattern.compile("REST API on http://localhost:(\\d+)");

  @TempDir Path dataDir;
  @TempDir Path outputDir;
  private Path outputFile;
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void writesEveryLineAsJsonWithTheRoleAndTheJobAndWorkerWhereTheyApply() throws Exception {
    // ~11 MB of result: a multipart upload, whose completion the merge thread logs
    LogGenerator.generate(
        GeneratorOptions.defaults(dataDir.resolve("logs"))
            .withStartDate(LocalDate.of(2021, 3, 1))
            .withDays(1)
            .withFilesPerDay(3)
            .withLinesPerFile(30_000));
    process = launch("all");
    int port = Integer.parseInt(awaitLine(READY).group(1));

    String id = runJob(port, "2021-03-01");
    process.destroy(); // SIGTERM: the shutdown hook stops the JVM as an operator would
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the JVM stopped");
    awaitLine(Pattern.compile("logmerge all stopped"));

    List<JsonObject> lines = output().stream().map(JsonLogsTest::parse).toList();
    for (JsonObject line : lines) {
      assertEquals("all", line.getString("role"), line.encode());
      for (String field : List.of("@timestamp", "level", "logger_name", "thread_name", "message")) {
        assertNotNull(line.getValue(field), field + " in " + line.encode());
      }
      String jobId = line.getString("job_id");
      if (jobId != null) {
        assertTrue(
            line.getString("message").contains(jobId),
            "a line about another job, or none, names no job: " + line.encode());
      }
    }
    JsonObject queued = lineWith(lines, "job " + id + " queued");
    JsonObject running = lineWith(lines, "job " + id + " RUNNING on ");
    JsonObject stored = lineWith(lines, "stored merged/" + id + ".log from ");
    JsonObject done = lineWith(lines, "job " + id + " DONE");
    assertEquals(id, queued.getString("job_id"));
    assertNull(queued.getString("worker_id"), "the http side runs no worker");
    String worker = running.getString("worker_id");
    assertTrue(running.getString("message").contains(worker), running.encode());
    for (JsonObject line : List.of(running, stored, done)) {
      assertEquals(id, line.getString("job_id"), line.encode());
      assertEquals(worker, line.getString("worker_id"), line.encode());
    }
    assertTrue(
        stored.getString("thread_name").startsWith("logmerge-merge-"),
        "written by the merge thread: " + stored.encode());
    assertNull(lineWith(lines, "logmerge all ready").getString("job_id"));
  }

  @Test
  void refusesAnUnknownLogFormatAtStartNamingTheSetting() throws Exception {
    process = launch("services", "--log-format", "xml");

    assertTrue(process.waitFor(30, TimeUnit.SECONDS));
    assertEquals(2, process.exitValue());
    awaitLine(Pattern.compile("run with --help"));
    assertTrue(
        output()
            .contains("logmerge: invalid LOG_FORMAT (--log-format): expected one of text, json"),
        String.join("\n", output()));
  }

  /**
   * {@code java dev.logmerge.launcher.Main <role>} on this module's class path, LOG_FORMAT=json.
   */
  private Process launch(String role, String... flags) throws IOException, URISyntaxException {
    // the production configuration, not the tests' logback-test.xml that is also on the class path
    Path logback = Path.of(Main.class.getResource("/logback.xml").toURI());
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logback,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                role,
                "--data-dir",
                dataDir.toString(),
                "--http-port",
                "0",
                "--embedded-s3-port",
                "0",
                "--embedded-redis-port",
                "0"));
    command.addAll(List.of(flags));
    outputFile = outputDir.resolve("logmerge.out");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(outputFile.toFile());
    builder.environment().keySet().removeIf(JsonLogsTest::isSetting);
    builder.environment().put("LOG_FORMAT", "json");
    return builder.start();
  }

  /** Every line the JVM has written so far (standard output and error). */
  private List<String> output() throws IOException {
    return Files.readAllLines(outputFile, StandardCharsets.UTF_8);
  }

  private static boolean isSetting(String name) {
    return Arrays.stream(Setting.values()).anyMatch(setting -> setting.envName().equals(name));
  }

  /** Waits for an output line whose text (the JSON message, or a raw line) matches. */
  private Matcher awaitLine(Pattern pattern) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      boolean exited = !process.isAlive();
      for (String line : output()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      if (exited || System.nanoTime() > deadline) {
        return fail(
            (exited ? "the JVM exited without a line /" : "no line within " + DEADLINE + " /")
                + pattern
                + "/:\n"
                + String.join("\n", output()));
      }
      Thread.sleep(50);
    }
  }

  private static String runJob(int port, String day) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI base = URI.create("http://127.0.0.1:" + port);
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(base.resolve("/initiate"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        new JsonObject().put("start_date", day).put("end_date", day).encode()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
    String id = new JsonObject(created.body()).getString("download_id");
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> status =
          http.send(
              HttpRequest.newBuilder(base.resolve("/status/" + id)).build(),
              HttpResponse.BodyHandlers.ofString());
      String state = new JsonObject(status.body()).getString("state");
      assertFalse("FAILED".equals(state), status.body());
      if ("DONE".equals(state)) {
        return id;
      }
      Thread.sleep(100);
    }
    return fail("job " + id + " not DONE within " + DEADLINE);
  }

  private static JsonObject parse(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      return fail("not one JSON object: " + line);
    }
  }

  private static JsonObject lineWith(List<JsonObject> lines, String fragment) {
    Predicate<JsonObject> matches = line -> line.getString("message").contains(fragment);
    return lines.stream()
        .filter(matches)
        .findFirst()
        .orElseGet(() -> fail("no line with \"" + fragment + "\" in:\n" + lines));
  }
}
