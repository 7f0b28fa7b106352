package dev.logmerge.merge.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MergeProgressTest {
  private final MergeProgress job = new MergeProgress();

  @Test
  void anInputPassCountsItsReadsForTheJobButNotTheLinesOfItsRun() {
    MergeProgress pass = MergeProgress.ofInputPass(job);

    pass.addRawBytesRead(100);
    pass.inputFinished();
    pass.addLinesWritten(7);

    assertEquals(new MergeProgress.Snapshot(100, 1, 0), job.snapshot());
    assertEquals(new MergeProgress.Snapshot(100, 1, 7), pass.snapshot());
  }

  @Test
  void theFinalPassCountsItsLinesButNotItsReadsOfRuns() {
    MergeProgress pass = MergeProgress.ofFinalPass(job);

    pass.addRawBytesRead(100);
    pass.inputFinished();
    pass.addLinesWritten(7);

    assertEquals(new MergeProgress.Snapshot(0, 0, 7), job.snapshot());
  }

  @Test
  void aPassThatRestartsTakesBackOnlyWhatItCounted() {
    MergeProgress first = MergeProgress.ofInputPass(job);
    first.addRawBytesRead(100);
    first.inputFinished();
    MergeProgress second = MergeProgress.ofInputPass(job);
    second.addRawBytesRead(30);
    second.inputFinished();

    second.reset();

    assertEquals(new MergeProgress.Snapshot(100, 1, 0), job.snapshot());
    assertEquals(new MergeProgress.Snapshot(0, 0, 0), second.snapshot());
  }
}
