package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.GeneratorOptions;
import dev.logmerge.loggen.LogGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge's memory does not grow with its input: 300 inputs of about 100 MB in all are merged by a
 * worker in its own JVM capped at {@code -Xmx96m} (which exits on the first OutOfMemoryError).
 */
class MemoryBoundIntegrationTest {
  private static final Duration DEADLINE = Duration.ofMinutes(4);

  @TempDir Path dataDir;

  @Test
  void mergesThreeHundredInputsOfAHundredMegabytesIn96MegabytesOfHeap() throws Exception {
    try (MergeFixture fixture = new MergeFixture(dataDir, Map.of())) {
      List<Path> inputs =
          LogGenerator.generate(
              GeneratorOptions.defaults(fixture.logsDir())
                  .withStartDate(LocalDate.of(2019, 8, 1))
                  .withDays(10)
                  .withFilesPerDay(30)
                  .withLinesPerFile(2_800));
      long inputBytes = 0;
      for (Path input : inputs) {
        inputBytes += Files.size(input);
      }
      assertEquals(300, inputs.size());
      assertTrue(inputBytes >= 100_000_000L, "input bytes " + inputBytes);

      Path log = dataDir.resolve("worker.log");
      ProcessBuilder builder =
          new ProcessBuilder(
                  javaBinary(),
                  "-Xmx96m",
                  "-XX:+ExitOnOutOfMemoryError",
                  "-cp",
                  System.getProperty("java.class.path"),
                  StandaloneMergeWorker.class.getName())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      builder
          .environment()
          .putAll(
              Map.of(
                  "S3_ENDPOINT", fixture.s3Server.endpoint().toString(),
                  "REDIS_URL", fixture.redis.url(),
                  "SCAN_INTERVAL", "200ms",
                  "MERGE_SLOTS", "1",
                  // a small heap wants a smaller read-ahead than the 64 MiB default; the point is
                  // that it does not grow
                  "MERGE_READ_AHEAD", "24MiB"));
      Process worker = builder.start();
      try {
        Job job =
            MergeFixture.await(
                fixture.jobs.create(dev.logmerge.core.DateRange.parse("2019-08-01", "2019-08-10")));
        Job finished = awaitFinal(fixture, job.id(), worker, log);
        assertEquals(JobState.DONE, finished.state(), () -> "failure: " + finished.failure());
        assertTrue(worker.isAlive(), "the worker survived with -Xmx96m");
        assertEquals(
            SortOracle.sha256(SortOracle.expected(inputs)),
            SortOracle.sha256(fixture.object("merged", job.id() + ".log")));
      } finally {
        worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static Job awaitFinal(MergeFixture fixture, String id, Process worker, Path log)
      throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!worker.isAlive()) {
        throw new AssertionError(
            "worker JVM exited with " + worker.exitValue() + ":\n" + Files.readString(log));
      }
      Job job = MergeFixture.await(fixture.jobs.find(id)).orElseThrow();
      if (job.state().isFinal()) {
        return job;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "job " + id + " not final after " + DEADLINE + ":\n" + Files.readString(log));
  }

  private static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
