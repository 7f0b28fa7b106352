package dev.logmerge.merge.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.logmerge.core.config.LogmergeConfig;
import org.junit.jupiter.api.Test;

class InputReadSettingsTest {
  @Test
  void streamsEveryInputOfTheLargestGroupAMultiPassMergeReadsAtOnce() {
    assertTrue(
        LogmergeConfig.MAX_MERGE_FAN_IN <= InputReadSettings.DEFAULT_MAX_STREAMED_INPUTS,
        "a group of MERGE_FAN_IN inputs would fall back to ranged GETs");
  }
}
