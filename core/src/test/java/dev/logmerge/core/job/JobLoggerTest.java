package dev.logmerge.core.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class JobLoggerTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(JobLoggerTest.class);
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
    logger.setLevel(Level.DEBUG);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void namesTheJobAndWorkerInEachLineAndLeavesTheThreadAsItWas() {
    MDC.put("job_id", "another-job");
    JobLogger log = new JobLogger(logger, "job-1", "worker-a");

    log.debug("job {} debug", "job-1");
    log.info("job {} info", "job-1");
    log.warn("job {} warn", "job-1");
    log.error("job {} failed", "job-1", new IllegalStateException("boom"));

    assertEquals(4, lines.list.size());
    for (ILoggingEvent line : lines.list) {
      assertEquals(Map.of("job_id", "job-1", "worker_id", "worker-a"), line.getMDCPropertyMap());
    }
    assertEquals("job job-1 failed", lines.list.get(3).getFormattedMessage());
    assertEquals("boom", lines.list.get(3).getThrowableProxy().getMessage());
    assertEquals("another-job", MDC.get("job_id"), "the thread's own context is put back");
    assertNull(MDC.get("worker_id"));
    MDC.clear();
  }

  @Test
  void leavesTheWorkerOutOnTheHttpSide() {
    new JobLogger(logger, "job-2", null).info("job {} queued", "job-2");

    assertEquals(Map.of("job_id", "job-2"), lines.list.get(0).getMDCPropertyMap());
  }
}
