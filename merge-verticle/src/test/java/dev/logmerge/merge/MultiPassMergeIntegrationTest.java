package dev.logmerge.merge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobProgress;
import dev.logmerge.core.job.JobState;
import dev.logmerge.devservices.SortOracle;
import dev.logmerge.loggen.LogGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job of more inputs than {@code MERGE_FAN_IN}, through a merge worker, embedded S3 and Redis:
 * merged in passes through run files under {@code SPILL_DIR}, to the oracle's bytes.
 */
class MultiPassMergeIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dataDir;
  @TempDir Path spillDir;
  private MergeFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void mergesMoreInputsThanTheFanInInPassesAndLeavesNoRuns() throws Exception {
    fixture =
        new MergeFixture(
            dataDir,
            Map.of("MERGE_FAN_IN", "3", "MERGE_GROUP_SIZE", "2", "SPILL_DIR", spillDir.toString()));
    List<Path> inputs = new ArrayList<>();
    // three days of three files, one of them unsorted, and a day of two gzip files: 11 inputs, six
    // runs of two inputs, two runs of those, the result: three passes
    inputs.addAll(
        LogGenerator.generate(fixture.logs("2019-08-17", 3, 3, 2_000).withUnsortedFiles(1)));
    inputs.addAll(LogGenerator.generate(fixture.logs("2019-08-20", 1, 2, 2_000).withGzip(true)));
    fixture.deployWorker();

    Job done = fixture.awaitFinal(fixture.submit("2019-08-17", "2019-08-20").id(), DEADLINE);

    assertEquals(JobState.DONE, done.state(), () -> "failure: " + done.failure());
    assertArrayEquals(SortOracle.expected(inputs), fixture.object("merged", done.id() + ".log"));
    JobProgress progress = done.progress();
    assertEquals(11, progress.inputsTotal());
    assertEquals(11, progress.inputsDone(), "inputs are counted once, not as runs");
    assertEquals(progress.bytesTotal(), progress.bytesRead(), "runs read again are not counted");
    assertEquals(List.of(), filesUnder(spillDir), "run files are deleted");
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
