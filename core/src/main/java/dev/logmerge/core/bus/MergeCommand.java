package dev.logmerge.core.bus;

/**
 * "A job is waiting": the wake-up call sent to merge verticles. It names the job for logs; workers
 * claim the oldest queued job from Redis, which is the source of truth, not necessarily this one.
 */
public record MergeCommand(String jobId) {}
