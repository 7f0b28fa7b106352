package dev.logmerge.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {
  @Test
  void namesTheJobAndWorkerWhileOpenAndLeavesTheThreadAsItWas() {
    try (JobLogContext named = JobLogContext.open("job-1", "worker-a")) {
      assertEquals("job-1", MDC.get("job_id"));
      assertEquals("worker-a", MDC.get("worker_id"));
    }
    assertNull(MDC.get("job_id"), "a pooled thread's next job must not inherit this one");
    assertNull(MDC.get("worker_id"));
  }

  @Test
  void restoresTheOuterJobWhenANestedOneCloses() {
    try (JobLogContext outer = JobLogContext.open("job-1", "worker-a")) {
      try (JobLogContext inner = JobLogContext.open("job-2", null)) {
        assertEquals("job-2", MDC.get("job_id"));
        assertNull(MDC.get("worker_id"), "no worker on the http side");
      }
      assertEquals("job-1", MDC.get("job_id"));
      assertEquals("worker-a", MDC.get("worker_id"));
    }
    assertNull(MDC.get("job_id"));
  }
}
