package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import org.junit.jupiter.api.Test;

class InputReadSettingsTest {
  @Test
  void streamsEveryInputOfTheLargestGroupAMultiPassMergeReadsAtOnce() {
    assertTrue(
        LogmergeConfig.MAX_MERGE_FAN_IN <= InputReadSettings.DEFAULT_MAX_STREAMED_INPUTS,
        "S3MergeInput.forJob would refuse a group of MERGE_FAN_IN inputs");
  }

  @Test
  void rejectsABudgetOrCapThatCouldReadNothing() {
    assertThrows(IllegalArgumentException.class, () -> new InputReadSettings(0, 512));
    assertThrows(IllegalArgumentException.class, () -> new InputReadSettings(1L << 20, 0));
  }
}
