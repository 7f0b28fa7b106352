package dev.logmerge.http;

import dev.logmerge.core.bus.Addresses;
import dev.logmerge.core.job.Job;
import dev.logmerge.core.job.JobLogger;
import io.vertx.core.eventbus.EventBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the workers for a job that Redis has recorded as queued, and tells operators in one INFO
 * line. Always after Redis: a lost wake-up only delays the job until a worker's next scan, while a
 * job announced but never recorded would be lost.
 */
final class JobWakeUp {
  private static final Logger LOG = LoggerFactory.getLogger(JobWakeUp.class);

  private final EventBus eventBus;

  JobWakeUp(EventBus eventBus) {
    this.eventBus = eventBus;
  }

  /**
   * @param cause what queued it, for the log line
   */
  void queued(Job job, String cause) {
    new JobLogger(LOG, job.id(), null)
        .info("{} job {} queued for {} ({})", job.kind().code(), job.id(), job.range(), cause);
    eventBus.publish(Addresses.JOB_QUEUED, job.id());
  }
}
