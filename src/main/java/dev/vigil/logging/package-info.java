/**
 * Logging: the backend's setup and the few logging helpers Vigil's packages share.
 *
 * <p>Vigil logs through SLF4J; the backend is Log4j 2 ({@code log4j-slf4j2-impl}), configured by
 * {@code log4j2.xml} on the class path and, for the daemon commands, by {@link Logging#configure}
 * ({@code --log-format text|json}, {@code --log-level}, {@code VIGIL_LOG_FORMAT}, {@code VIGIL_LOG_LEVEL}).
 * Lines go to stderr (stdout carries a command's own output, e.g. the demo's timeline): text lines
 * as before ({@code 2026-01-01T00:00:00.000+0000 [WARN] Monitor - ...}) or one JSON object per line
 * in Elastic Common Schema ({@code @timestamp}, {@code log.level}, {@code log.logger}, {@code message})
 * with the decision's fields at the top level ({@link LogFields}).
 *
 * <p>Fields are passed with SLF4J's fluent API ({@code LOG.atWarn().addKeyValue(...)}), which the
 * Log4j bridge puts into the thread context for that one event: no MDC state leaks between events.
 *
 * <p>Third-party chatter is off by default (Kafka at WARN, ERROR in the demo; Netty and Vert.x at
 * WARN), and repeated third-party warnings of one condition (a broker outage, peers resetting
 * HTTP streams) become one WARN when the condition starts and one INFO when it ends, with a count
 * ({@link ConditionLog}, {@link ChatterFilter}).
 */
package dev.vigil.logging;
